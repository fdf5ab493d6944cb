import { inspect } from 'node:util';
import { HttpTransportError, type HttpResponse, type HttpTransport } from '../http/http-transport.js';
import { MnsRequestError, type MnsAction, type MnsRequestErrorDetails } from '../errors/mns-request.error.js';
import { SecretScrubber } from '../utils/secret-scrubber.js';
import { MnsRequestSigner } from './mns-request-signer.js';
import {
  buildReceiptHandlesXml,
  parseBatchDeleteErrors,
  parseChangeVisibility,
  parseErrorDocument,
  parseMessages,
} from './mns-xml.js';
import type {
  MnsCredentials,
  MnsDeleteFailure,
  MnsErrorDocument,
  MnsMessage,
  MnsVisibilityChange,
} from './mns.types.js';

/** Options of {@link MnsClient.batchReceive}. */
export interface MnsBatchReceiveOptions {
  /** Messages asked for (1-16); MNS may return fewer. */
  numOfMessages: number;
  /** Long-poll wait in seconds (0-30); 0 returns at once. */
  waitSeconds: number;
  /** Aborts the long-poll (e.g. on shutdown); the call then rejects with code `Aborted`. */
  signal?: AbortSignal;
}

/** Tuning of an {@link MnsClient}. */
export interface MnsClientOptions {
  /** Deadline of delete / change-visibility requests, in ms. @default 10000 */
  requestTimeoutMs?: number;
  /** Clock used for the `Date` header (tests freeze it). @default () => new Date() */
  now?: () => Date;
}

/** A long-poll's deadline is its wait plus this much for connecting and reading the response. */
const LONG_POLL_MARGIN_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const MAX_BATCH = 16;
const MAX_WAIT_SECONDS = 30;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

interface MnsExchange {
  action: MnsAction;
  method: 'GET' | 'PUT' | 'DELETE';
  queue: string;
  /** Raw query string (already percent-encoded), without `?`. */
  query?: string;
  body?: string;
  credentials: MnsCredentials;
  timeoutMs: number;
  signal?: AbortSignal;
}

function assertIntegerInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Server text quoted into an error is cut to this many characters. */
const MAX_QUOTED_CHARS = 500;

/** `Timeout`, `Aborted` (caller's signal or transport closed), `ResponseTooLarge` or `NetworkError`. */
function transportFailureCode(error: unknown): string {
  if (error instanceof HttpTransportError) {
    if (error.kind === 'timeout') return 'Timeout';
    if (error.kind === 'aborted') return 'Aborted';
    if (error.kind === 'too-large') return 'ResponseTooLarge';
  }
  return 'NetworkError';
}

function errorMessage(error: unknown): string {
  return quoted(error instanceof Error ? error.message : String(error));
}

