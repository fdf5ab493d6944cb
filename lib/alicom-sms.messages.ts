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
