import { Inject, Injectable } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';
import { AlicomApiError } from '../errors/alicom-api.error.js';
import { AlicomSmsConfigError } from '../errors/alicom-sms-config.error.js';
import { SmsInputError } from '../errors/sms-input.error.js';
import type { SmsReport } from '../interfaces/sms-receipt.interface.js';
import type { ResolvedAlicomSmsOptions } from '../options/resolved-alicom-sms-options.js';
import { ReportWaiters } from '../receipts/delivery/report-waiters.js';
import type {
  QuerySendDetailsRequest,
  QuerySendDetailsResult,
  SendBatchSmsRequest,
  SendSmsRequest,
  SendSmsResult,
  SmsSendDetail,
} from '../interfaces/sms-requests.interface.js';
import { PopRpcClient, type PopResponse } from '../rpc/pop-rpc.client.js';
import { normalizePhoneNumber } from './phone-number.js';
import { mapQuerySendDetailsResponse } from './send-details.mapper.js';
import { SendTracker } from './send-tracker.js';
import { SMS_REQUEST_LIMITS, validateQuerySendDetails, validateSendBatchSms, validateSendSms } from './sms-request.validator.js';
import { checkOptionsObject, isObjectLike, safeEntries, type OptionRule } from '../utils/options-check.js';
import { describeValue } from '../utils/describe-value.js';
import { InspectsAs } from '../utils/inspects-as.js';

/** Per-call options of {@link SmsService} methods. @publicApi */
export interface SmsCallOptions {
  /** Cancels the call (and its retries). A cancelled send may still have reached Alibaba. */
  signal?: AbortSignal;
}

/** Options of {@link SmsService.waitForReport}. @publicApi */
export interface WaitForReportOptions {
  /** Give up after this long, in ms (1-2147483647). @default 60000 */
  timeoutMs?: number;
  /** Stops waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
}

// Per-call options are checked like the module options: a misspelt or mistyped field is an
// SmsInputError naming it and the known ones, never silently ignored.
const CALL_OPTION_RULES: Record<keyof SmsCallOptions, OptionRule> = { signal: { kind: 'signal' } };
const WAIT_OPTION_RULES: Record<keyof WaitForReportOptions, OptionRule> = {
  // The largest delay a timer can wait; a longer one would fire at once.
  timeoutMs: { kind: 'integer', min: 1, max: 2_147_483_647 },
  signal: { kind: 'signal' },
};

/**
 * Sends SMS and queries delivery records through Alibaba Cloud's signed POP RPC API (Dysmsapi).
 *
 * Inputs are validated before any request; Alibaba's refusals (including HTTP 200 business errors)
 * are thrown as {@link AlicomApiError}. Sends are never retried once they may have reached Alibaba.
 *
 * @publicApi
 */
@Injectable()
@InspectsAs((service: SmsService) => ({ endpoint: service['options'].endpoints.sms }))
export class SmsService {
  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly rpc: PopRpcClient,
    private readonly tracker: SendTracker,
    private readonly waiters: ReportWaiters,
    private readonly clock: AlicomSmsClock,
  ) {}

  /**
   * Sends one template SMS to one or more numbers (SendSms). Resolves once Alibaba accepted it;
   * delivery is reported later by a receipt.
   */
  async sendSms(request: SendSmsRequest, options?: SmsCallOptions): Promise<SendSmsResult> {
    const callOptions = checkOptionsObject<SmsCallOptions>('sendSms()', options, CALL_OPTION_RULES, 'SendSms', 'options.');
    const { params, phoneNumbers } = validateSendSms(request);
    const signNames = phoneNumbers.map(() => params.SignName);
    return this.send('SendSms', params, phoneNumbers, signNames, callOptions);
  }

  /** Sends one template with a signature and variables per number (SendBatchSms, up to 100 numbers). */
  async sendBatchSms(request: SendBatchSmsRequest, options?: SmsCallOptions): Promise<SendSmsResult> {
    const callOptions = checkOptionsObject<SmsCallOptions>('sendBatchSms()', options, CALL_OPTION_RULES, 'SendBatchSms', 'options.');
    const { params, phoneNumbers } = validateSendBatchSms(request);
    const signNames = JSON.parse(params.SignNameJson) as string[];
    return this.send('SendBatchSms', params, phoneNumbers, signNames, callOptions);
  }

