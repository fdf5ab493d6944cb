import type { Provider } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../../alicom-sms.constants.js';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import type { ResolvedAlicomSmsOptions } from '../../options/resolved-alicom-sms-options.js';
import { InMemoryReceiptStore } from './in-memory-receipt.store.js';

/** Injection token of the {@link ReceiptStore} in use (internal). */
export const RECEIPT_STORE = Symbol('ALICOM_SMS_RECEIPT_STORE');

const DEFAULT_LIMITS = { maxPending: 100_000, dedupeWindowSize: 100_000, dedupeWindowMs: 259_200_000 };

/** The user's store (`compensation.store`), else a bounded in-memory one on the module's clock. */
export const receiptStoreProvider: Provider = {
  provide: RECEIPT_STORE,
  useFactory: (options: ResolvedAlicomSmsOptions, clock: AlicomSmsClock) => {
    const compensation = options.compensation;
    if (compensation && compensation.store) return compensation.store;
    const limits = compensation
      ? { maxPending: compensation.maxPending, dedupeWindowSize: compensation.dedupeWindowSize, dedupeWindowMs: compensation.dedupeWindowMs }
      : DEFAULT_LIMITS;
    return new InMemoryReceiptStore(limits, () => clock.now());
  },
  inject: [ALICOM_SMS_RESOLVED_OPTIONS, AlicomSmsClock],
};
