import type { RandomSource } from '../seeded-random.js';

// Decides, per request, which injected fault (if any) hits a receive, peek, delete or
// change-visibility call. Every decision draws from one seeded random source in a fixed
// pattern, so the same seed and the same request order replay the same faults.

/** Faults applied to ReceiveMessage, PeekMessage, DeleteMessage and ChangeMessageVisibility requests (batch forms included). */
export interface EmulatedMnsFaults {
  /** Probability (0–1) of answering 500 `InternalError` without doing anything. @default 0 */
  errorRate: number;
  /**
   * Probability (0–1) of destroying the connection without an answer. Whether the operation was
   * applied before the reset is itself a coin flip: a reset receive may have put messages in
   * flight (they come back after the visibility timeout); a reset delete may or may not have
   * deleted. This is the ambiguity a real network gives a client. @default 0
   */
  resetRate: number;
  /** Extra delay in ms before each affected request is processed. @default 0 */
  latencyMs: number;
  /**
   * Probability (0–1) that a delivered message is also enqueued again as a separate copy with a
   * new MessageId, as Alibaba warns receipts may be duplicated. @default 0
   */
  duplicateRate: number;
}

/** What happens to one request. */
export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'error' }
  | { readonly kind: 'reset'; readonly appliedBeforeReset: boolean };

/** Draws fault decisions from a seeded random source. */
export class FaultInjector {
  constructor(
    /** Live settings; read at every decision so tests can change them mid-run. */
    readonly faults: EmulatedMnsFaults,
    private readonly random: RandomSource,
  ) {}

  /** The fault for the next request. */
  decide(): FaultDecision {
    // Always three draws, whatever the rates, to keep the sequence stable across settings.
    const errorDraw = this.random();
    const resetDraw = this.random();
    const appliedDraw = this.random();
    if (errorDraw < this.faults.errorRate) return { kind: 'error' };
    if (resetDraw < this.faults.resetRate) return { kind: 'reset', appliedBeforeReset: appliedDraw < 0.5 };
    return { kind: 'none' };
  }

  /** Whether the next delivered message gets a duplicate copy. */
  shouldDuplicate(): boolean {
    return this.faults.duplicateRate > 0 && this.random() < this.faults.duplicateRate;
  }
}
