import { Injectable } from '@nestjs/common';
import type { SmsPushReceiverHealth } from '../../interfaces/receipt-events.interface.js';
import type { SmsPushAnswer } from './push-answers.js';
import { PushIntake, type SmsPushRequestInfo } from './push-intake.js';
import { InspectsAs } from '../../utils/inspects-as.js';

export type { SmsPushRequestInfo } from './push-intake.js';

/**
 * Receipts pushed by Alibaba over HTTP ("HTTP 批量推送", the `push` options) into the same
 * handlers, Observables, de-duplication and correlation as the queues' receipts, with
 * `source: 'push'`.
 *
 * With `push.registerRoutes` (the default) the module registers the receiving route(s) on the
 * app's HTTP platform itself and nothing here is needed. To mount the receiver in a controller of
 * your own instead, set `registerRoutes: false`, check the secret with {@link isSecretValid} and
 * answer with what {@link receive} returns.
 *
 * Answer rule: HTTP 200 `{"code":0}` only when every valid receipt of the request was handled (or
 * recognised as a duplicate) within `push.answerTimeoutMs`; a failed handler, a receipt being
 * handled by another delivery, or the deadline get a non-zero code, so Alibaba pushes the request
 * again (handlers still running finish in the background, and the retry is then a duplicate).
 * Items that are not valid receipts are reported on `errors$` and acknowledged with the rest:
 * pushing them again would not help.
 *
 * @publicApi
 */
@Injectable()
@InspectsAs()
export class SmsPushReceiver {
  constructor(private readonly intake: PushIntake) {}

  /**
   * Handles one pushed request whose body your app has read: the raw bytes or text (a `Buffer`,
   * e.g. Nest's `rawBody`, or a string; decoded strictly as UTF-8 JSON) or the value your JSON
   * body parser made of it. Resolves with the answer to send (status and JSON body); rejects only
   * with an `AlicomSmsConfigError` when `push` is not configured.
   *
   * The deadline (`answerTimeoutMs`), `maxConcurrentRequests` and shutdown apply as on the
   * module's own routes; the secret, the source address and the body size are yours to check
   * first: Alibaba does not sign its requests.
   *
   * @example
   * ‍@Post('alicom/sms-report/:secret')
   * async smsReport(@Param('secret') secret: string, @Req() req: RawBodyRequest<Request>, @Res() res: Response) {
   *   if (!this.receiver.isSecretValid(secret)) throw new ForbiddenException();
   *   const answer = await this.receiver.receive(req.rawBody ?? req.body, { type: 'SmsReport', path: '/alicom/sms-report' });
   *   res.status(answer.status).json(answer.body);
   * }
   */
  receive(body: unknown, info: SmsPushRequestInfo = {}): Promise<SmsPushAnswer> {
    return this.intake.receive(body, info);
  }

  /**
   * Whether `candidate` (a path segment or query parameter of the request) is `push.secret`,
   * compared in constant time. `false` when no secret is configured.
   */
  isSecretValid(candidate: unknown): boolean {
    return this.intake.isSecretValid(candidate);
  }

  /** Counters and state; `undefined` when `push` is not configured. */
  health(): SmsPushReceiverHealth | undefined {
    return this.intake.health();
  }
}
