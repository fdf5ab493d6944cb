import type { EmulatedMns } from './mns/emulated-mns.js';
import type { EmulatedPush } from './push/emulated-push.js';
import { buildSmsReportMessage, type SmsUpMessage } from './rpc/receipt-messages.js';
import type { RecordedRecipient, RecordedSend } from './rpc/send-ledger.js';

// Where a receipt goes once Alibaba has it: each message type either to its MNS queue or by HTTP
// push, as the console setting of that type says (PROTOCOL.md §5.6), never both.

/** What the router delivers to. */
export interface ReceiptRouterOptions {
  readonly mns: EmulatedMns;
  readonly queues: { readonly SmsReport: string; readonly SmsUp: string };
  readonly push: EmulatedPush;
  /** Current extra delay before a report reaches its queue, read per report. */
  readonly reportQueueDelayMs: () => number;
}

/** Delivers SmsReports and SmsUps to the queue or the push of their type. */
export class ReceiptRouter {
  constructor(private readonly options: ReceiptRouterOptions) {}

  /** Delivers the SmsReport of a recipient whose outcome is final, `copies` times as separate messages. */
  report(send: RecordedSend, recipient: RecordedRecipient, copies: number): void {
    const message = buildSmsReportMessage(send, recipient);
    const { mns, queues, push } = this.options;
    if (push.isEnabled('SmsReport')) {
      push.deliver({ type: 'SmsReport', message, signName: recipient.signName, templateCode: send.templateCode, requestId: send.requestId }, copies);
      return;
    }
    const delayMs = Math.max(0, this.options.reportQueueDelayMs());
    for (let i = 0; i < copies; i++) mns.enqueueJson(queues.SmsReport, message, { delayMs });
  }

  /**
   * Delivers an SmsUp; `templateCode` is that of the latest send to the number (a field of the
   * extended push variant). Returns the MNS MessageId, or the push receipt id.
   */
  reply(message: SmsUpMessage, templateCode: string | undefined): string {
    const { mns, queues, push } = this.options;
    if (push.isEnabled('SmsUp')) return push.deliver({ type: 'SmsUp', message, templateCode });
    return mns.enqueueJson(queues.SmsUp, message);
  }
}
