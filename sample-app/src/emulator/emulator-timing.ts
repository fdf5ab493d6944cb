import type { AlicomSmsCompensationOptions } from 'nestjs-alicom-sms';

/** How fast the emulated account moves; tests replace it (`overrideProvider(EMULATOR_TIMING)`). */
export interface EmulatorTiming {
  /** Between a send and its outcome, so the page shows "waiting" first. */
  reportDelayMs: number;
  /** Between a send and the handset's reply. */
  replyDelayMs: number;
  /** Push mode: when the emulator pushes a request again that was not acknowledged (Alibaba: 1, 5, 10 min). */
  pushRetryDelaysMs: number[];
  /** Compensation in emulator mode (Alibaba mode keeps the module's production defaults). */
  compensation: AlicomSmsCompensationOptions;
}

export const EMULATOR_TIMING = Symbol('EMULATOR_TIMING');

/** Slow enough to watch on the page; back-filled reports show up within seconds, not the default 10 min. */
export const DEMO_TIMING: EmulatorTiming = {
  reportDelayMs: 1_500,
  replyDelayMs: 3_000,
  pushRetryDelaysMs: [5_000, 15_000, 30_000],
  compensation: { queryAfterMs: 5_000, recheckIntervalMs: 5_000, sweepIntervalMs: 2_000 },
};
