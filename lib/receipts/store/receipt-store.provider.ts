import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../../alicom-sms.constants.js';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import type { ResolvedAlicomSmsOptions } from '../../options/resolved-alicom-sms-options.js';
import { InMemoryReceiptStore } from './in-memory-receipt.store.js';
import type { ReceiptStore } from './receipt-store.interface.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/** Injection token of the {@link ReceiptStore} in use (internal). */
export const RECEIPT_STORE = Symbol('ALICOM_SMS_RECEIPT_STORE');

const DEFAULT_LIMITS = { maxPending: 100_000, dedupeWindowSize: 100_000, dedupeWindowMs: 259_200_000 };
/** A pending send outlives its give-up age by this much, so a sweep delayed by an outage still ends it. */
const PENDING_TTL_MARGIN_MS = 86_400_000;

/**
 * The user's store (`compensation.store`), told the module's windows when it keeps its own
 * expiries; else a bounded in-memory one on the module's clock.
 */
export const receiptStoreProvider: Provider = {
  provide: RECEIPT_STORE,
  useFactory: (options: ResolvedAlicomSmsOptions, clock: AlicomSmsClock) => {
    const compensation = options.compensation;
    if (compensation && compensation.store) {
      compensation.store.configure?.({
        dedupeWindowMs: compensation.dedupeWindowMs,
        pendingTtlMs: compensation.giveUpAfterMs + PENDING_TTL_MARGIN_MS,
      });
      return compensation.store;
    }
    const limits = compensation
      ? { maxPending: compensation.maxPending, dedupeWindowSize: compensation.dedupeWindowSize, dedupeWindowMs: compensation.dedupeWindowMs }
      : DEFAULT_LIMITS;
    return new InMemoryReceiptStore(limits, () => clock.now());
  },
  inject: [ALICOM_SMS_RESOLVED_OPTIONS, AlicomSmsClock],
};

/** Closes what the store opened itself (e.g. its Redis connections) once the app has stopped using it. */
@Injectable()
@InspectsAs()
export class ReceiptStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(RECEIPT_STORE) private readonly store: ReceiptStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close?.();
  }
}
