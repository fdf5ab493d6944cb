import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { PushBodyError } from '../../errors/push-body.error.js';
import type { ResolvedPushOptions, ResolvedPushRoute } from '../../options/resolved-alicom-sms-options.js';
import { FORBIDDEN_ANSWER, type SmsPushAnswer } from './push-answers.js';
import { readPushBody } from './push-body-reader.js';
import type { PushRefusalLog } from './push-refusal-log.js';
import type { PushIntake } from './push-intake.js';
import { PushRequestSlot } from './push-request-slot.js';
import { sourceAddress } from './source-address.js';

/** Name of the query parameter that carries the secret (`secretIn: 'query'`). */
export const PUSH_SECRET_PARAMETER = 'secret';

/**
 * One receiving path on the Node request level, whatever the HTTP platform: checks the source
 * address and the secret before reading anything, takes a slot, reads the body (size limit and
 * deadline), hands it to the {@link PushIntake} and writes the answer. It never hands
 * anything to the platform (no `next()`, no thrown error), so no body parser, exception filter or
 * framework logger sees the request, and nothing is ever logged with its URL.
 */
export class PushHttpEndpoint {
  constructor(
    readonly route: ResolvedPushRoute,
    private readonly push: ResolvedPushOptions,
    private readonly receiver: PushIntake,
    private readonly refusals: PushRefusalLog,
  ) {}

  /** The route patterns to register: with the secret as a path segment, the bare path too, so a request without it gets the same answer as one with a wrong one. */
  get routePaths(): string[] {
    return this.push.secretIn === 'path' ? [this.route.path, `${this.route.path}/:secret`] : [this.route.path];
  }

  /** How the route shows in the log, with a placeholder for the secret. */
  describe(): string {
    const url = this.push.secretIn === 'path' ? `${this.route.path}/<secret>` : `${this.route.path}?${PUSH_SECRET_PARAMETER}=<secret>`;
    return `${this.route.type ?? this.push.types.join(' + ')}: POST ${url}`;
  }

  /** Handles one request; never throws, never rejects. `body` is where to read the body from (the request itself, or the platform's stream of it). */
  handle(req: IncomingMessage, res: ServerResponse, body: Readable = req): void {
    this.answer(req, res, body).catch((error: unknown) => {
      send(res, this.receiver.internalError({ path: this.route.path }, error), true);
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse, body: Readable): Promise<void> {
    const info = { type: this.route.type, path: this.route.path };
    const address = sourceAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for'], this.push.trustProxy);
    if (this.push.allowFrom && !this.push.allowFrom.allows(address)) return this.forbid(res, address, 'source address not in push.allowFrom');
    if (!this.push.secret?.matches(this.secretOf(req.url ?? ''))) return this.forbid(res, address, 'missing or wrong secret');
    const slot = this.receiver.admit();
    if (!(slot instanceof PushRequestSlot)) {
      if (slot.status === 503 && this.receiver.health()?.accepting) this.refusals.refused(this.route.path, address, 'too many at once (push.maxConcurrentRequests)');
      return send(res, slot);
    }
    try {
      const read = await readPushBody(body, this.push.maxBodyBytes, slot.deadline);
      if (read.kind === 'aborted') return;
      if (read.kind === 'body') return send(res, await this.receiver.process(read.bytes, info, slot));
      const error =
        read.kind === 'too-large'
          ? new PushBodyError('too-large', `the body is larger than push.maxBodyBytes (${this.push.maxBodyBytes} bytes)`)
          : new PushBodyError('incomplete', `the body was not complete within push.answerTimeoutMs (${this.push.answerTimeoutMs} ms)`);
      // Unread bytes may still be on their way: close the connection after the answer.
      send(res, this.receiver.invalidBody(error, info), true);
    } finally {
      slot.answered();
    }
  }

  private forbid(res: ServerResponse, address: string | undefined, why: string): void {
    this.receiver.countForbidden();
    this.refusals.refused(this.route.path, address, why);
    send(res, FORBIDDEN_ANSWER);
  }

  /** The secret the request carries, or `undefined`. */
  private secretOf(url: string): string | undefined {
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    if (this.push.secretIn === 'query') {
      return queryAt === -1 ? undefined : (new URLSearchParams(url.slice(queryAt + 1)).get(PUSH_SECRET_PARAMETER) ?? undefined);
    }
    // The platform matched `<path>/:secret` (Express matches case-insensitively, so go by length).
    const rest = pathname.slice(this.route.path.length);
    if (!rest.startsWith('/')) return undefined;
    const segment = rest.slice(1).replace(/\/$/, '');
    try {
      return decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
}

/** Writes the answer as JSON, unless the response is already on its way. */
function send(res: ServerResponse, answer: SmsPushAnswer, closeConnection = false): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(json);
}
