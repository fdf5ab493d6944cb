import { AlicomSmsError } from './alicom-sms.error.js';

/**
 * The receipt store (e.g. Redis) did not answer or refused an operation. Nothing is lost: a
 * receipt that could not be claimed or settled stays on its queue and comes back, and a send whose
 * tracking failed is tracked again once the store answers.
 *
 * @publicApi
 */
export class ReceiptStoreError extends AlicomSmsError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'ReceiptStoreUnavailable', retryable: true, cause });
  }

  /** `error` as a ReceiptStoreError: itself when it is one, else wrapped, naming the step that failed. */
  static wrap(error: unknown, step: string): ReceiptStoreError {
    if (error instanceof ReceiptStoreError) return error;
    return new ReceiptStoreError(`Receipt store ${step} failed: ${(error as Error)?.message ?? String(error)}`, error);
  }
}
