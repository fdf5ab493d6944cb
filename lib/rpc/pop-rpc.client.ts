import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS, POP_API_VERSION } from '../alicom-sms.constants.js';
import { rpcRetryMessages, rpcRetryText } from '../alicom-sms.messages.js';
import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';
import { AlicomApiError, type AlicomAction, type AlicomApiErrorDetails } from '../errors/alicom-api.error.js';
import { HttpTransport, HttpTransportError, type HttpFailureKind } from '../http/http-transport.js';
import type { ResolvedAlicomSmsOptions } from '../options/resolved-alicom-sms-options.js';
import { retryDelayMs } from '../utils/backoff.js';
import { FailureStreakLog } from '../utils/failure-streak-log.js';
import { SecretScrubber } from '../utils/secret-scrubber.js';
import { signRpcParameters } from './pop-signature.js';
import { InspectsAs } from '../utils/inspects-as.js';

/** A successful POP response: `Code` is `OK`; the action's own fields follow. */
export type PopResponse = { RequestId: string; Code: string; Message?: string } & Record<string, unknown>;

/** One signed POP RPC call. */
export interface PopCall {
  /** Origin of the product (Dysmsapi or Dybaseapi). */
  endpoint: string;
  action: AlicomAction;
  /** The action's own parameters, already validated and stringified. */
  params: Record<string, string>;
  /**
   * `false` for sends: the call is then retried only when the request certainly never left
   * this process (connection refused / DNS / connect timeout).
   */
  idempotent: boolean;
  signal?: AbortSignal;
}

// Codes after which the same call may succeed later.
const RETRYABLE_CODES = /^(Throttling(\..*)?|isp\.SYSTEM_ERROR|ServiceUnavailable.*|InternalError|SignatureNonceUsed|isv\.BUSINESS_LIMIT_CONTROL|QpsLimitExceeded)$/;
// Codes that prove Alibaba rejected the request before sending anything.
const REJECTED_BEFORE_SENDING = /^(isv\..*|Throttling(\..*)?|SignatureDoesNotMatch|InvalidAccessKeyId.*|InvalidTimeStamp.*|SignatureNonceUsed|MissingParameter|Missing.*|InvalidParameter.*|Forbidden.*|isp\.RAM_PERMISSION_DENY|InvalidAction.*|InvalidVersion.*|IncompleteSignature|InvalidSecurityToken.*)$/;

/** Server text quoted into an error is cut to this many characters. */
const MAX_QUOTED_CHARS = 500;

function quoted(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}

/** The code of a call whose request may have left (a refused connection is `ConnectionFailed`). */
const TRANSPORT_FAILURE_CODES: Record<HttpFailureKind, string> = {
  connect: 'ConnectionFailed',
  timeout: 'Timeout',
  aborted: 'Aborted',
  network: 'NetworkError',
  'too-large': 'ResponseTooLarge',
};

const HINTS: Record<string, string> = {
  SignatureDoesNotMatch: 'Check accessKeySecret: it does not belong to accessKeyId.',
  'InvalidAccessKeyId.NotFound': 'Check accessKeyId: Alibaba does not know it (deleted, or a typo).',
  'InvalidTimeStamp.Expired': "This machine's clock is more than 15 minutes off; sync it (NTP).",
  'isv.BUSINESS_LIMIT_CONTROL': 'Per-number frequency limit hit: wait before sending to this number again (limits are set in the SMS console).',
  'isp.RAM_PERMISSION_DENY': 'Grant the RAM user the AliyunDysmsFullAccess policy (or dysms:* actions).',
  'isv.SMS_TEMPLATE_ILLEGAL': 'Check templateCode: the template must exist, be approved and belong to this account.',
  'isv.SMS_SIGNATURE_ILLEGAL': 'Check signName: the signature must exist, be approved and belong to this account.',
  'isv.TEMPLATE_MISSING_PARAMETERS': 'templateParam lacks a variable the template uses.',
  'isv.AMOUNT_NOT_ENOUGH': 'The account balance is too low.',
};

/**
 * Signed POP RPC calls (signature v1, HMAC-SHA1, POST form) to Dysmsapi and Dybaseapi, with
 * Alibaba's answers mapped to {@link AlicomApiError}. A business error (HTTP 200 with `Code` other
 * than `OK`) is thrown like any other failure.
 */
