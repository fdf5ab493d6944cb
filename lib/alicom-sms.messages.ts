// Every log line and error headline the module writes about its own work, in one place.

import type { FailureStreakMessages } from './utils/failure-streak-log.js';

/** ` (N more failure(s) since the last report)` when brief, unreported failures came before. */
function earlierFailures(earlier: number): string {
  return earlier > 0 ? ` (${earlier} more brief failure(s) since the last report)` : '';
}

/** Trailing punctuation of a server or library text, so our sentence does not end in `..`. */
function sentence(text: string): string {
  return text.replace(/[\s.]+$/, '');
}

export const consumingQueuesMessage = (queues: string[], pollersPerQueue: number, maxInFlight: number): string =>
  `Consuming ${queues.join(', ')} (${pollersPerQueue} poller(s) each, at most ${maxInFlight} in flight)`;

export const stoppedWithHandlersRunningMessage = (timeoutMs: number): string =>
  `Stopped with handlers still running after ${timeoutMs} ms; their messages will be redelivered`;

/** A queue's failing receives (one line at the start, a summary a minute, one at recovery). */
export const receiveFailureMessages = (queue: string): FailureStreakMessages => ({
  started: (error, earlier) =>
    `Receiving from ${queue} is failing: ${sentence(error)}${earlierFailures(earlier)}. Retrying with backoff; a summary follows every minute while it lasts.`,
  ongoing: (failures, seconds, error) =>
    `Receiving from ${queue} still failing: ${failures} more failed receive(s) in the last ${seconds} s; last error: ${sentence(error)}.`,
  recovered: (failures, seconds) => `Receiving from ${queue} recovered after ${failures} failed receive(s) over ${seconds} s.`,
});

export const extraMessagesMessage = (queue: string, asked: number, got: number): string =>
  `MNS answered ${got} messages from ${queue} when ${asked} were asked for; the ${got - asked} extra stay on the queue and come back after its visibility timeout.`;

export const undecodableMessage = (queue: string, messageId: string, reason: string): string =>
  `Undecodable message ${messageId} on ${queue}: ${reason}`;

export const poisonDeletedMessage = (queue: string, messageId: string, reason: string, deliveries: number): string =>
  `Poison message ${messageId} (${reason}) deleted from ${queue} after ${deliveries} deliveries`;

export const poisonHookFailedMessage = (queue: string, messageId: string, error: string): string =>
  `onPoisonMessage failed for ${messageId} on ${queue}: ${sentence(error)}; keeping the message`;

export const postponeFailedMessage = (queue: string, messageId: string, error: string): string =>
  `ChangeMessageVisibility for ${messageId} on ${queue} failed: ${sentence(error)}; it returns after the queue's visibility timeout`;

export const deleteNotAppliedMessage = (queue: string, messageId: string, code: string): string =>
  `Delete of message ${messageId} on ${queue} not applied (${code}): the message will be delivered again`;

export const deleteFailedMessage = (queue: string, count: number, error: string): string =>
  `BatchDeleteMessage on ${queue} failed for ${count} message(s): ${sentence(error)}. They will be delivered again after their visibility timeout.`;

export const handlerFailedMessage = (handler: string, receipt: string, error: string): string =>
  `Receipt handler ${handler} failed for ${receipt}: ${error}`;

export const handlerIgnoredMessage = (handler: string, decorator: string, why: string): string =>
  `${decorator} handler ${handler} is ignored: its class is ${why}. Receipt handlers must live on singleton providers or controllers (the default scope).`;

/** QuerySendDetails failing in the compensation sweep. */
export const sweepQueryFailureMessages: FailureStreakMessages = {
  started: (error, earlier) =>
    `Compensation: QuerySendDetails is failing (${sentence(error)})${earlierFailures(earlier)}. Pending sends wait for the next sweep; those past giveUpAfterMs end with ALICOM_SMS_NO_FINAL_STATUS.`,
  ongoing: (failures, seconds, error) => `Compensation: QuerySendDetails still failing: ${failures} more failed sweep(s) in the last ${seconds} s; last error: ${sentence(error)}.`,
  recovered: (failures, seconds) => `Compensation: QuerySendDetails answers again after ${failures} failed sweep(s) over ${seconds} s.`,
};

export const sweepFailedMessage = (error: string): string => `Compensation sweep failed: ${sentence(error)}`;

export const storeFullMessage = (bizId: string, phoneNumber: string, errCode: string): string =>
  `Receipt store full: send ${bizId} to ${phoneNumber} is no longer tracked; ending it with ${errCode}`;

export const trackingFailedMessage = (bizId: string, error: string): string =>
  `Could not track send ${bizId} for compensation: ${sentence(error)}`;

/** One failed attempt of a retried RPC call, as the retry log quotes it. */
export const rpcRetryText = (error: string, attempt: number, of: number, waitMs: number): string =>
  `${sentence(error)} (retry ${attempt}/${of} in ${waitMs} ms)`;

