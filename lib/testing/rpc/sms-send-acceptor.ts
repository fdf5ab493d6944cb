import type { EmulatedDeliveryOutcome, EmulatedDeliveryRequest } from './alicom-emulator-options.interface.js';
import type { DeliveryScheduler } from './delivery-scheduler.js';
import type { MinuteRateLimiter } from './minute-rate-limiter.js';
import { businessErrors } from './rpc-error-catalog.js';
import type { RecordedRecipient, SendLedger } from './send-ledger.js';
import { countSmsSegments, renderSmsContent, templateVariables } from './sms-content.js';

/** One recipient of a send, already parsed and with a valid number. */
export interface SendRecipientRequest {
  readonly phoneNumber: string;
  readonly normalizedNumber: string;
  readonly signName: string;
  readonly templateParam?: Readonly<Record<string, string>>;
  readonly smsUpExtendCode?: string;
}

/** A SendSms / SendBatchSms call reduced to what both have in common. */
export interface SendRequest {
  readonly action: 'SendSms' | 'SendBatchSms';
  readonly requestId: string;
  readonly templateCode: string;
  readonly outId?: string;
  readonly recipients: readonly SendRecipientRequest[];
}

/** The account configuration and collaborators the acceptor checks and feeds. */
export interface SmsSendAcceptorOptions {
  /** Approved templates (code → content); `undefined` accepts any code. */
  readonly templates?: Readonly<Record<string, string>>;
  /** Approved signatures; `undefined` accepts any. */
  readonly signNames?: readonly string[];
  readonly rateLimiter?: MinuteRateLimiter;
  readonly ledger: SendLedger;
  readonly deliveries: DeliveryScheduler;
  /** Current delivery decision, read per send so tests can change it at runtime. */
  readonly decideDelivery: () => (request: EmulatedDeliveryRequest) => EmulatedDeliveryOutcome;
  readonly clock: () => Date;
}

// NOTE: shared by every emulator in the process, so two emulators accepting a send in the same
// millisecond never answer the same BizId (Alibaba's are unique across accounts).
let bizIdSequence = 0;

/**
 * Applies the account-level rules shared by SendSms and SendBatchSms (signature, template,
 * variables, frequency control), then records the send, schedules its outcomes and returns its BizId.
 */
export class SmsSendAcceptor {
  constructor(private readonly options: SmsSendAcceptorOptions) {}

  /** Accepts the send or throws the business error Alibaba would answer with. */
  accept(request: SendRequest): string {
    const { templates, signNames } = this.options;
    const templateContent = templates?.[request.templateCode];
    if (templates !== undefined && templateContent === undefined) throw businessErrors.templateIllegal(request.templateCode);
    for (const recipient of request.recipients) {
      if (signNames !== undefined && !signNames.includes(recipient.signName)) {
        throw businessErrors.signatureIllegal(recipient.signName);
      }
      for (const variable of templateContent === undefined ? [] : templateVariables(templateContent)) {
        if (recipient.templateParam?.[variable] === undefined) throw businessErrors.templateMissingParameters(variable);
      }
    }
    const acceptedAt = this.options.clock();
    this.options.rateLimiter?.admit(
      request.recipients.map((recipient) => recipient.normalizedNumber),
      acceptedAt.getTime(),
    );

    const decide = this.options.decideDelivery();
    // Decided before recording, so a throwing callback leaves no half-recorded send behind.
    const outcomes = request.recipients.map((recipient) =>
      decide({
        phoneNumber: recipient.phoneNumber,
        normalizedNumber: recipient.normalizedNumber,
        signName: recipient.signName,
        templateCode: request.templateCode,
        templateParam: recipient.templateParam,
        outId: request.outId,
      }),
    );
    const send = {
      action: request.action,
      requestId: request.requestId,
      bizId: this.nextBizId(acceptedAt),
      templateCode: request.templateCode,
      ...(request.outId === undefined ? {} : { outId: request.outId }),
      acceptedAt,
      recipients: request.recipients.map((recipient) => this.toRecord(recipient, request.templateCode, templateContent)),
    };
    this.options.ledger.add(send);
    this.options.deliveries.schedule(send, outcomes);
    return send.bizId;
  }

  private toRecord(recipient: SendRecipientRequest, templateCode: string, templateContent: string | undefined): RecordedRecipient {
    const content = renderSmsContent(recipient.signName, templateCode, templateContent, recipient.templateParam);
    return {
      phoneNumber: recipient.phoneNumber,
      normalizedNumber: recipient.normalizedNumber,
      signName: recipient.signName,
      ...(recipient.templateParam === undefined ? {} : { templateParam: recipient.templateParam }),
      ...(recipient.smsUpExtendCode === undefined ? {} : { smsUpExtendCode: recipient.smsUpExtendCode }),
      content,
      smsSize: countSmsSegments(content),
      status: 'waiting',
    };
  }

  /** Digits `^0` like Alibaba's (e.g. `900619746936498440^0`), unique within the process. */
  private nextBizId(acceptedAt: Date): string {
    bizIdSequence += 1;
    return `${acceptedAt.getTime()}${String(bizIdSequence).padStart(5, '0')}^0`;
  }
}
