import { randomUUID } from 'node:crypto';
import type { ReceiptFailure, SendSmsResult, SmsReport, SmsUp } from 'nestjs-alicom-sms';
import type { SmsEvent } from './sms-event.interface.js';

/** The row of an accepted send. */
export function sentEvent(result: SendSmsResult, phoneNumber: string, outId: string | undefined): SmsEvent {
  return {
    id: `sent:${result.bizId}`,
    type: 'sent',
    source: 'app',
    status: 'waiting',
    bizId: result.bizId,
    phoneNumber,
    outId,
    time: new Date().toISOString(),
  };
}

/** The row of a delivery report, whether it came from MNS, HTTP push or a QuerySendDetails back-fill. */
export function reportEvent(report: SmsReport): SmsEvent {
  return {
    id: `report:${report.source}:${report.messageId ?? `${report.bizId}:${report.phoneNumber}`}`,
    type: 'report',
    source: report.source,
    status: report.success ? 'delivered' : 'failed',
    bizId: report.bizId,
    phoneNumber: report.phoneNumber,
    outId: report.outId,
    errCode: report.errCode,
    detail: report.errMsg,
    time: report.reportTime.toISOString(),
    sentAt: report.sendTime.toISOString(),
  };
}

/** The row of a reply. */
export function replyEvent(up: SmsUp): SmsEvent {
  return {
    id: `reply:${up.messageId ?? up.sequenceId}`,
    type: 'reply',
    source: up.source,
    status: 'received',
    phoneNumber: up.phoneNumber,
    content: up.content,
    time: up.sendTime.toISOString(),
  };
}

/** A one-line summary of a receipt problem (never the raw body, which may carry personal data). */
export function failureEvent(failure: ReceiptFailure): SmsEvent {
  const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
  const what =
    failure.source === 'mns'
      ? `${failure.type} message ${failure.messageId} (delivery ${failure.dequeueCount})`
      : failure.source === 'send'
        ? `Tracking of ${failure.sends?.length ?? 0} send(s)`
        : `${failure.type ?? 'Receipt'} pushed to ${failure.path ?? 'the receiver'}${failure.itemIndex === undefined ? '' : `, item ${failure.itemIndex}`}`;
  return {
    // A pushed body has no id of its own.
    id: failure.source === 'mns' ? `error:${failure.kind}:${failure.messageId}:${failure.dequeueCount}` : `error:${failure.kind}:push:${randomUUID()}`,
    type: 'error',
    source: failure.source === 'send' ? 'app' : failure.source,
    status: failure.kind,
    detail: `${what}: ${reason}`,
    time: new Date().toISOString(),
  };
}