/** Retried RPC calls of one action (one line when retries start, a summary a minute, one when a call succeeds again). */
export const rpcRetryMessages = (action: string): FailureStreakMessages => ({
  started: (error, earlier) => `Retrying ${action} calls: ${sentence(error)}${earlierFailures(earlier)}. A summary follows every minute while it lasts.`,
  ongoing: (failures, seconds, error) => `${action} still failing: ${failures} more failed attempt(s) in the last ${seconds} s; last error: ${sentence(error)}.`,
  recovered: (failures, seconds) => `${action} answers again after ${failures} failed attempt(s) over ${seconds} s.`,
});

export const receiptsNotConfiguredProblem =
  "is not configured; pass receipts: { queuePrefix: 'Alicom-Queue-<uid>-' } to AlicomSmsModule.forRoot() to consume receipts";

/** The receipt store (e.g. Redis) failing (one line at the start, a summary a minute, one at recovery). */
export const storeFailureMessages: FailureStreakMessages = {
  started: (error) =>
    `Receipt store is failing: ${sentence(error)}. Receipts stay on their queues and come back, polling slows down, send tracking is buffered; a summary follows every minute while it lasts.`,
  ongoing: (failures, seconds, error) => `Receipt store still failing: ${failures} more failed call(s) in the last ${seconds} s; last error: ${sentence(error)}.`,
  recovered: (failures, seconds) => `Receipt store answers again after ${failures} failed call(s) over ${seconds} s.`,
};

export const trackingDroppedMessage = (count: number, limit: number): string =>
  `Receipt store unreachable and ${limit} sends already wait to be tracked: dropped the tracking of the ${count} oldest (published on errors$ as kind 'tracking'); their final reports arrive uncorrelated or not at all.`;

export const trackingLostAtShutdownMessage = (count: number): string =>
  `Shutting down with ${count} send(s) still waiting to be tracked (receipt store unreachable); they are not tracked (published on errors$ as kind 'tracking').`;

export const pushNotConfiguredProblem =
  "is not configured; pass push: { path: '/alicom/receipts', secret } (or registerRoutes: false) to AlicomSmsModule.forRoot() to receive pushed receipts";

/** A path for logs: the receiving path never carries the secret. */
const pushPath = (path: string | undefined): string => path ?? 'the push receiver';

export const pushRoutesMessage = (routes: string[], platform: string): string =>
  `Receiving pushed receipts at ${routes.join(', ')} (${platform})`;

export const pushInvalidBodyMessage = (path: string | undefined, reason: string): string =>
  `Refused a push to ${pushPath(path)}: ${sentence(reason)}`;

export const pushInvalidItemsMessage = (path: string | undefined, invalid: ReadonlyArray<{ error: unknown }>, total: number): string => {
  const reasons = invalid.slice(0, 3).map(({ error }) => (error instanceof Error ? error.message : String(error)));
  const more = invalid.length > 3 ? `; and ${invalid.length - 3} more` : '';
  return `Push to ${pushPath(path)}: ${invalid.length} of ${total} item(s) are not valid receipts and were acknowledged with the rest (pushing them again would not help): ${reasons.join('; ')}${more}`;
};

export const pushDeadlinePassedMessage = (path: string | undefined, unfinished: number, answerTimeoutMs: number): string =>
  `Push to ${pushPath(path)}: ${unfinished} receipt(s) still being handled after ${answerTimeoutMs} ms; asked Alibaba to push again (the handlers finish in the background and the retry will be a duplicate). Handlers slower than push.answerTimeoutMs delay every pushed receipt.`;

export const pushInternalErrorMessage = (path: string | undefined, error: string): string =>
  `Push to ${pushPath(path)} failed: ${sentence(error)}; asked Alibaba to push again`;

export const pushStoppedWithHandlersRunningMessage = (timeoutMs: number): string =>
  `Stopped with handlers of pushed receipts still running after ${timeoutMs} ms; Alibaba was asked to push those again`;

/** Push requests refused before their body was read (one line, then a summary a minute while they go on). */
export const pushRefusedMessages = {
  first: (path: string, address: string | undefined, why: string): string =>
    `Refused a push request to ${path} from ${address ?? 'an unknown address'}: ${why}. Further refusals are summed up once a minute.`,
  summary: (count: number, reasons: string): string => `Refused ${count} more push request(s) in the last minute: ${reasons}.`,
};

export const pushNeedsHttpAppProblem =
  'needs an HTTP application to register its routes on (NestFactory.create(), or createNestApplication() in tests); in an application context set push.registerRoutes: false and call SmsPushReceiver.receive() from your own code';

export const pushUnsupportedPlatformProblem = (platform: string): string =>
  `cannot register its routes on the HTTP platform '${platform}' (Express and Fastify are supported); set push.registerRoutes: false and mount SmsPushReceiver.receive() in a controller of your own`;