@Injectable()
@InspectsAs()
export class PopRpcClient {
  private readonly logger = new Logger('AlicomSms');
  private readonly retryLogs = new Map<string, FailureStreakLog>();
  /** The module's secrets and the queue tokens handed out, kept out of every error text. */
  private readonly scrubber: SecretScrubber;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly transport: HttpTransport,
    private readonly clock: AlicomSmsClock,
  ) {
    this.scrubber = new SecretScrubber([options.credentials.accessKeySecret, options.credentials.securityToken]);
  }

  async call(call: PopCall): Promise<PopResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        const body = await this.callOnce(call);
        this.retryLogs.get(call.action)?.succeeded();
        return body;
      } catch (error) {
        if (!(error instanceof AlicomApiError) || !this.mayRetry(call, error, attempt)) throw error;
        const wait = retryDelayMs(attempt, 200, 5_000);
        this.retryLog(call.action).failed(rpcRetryText(error.message, attempt + 1, this.options.maxQueryRetries, wait));
        await this.clock.sleep(wait, call.signal);
      }
    }
  }

  /** One log of retries per action, so a failing endpoint gives a line a minute, not one per attempt. */
  private retryLog(action: string): FailureStreakLog {
    let log = this.retryLogs.get(action);
    if (!log) {
      log = new FailureStreakLog(rpcRetryMessages(action), this.logger, () => this.clock.now(), 'warn');
      this.retryLogs.set(action, log);
    }
    return log;
  }

  private mayRetry(call: PopCall, error: AlicomApiError, attempt: number): boolean {
    if (attempt >= this.options.maxQueryRetries || call.signal?.aborted) return false;
    if (!call.idempotent) return error.code === 'ConnectionFailed';
    return error.retryable;
  }

  private async callOnce(call: PopCall): Promise<PopResponse> {
    const { credentials } = this.options;
    // The common parameters first, the action's own after: V8 copies onto a literal of this size
    // cheaply, while spreading into its front takes a slow path.
    const params: Record<string, string> = {
      Action: call.action,
      Version: POP_API_VERSION,
      Format: 'JSON',
      AccessKeyId: credentials.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...call.params,
    };
    if (credentials.securityToken) params.SecurityToken = credentials.securityToken;
    const { encoded } = signRpcParameters('POST', params, credentials.accessKeySecret);

    let status: number;
    let text: string;
    try {
      const response = await this.transport.send({
        method: 'POST',
        url: `${call.endpoint}/`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'x-acs-action': call.action,
          'x-acs-version': POP_API_VERSION,
        },
        body: encoded,
        timeoutMs: this.options.requestTimeoutMs,
        signal: call.signal,
      });
      status = response.status;
      text = response.body;
    } catch (error) {
      throw this.transportFailure(call, error);
    }

    let body: Partial<PopResponse> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Partial<PopResponse>;
    } catch {
      // handled below
    }
    if (!body || typeof body.Code !== 'string') {
      throw this.error(
        `${call.action}: unexpected response (HTTP ${status}, not Alibaba's JSON: ${JSON.stringify(text.slice(0, 120))}). ` +
          (call.idempotent ? '' : 'The request reached the server: do not resend blindly; check QuerySendDetails first.'),
        { code: 'MalformedResponse', action: call.action, httpStatus: status, resendSafe: false, retryable: status >= 500 },
      );
    }
    if (status === 200 && body.Code === 'OK') {
      if (call.action === 'QueryTokenForMnsQueue') this.learnQueueToken(body);
      return body as PopResponse;
    }
    throw this.apiFailure(call, status, body);
  }

  /** A queue token's secrets join the scrubbed ones: no later answer may echo them into an error. */
  private learnQueueToken(body: Partial<PopResponse>): void {
    const dto = body.MessageTokenDTO as Record<string, unknown> | undefined;
    if (typeof dto !== 'object' || dto === null) return;
    for (const field of ['AccessKeySecret', 'SecurityToken']) {
      if (typeof dto[field] === 'string') this.scrubber.learn(dto[field]);
    }
  }

  /**
   * Every AlicomApiError of a call: whatever the server put in its answer (a gateway reflecting the
   * request carries the security token), known secrets are scrubbed from the message, code and id.
   */
  private error(message: string, details: AlicomApiErrorDetails): AlicomApiError {
    return new AlicomApiError(this.scrubber.scrub(message), {
      ...details,
      code: this.scrubber.scrub(quoted(details.code)),
      requestId: this.scrubber.scrubOptional(details.requestId === undefined ? undefined : quoted(details.requestId)),
    });
  }

  private apiFailure(call: PopCall, status: number, body: Partial<PopResponse>): AlicomApiError {
    const code = body.Code as string;
    // The server echoes its string to sign, which can carry a SecurityToken: keep only the sentence.
    const serverMessage = quoted(String(body.Message ?? '').split(' server string to sign is:')[0]);
    const resendSafe = status < 500 && REJECTED_BEFORE_SENDING.test(code);
    const retryable = status >= 500 || RETRYABLE_CODES.test(code);
    const hint = HINTS[code] ? ` ${HINTS[code]}` : '';
    const resend = call.idempotent ? '' : resendSafe ? ' Nothing was sent; a resend is safe.' : ' The SMS may have been sent: do not resend blindly.';
    const requestId = typeof body.RequestId === 'string' ? body.RequestId : undefined;
    return this.error(
      `${call.action} failed: ${code}: ${serverMessage} (HTTP ${status}, RequestId ${requestId ?? 'n/a'}).${hint}${resend}`,
      { code, action: call.action, requestId, httpStatus: status, resendSafe, retryable },
    );
  }

  private transportFailure(call: PopCall, error: unknown): AlicomApiError {
    if (!(error instanceof HttpTransportError)) {
      return this.error(`${call.action} failed: ${String(error)}`, { code: 'NetworkError', action: call.action, resendSafe: false, cause: error });
    }
    const neverSent = !error.requestMayHaveBeenSent;
    const code = neverSent ? 'ConnectionFailed' : TRANSPORT_FAILURE_CODES[error.kind];
    const resend = call.idempotent
      ? ''
      : neverSent
        ? ' The request never left this process; a resend is safe.'
        : ' The request may have reached Alibaba and the SMS may have been sent: do not resend blindly; check QuerySendDetails first.';
    return this.error(`${call.action} failed: ${error.message}.${resend}`, {
      code,
      action: call.action,
      resendSafe: neverSent,
      retryable: code !== 'Aborted',
      cause: error,
    });
  }
}
