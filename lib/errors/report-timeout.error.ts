import { AlicomSmsError } from './alicom-sms.error.js';

/**
 * `waitForReport()` saw no final report within its timeout. The SMS was accepted and may still be
 * delivered: the report can arrive later (compensation back-fills it); do not resend blindly.
 *
 * @publicApi
 */
export class ReportTimeoutError extends AlicomSmsError {
  /** Never: the SMS was accepted, a resend may duplicate it. */
  readonly resendSafe = false;

  constructor(
    readonly bizId: string,
    readonly phoneNumber: string,
    readonly timeoutMs: number,
  ) {
    super(
      `No final report for BizId ${bizId} to ${phoneNumber} within ${timeoutMs} ms. The SMS was accepted and may still be delivered: ` +
        'the report can arrive later (compensation back-fills it from QuerySendDetails); do not resend blindly.',
      { code: 'ReportTimeout', retryable: true },
    );
  }
}