function quoted(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The consumer side of the MNS queue REST API for the Alicom receipt queues: batch receive, batch
 * delete and change visibility, signed per call with the queue's current credentials.
 * Never retries; failures are {@link MnsRequestError}s classified for the caller's retry and
 * token-refresh decisions.
 */
export class MnsClient {
  private readonly origin: string;
  private readonly requestTimeoutMs: number;
  private readonly signer: MnsRequestSigner;
  /** No secrets of its own: each call's credentials are scrubbed from that call's errors. */
  private readonly scrubber = new SecretScrubber();

  /**
   * @param transport the module's HTTP transport
   * @param origin MNS endpoint origin, e.g. `https://1943695596114318.mns.cn-hangzhou.aliyuncs.com`
   */
  constructor(
    private readonly transport: HttpTransport,
    origin: string,
    options: MnsClientOptions = {},
  ) {
    this.origin = origin.endsWith('/') ? origin.slice(0, -1) : origin;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.signer = new MnsRequestSigner(options.now ?? (() => new Date()));
  }

  /**
   * BatchReceiveMessage: long-polls for up to `numOfMessages` messages. An empty queue
   * (404 `MessageNotExist`) resolves to `[]`.
   */
  async batchReceive(queue: string, credentials: MnsCredentials, options: MnsBatchReceiveOptions): Promise<MnsMessage[]> {
    assertIntegerInRange('numOfMessages', options.numOfMessages, 1, MAX_BATCH);
    assertIntegerInRange('waitSeconds', options.waitSeconds, 0, MAX_WAIT_SECONDS);
    const exchange: MnsExchange = {
      action: 'BatchReceiveMessage',
      method: 'GET',
      queue,
      query: `numOfMessages=${options.numOfMessages}&waitseconds=${options.waitSeconds}`,
      credentials,
      timeoutMs: options.waitSeconds * 1000 + LONG_POLL_MARGIN_MS,
      signal: options.signal,
    };
    const response = await this.send(exchange);
    if (response.status === 200) return this.read(exchange, response, parseMessages);
    if (response.status === 404) {
      const error = this.read(exchange, response, parseErrorDocument);
      if (error.code === 'MessageNotExist') return [];
      throw this.failure(exchange, response, error);
    }
    throw this.failure(exchange, response);
  }

  /**
   * BatchDeleteMessage: deletes up to 16 messages by receipt handle. Handles MNS could not delete
   * (stale after a redelivery, or invalid) are returned in `failed` — the others are deleted.
   * Throws only when the request as a whole failed.
   */
  async batchDelete(
    queue: string,
    credentials: MnsCredentials,
    receiptHandles: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<{ failed: MnsDeleteFailure[] }> {
    if (receiptHandles.length === 0) return { failed: [] };
    assertIntegerInRange('receiptHandles.length', receiptHandles.length, 1, MAX_BATCH);
    const exchange: MnsExchange = {
      action: 'BatchDeleteMessage',
      method: 'DELETE',
      queue,
      body: buildReceiptHandlesXml(receiptHandles),
      credentials,
      timeoutMs: this.requestTimeoutMs,
      signal: options.signal,
    };
    const response = await this.send(exchange);
    if (response.status === 204 || response.status === 200) return { failed: [] };
    if (response.status === 404) {
      const result = this.read(exchange, response, parseBatchDeleteErrors);
      if (result.failures) return { failed: result.failures };
      throw this.failure(exchange, response, result.error);
    }
    throw this.failure(exchange, response);
  }

  /**
   * ChangeMessageVisibility: the message becomes visible again `visibilityTimeoutSeconds` from now.
   * The returned handle replaces `receiptHandle`, which stops working.
   */
  async changeVisibility(
    queue: string,
    credentials: MnsCredentials,
    receiptHandle: string,
    visibilityTimeoutSeconds: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<MnsVisibilityChange> {
    assertIntegerInRange('visibilityTimeoutSeconds', visibilityTimeoutSeconds, 1, MAX_VISIBILITY_TIMEOUT_SECONDS);
    const exchange: MnsExchange = {
      action: 'ChangeMessageVisibility',
      method: 'PUT',
      queue,
      // Handles contain `+`, `/`, `=`: encode them so no proxy or server form-decodes `+` to a space.
      query: `receiptHandle=${encodeURIComponent(receiptHandle)}&visibilityTimeout=${visibilityTimeoutSeconds}`,
      credentials,
      timeoutMs: this.requestTimeoutMs,
      signal: options.signal,
    };
    const response = await this.send(exchange);
    if (response.status !== 200) throw this.failure(exchange, response);
    const result = this.read(exchange, response, parseChangeVisibility);
    return { receiptHandle: result.receiptHandle, nextVisibleTime: new Date(result.nextVisibleTime) };
  }

  /** Signs and sends one request; transport failures become MnsRequestErrors. */
  private async send(exchange: MnsExchange): Promise<HttpResponse> {
    const path = `/queues/${encodeURIComponent(exchange.queue)}/messages`;
    // The signature covers exactly the request-target sent (the transport passes it verbatim).
    const resource = exchange.query ? `${path}?${exchange.query}` : path;
    const headers = this.signer.sign(exchange.method, resource, exchange.body, exchange.credentials);
    try {
      return await this.transport.send({
        method: exchange.method,
        url: this.origin + resource,
        headers,
        body: exchange.body,
        timeoutMs: exchange.timeoutMs,
        signal: exchange.signal,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw this.error(exchange, detail, { code: transportFailureCode(error), cause: error });
    }
  }

  /** Parses a response body; an unexpected body becomes a `MalformedResponse` error. */
  private read<T>(exchange: MnsExchange, response: HttpResponse, parse: (xml: string) => T): T {
    try {
      return parse(response.body);
    } catch (error) {
      // Not only MnsXmlError: a hostile document can break the XML parser itself (deep nesting).
      throw this.malformed(exchange, response, `HTTP ${response.status} with an unexpected body: ${errorMessage(error)}`);
    }
  }

  private malformed(exchange: MnsExchange, response: HttpResponse, detail: string): MnsRequestError {
    return this.error(exchange, detail, {
      code: 'MalformedResponse',
      httpStatus: response.status,
      requestId: headerText(response.headers['x-mns-request-id']),
    });
  }

  /** The error for a response that is not the operation's success answer. */
  private failure(exchange: MnsExchange, response: HttpResponse, parsed?: MnsErrorDocument): MnsRequestError {
    let document = parsed;
    if (!document) {
      try {
        document = parseErrorDocument(response.body);
      } catch (error) {
        return this.malformed(exchange, response, `HTTP ${response.status} without an MNS error document (${errorMessage(error)})`);
      }
    }
    const requestId = headerText(response.headers['x-mns-request-id']) ?? document.requestId;
    return this.error(
      exchange,
      `HTTP ${response.status} ${document.code}: ${quoted(document.message)}${requestId ? ` (RequestId ${requestId})` : ''}`,
      { code: document.code, httpStatus: response.status, requestId },
    );
  }

  /**
   * Every MnsRequestError of a call: whatever the server put in its answer (a reflected request
   * carries the security token), the call's secrets are scrubbed from the message, code and id.
   */
  private error(exchange: MnsExchange, detail: string, details: Omit<MnsRequestErrorDetails, 'action'>): MnsRequestError {
    const secrets = [exchange.credentials.accessKeySecret, exchange.credentials.securityToken];
    return new MnsRequestError(this.scrubber.scrub(this.describe(exchange, detail), secrets), {
      ...details,
      code: this.scrubber.scrub(quoted(details.code), secrets),
      requestId: this.scrubber.scrubOptional(details.requestId, secrets),
      action: exchange.action,
    });
  }

  /** Its signer caches signed headers, security tokens included: inspection shows the endpoint only. */
  [inspect.custom](): string {
    return `MnsClient { origin: '${this.origin}' }`;
  }

  private describe(exchange: MnsExchange, detail: string): string {
    return `MNS ${exchange.action} on queue ${exchange.queue} failed: ${detail}`;
  }
}
