import { Inject, Injectable } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from './alicom-sms.constants.js';
import { AlicomSmsError } from './errors/alicom-sms.error.js';
import type { ResolvedAlicomSmsOptions } from './interfaces/alicom-sms-module-options.interface.js';
import type {
  QuerySendDetailsRequest,
  QuerySendDetailsResult,
  SendBatchSmsRequest,
  SendSmsRequest,
  SendSmsResult,
  SmsSendDetail,
} from './interfaces/sms-requests.interface.js';
import { PopRpcClient, type PopResponse } from './rpc/pop-rpc.client.js';
import { mapQuerySendDetailsResponse } from './sms/send-details.mapper.js';
import { validateQuerySendDetails, validateSendBatchSms, validateSendSms } from './sms/sms-request.validator.js';

/** Per-call options of {@link SmsService} methods. @publicApi */
export interface SmsCallOptions {
  /** Cancels the call (and its retries). A cancelled send may still have reached Alibaba. */
  signal?: AbortSignal;
}

/**
 * Sends SMS and queries delivery records through Alibaba Cloud's signed POP RPC API (Dysmsapi).
 *
 * Inputs are validated before any request; Alibaba's refusals (including HTTP 200 business errors)
 * are thrown as {@link AlicomSmsError}. Sends are never retried once they may have reached Alibaba.
 *
 * @publicApi
 */
@Injectable()
export class SmsService {
  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly rpc: PopRpcClient,
  ) {}

  /**
   * Sends one template SMS to one or more numbers (SendSms). Resolves once Alibaba accepted it;
   * delivery is reported later by a receipt.
   */
  async sendSms(request: SendSmsRequest, options: SmsCallOptions = {}): Promise<SendSmsResult> {
    const { params } = validateSendSms(request);
    const body = await this.rpc.call({ endpoint: this.options.endpoints.sms, action: 'SendSms', params, idempotent: false, signal: options.signal });
    return this.sendResult('SendSms', body);
  }

  /** Sends one template with a signature and variables per number (SendBatchSms, up to 100 numbers). */
  async sendBatchSms(request: SendBatchSmsRequest, options: SmsCallOptions = {}): Promise<SendSmsResult> {
    const { params } = validateSendBatchSms(request);
    const body = await this.rpc.call({ endpoint: this.options.endpoints.sms, action: 'SendBatchSms', params, idempotent: false, signal: options.signal });
    return this.sendResult('SendBatchSms', body);
  }

  /** One page of delivery records of one number on one (Beijing) day (QuerySendDetails). */
  async querySendDetails(request: QuerySendDetailsRequest, options: SmsCallOptions = {}): Promise<QuerySendDetailsResult> {
    const { params } = validateQuerySendDetails(request);
    const body = await this.rpc.call({
      endpoint: this.options.endpoints.sms,
      action: 'QuerySendDetails',
      params,
      idempotent: true,
      signal: options.signal,
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
    options: SmsCallOptions = {},
  ): AsyncGenerator<SmsSendDetail, void, undefined> {
    let seen = 0;
    for (let page = 1; ; page++) {
      const result = await this.querySendDetails({ ...request, currentPage: page }, options);
      yield* result.details;
      seen += result.details.length;
      if (result.details.length === 0 || seen >= result.totalCount) return;
    }
  }

  private sendResult(action: 'SendSms' | 'SendBatchSms', body: PopResponse): SendSmsResult {
    if (typeof body.BizId !== 'string' || body.BizId === '') {
      throw new AlicomSmsError(
        `${action}: Alibaba answered OK without a BizId (RequestId ${body.RequestId}). The SMS may have been sent: do not resend blindly.`,
        { code: 'MalformedResponse', action, requestId: body.RequestId, httpStatus: 200, resendSafe: false },
      );
    }
    return { bizId: body.BizId, requestId: body.RequestId };
  }
}
