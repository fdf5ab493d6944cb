import type { InMemoryReceiptStoreLimits } from '../receipts/store/in-memory-receipt.store.js';
import { checkOptionsObject, type OptionRule } from '../utils/options-check.js';

const DAY_MS = 86_400_000;

const LIMIT_RULES: Record<keyof InMemoryReceiptStoreLimits, OptionRule> = {
  maxPending: { kind: 'integer', min: 1, max: 10_000_000, required: true },
  dedupeWindowSize: { kind: 'integer', min: 1, max: 10_000_000, required: true },
  dedupeWindowMs: { kind: 'integer', min: 1, max: 30 * DAY_MS, required: true },
};

/**
 * Checks the limits given to `new InMemoryReceiptStore(limits)`: a misspelt or missing bound would
 * leave the store unbounded.
 *
 * @throws AlicomSmsConfigError naming every bad field and the known ones
 */
export function checkInMemoryStoreLimits(limits: unknown): InMemoryReceiptStoreLimits {
  return checkOptionsObject<InMemoryReceiptStoreLimits>('InMemoryReceiptStore limits', limits, LIMIT_RULES, 'config', 'limits.') as InMemoryReceiptStoreLimits;
}