  /**
   * The final delivery report of one number of a send, from whichever source delivers it first
   * (the receipt queue, or the QuerySendDetails back-fill). Resolves at once when the report was
   * already handled (recent reports are remembered); rejects with a {@link ReportTimeoutError} after `timeoutMs`. Needs `receipts` or `compensation` configured.
   */
  async waitForReport(bizId: string, phoneNumber: string, options?: WaitForReportOptions): Promise<SmsReport> {
    if (!this.tracker.enabled) {
      throw new AlicomSmsConfigError([
        { field: 'receipts', problem: 'waitForReport() needs receipts or compensation configured: nothing would ever deliver a report' },
      ]);
    }
    const waitOptions = checkOptionsObject<WaitForReportOptions>('waitForReport()', options, WAIT_OPTION_RULES, 'WaitForReport', 'options.');
    const problems = [];
    const normalized =
      typeof phoneNumber === 'string' && phoneNumber.length <= SMS_REQUEST_LIMITS.phoneNumberMaxLength
        ? normalizePhoneNumber(phoneNumber)
        : ({ ok: false, problem: `must be the phone number the SMS was sent to, as a string, got ${describeValue(phoneNumber)}` } as const);
    if (!normalized.ok) problems.push({ field: 'phoneNumber', problem: normalized.problem });
    if (typeof bizId !== 'string' || bizId === '' || bizId.length > SMS_REQUEST_LIMITS.bizIdMaxLength) {
      problems.push({ field: 'bizId', problem: `must be the bizId returned by sendSms()/sendBatchSms(), got ${describeValue(bizId)}` });
    }
    if (problems.length > 0 || !normalized.ok) throw new SmsInputError('WaitForReport', problems);
    return this.waiters.wait(bizId, normalized.number, waitOptions.timeoutMs ?? 60_000, waitOptions.signal);
  }

  /** One page of delivery records of one number on one (Beijing) day (QuerySendDetails). */
  async querySendDetails(request: QuerySendDetailsRequest, options?: SmsCallOptions): Promise<QuerySendDetailsResult> {
    const callOptions = checkOptionsObject<SmsCallOptions>('querySendDetails()', options, CALL_OPTION_RULES, 'QuerySendDetails', 'options.');
    const { params } = validateQuerySendDetails(request, new Date(this.clock.now()));
    const body = await this.rpc.call({
      endpoint: this.options.endpoints.sms,
      action: 'QuerySendDetails',
      params,
      idempotent: true,
      signal: callOptions.signal,
    });
    return mapQuerySendDetailsResponse(body);
  }

  /**
   * Every delivery record of one number on one day, fetching page after page (`pageSize`
   * defaults to 50, the maximum) until `TotalCount` records were seen.
   *
   * @example
   * for await (const detail of sms.iterateSendDetails({ phoneNumber, sendDate: new Date() })) { ... }
   */
  async *iterateSendDetails(
    request: Omit<QuerySendDetailsRequest, 'currentPage'>,
    options?: SmsCallOptions,
  ): AsyncGenerator<SmsSendDetail, void, undefined> {
    // Read once into a plain copy: the pages below must not re-run a caller's getters.
    const read = isObjectLike(request) ? safeEntries(request) : undefined;
    if (read && !read.ok) throw new SmsInputError('QuerySendDetails', [{ field: read.key ?? 'request', problem: read.problem }]);
    const base = (read ? Object.fromEntries(read.entries) : request) as QuerySendDetailsRequest;
    if (read && base.currentPage !== undefined) {
      throw new SmsInputError('QuerySendDetails', [
        { field: 'currentPage', problem: 'is set by iterateSendDetails() itself, page after page; leave it out (or call querySendDetails() for one page)' },
      ]);
    }
    let seen = 0;
    for (let page = 1; ; page++) {
      const result = await this.querySendDetails(read ? { ...base, currentPage: page } : base, options);
      yield* result.details;
      seen += result.details.length;
      if (result.details.length === 0 || seen >= result.totalCount) return;
    }
  }

  private async send(
    action: 'SendSms' | 'SendBatchSms',
    params: Record<string, string>,
    phoneNumbers: string[],
    signNames: string[],
    options: SmsCallOptions,
  ): Promise<SendSmsResult> {
    const sentAt = this.clock.now();
    // Announced before the call: a receipt may arrive before Alibaba's answer does.
    const inFlight = await this.tracker.begin(phoneNumbers);
    let result: SendSmsResult;
    try {
      const body = await this.rpc.call({ endpoint: this.options.endpoints.sms, action, params, idempotent: false, signal: options.signal });
      result = this.sendResult(action, body);
    } catch (error) {
      this.tracker.abandon(inFlight);
      throw error;
    }
    await this.tracker.track(
      {
        bizId: result.bizId,
        recipients: phoneNumbers.map((phoneNumber, i) => ({ phoneNumber, signName: signNames[i] })),
        templateCode: params.TemplateCode,
        outId: params.OutId,
        sentAt,
      },
      inFlight,
    );
    return result;
  }

  private sendResult(action: 'SendSms' | 'SendBatchSms', body: PopResponse): SendSmsResult {
    if (typeof body.BizId !== 'string' || body.BizId === '') {
      throw new AlicomApiError(
        `${action}: Alibaba answered OK without a BizId (RequestId ${body.RequestId}). The SMS may have been sent: do not resend blindly.`,
        { code: 'MalformedResponse', action, requestId: body.RequestId, httpStatus: 200, resendSafe: false },
      );
    }
    return { bizId: body.BizId, requestId: body.RequestId };
  }
}
