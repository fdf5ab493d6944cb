import type { EmulatedRecipient, EmulatedSend, EmulatedSendFilter, Writable } from './emulated-records.interface.js';
import { formatBeijingDay } from '../beijing-time.js';
import { normalizePhoneNumber } from './phone-numbers.js';

/** A recipient as the emulator stores it: its status fields change when the outcome is final. */
export type RecordedRecipient = Writable<EmulatedRecipient>;

/** A send as the emulator stores it. */
export interface RecordedSend extends Omit<EmulatedSend, 'recipients'> {
  readonly recipients: RecordedRecipient[];
}

/** One recipient together with the send it belongs to. */
export interface RecipientOfSend {
  readonly send: RecordedSend;
  readonly recipient: RecordedRecipient;
}

/** The accepted sends, in acceptance order; the source of QuerySendDetails. */
export class SendLedger {
  private readonly sends: RecordedSend[] = [];

  /** Every accepted send. */
  get all(): readonly EmulatedSend[] {
    return this.sends;
  }

  /** Stores an accepted send. */
  add(send: RecordedSend): void {
    this.sends.push(send);
  }

  /** Sends matching every given field of the filter. */
  find(filter: EmulatedSendFilter): EmulatedSend[] {
    const number = filter.phoneNumber === undefined ? undefined : comparableNumber(filter.phoneNumber);
    return this.sends.filter(
      (send) =>
        (filter.action === undefined || send.action === filter.action) &&
        (filter.templateCode === undefined || send.templateCode === filter.templateCode) &&
        (filter.outId === undefined || send.outId === filter.outId) &&
        (filter.bizId === undefined || send.bizId === filter.bizId) &&
        send.recipients.some(
          (recipient) =>
            (number === undefined || recipient.normalizedNumber === number) &&
            (filter.signName === undefined || recipient.signName === filter.signName),
        ),
    );
  }

  /** Recipients with this normalized number sent on this Beijing day (`yyyyMMdd`), oldest first. */
  recipientsOn(normalizedNumber: string, beijingDay: string, bizId?: string): RecipientOfSend[] {
    return this.sends
      .filter((send) => formatBeijingDay(send.acceptedAt) === beijingDay && (bizId === undefined || send.bizId === bizId))
      .flatMap((send) =>
        send.recipients
          .filter((recipient) => recipient.normalizedNumber === normalizedNumber)
          .map((recipient) => ({ send, recipient })),
      );
  }

  /** The most recent message to a number (any prefix form), if any. */
  latestTo(phoneNumber: string): RecipientOfSend | undefined {
    const number = comparableNumber(phoneNumber);
    for (let i = this.sends.length - 1; i >= 0; i--) {
      const send = this.sends[i];
      const recipient = send.recipients.findLast((r) => r.normalizedNumber === number);
      if (recipient) return { send, recipient };
    }
    return undefined;
  }

  /** Forgets every send. */
  clear(): void {
    this.sends.length = 0;
  }
}

function comparableNumber(phoneNumber: string): string {
  return normalizePhoneNumber(phoneNumber) ?? phoneNumber;
}
