/** Outcome the emulator gives a send: `random` mixes all three (see {@link EmulatorScenario}). */
export type SimulatedOutcome = 'delivered' | 'failed' | 'report-lost' | 'random';

/** Optional `simulate` part of `POST /sms`; honoured on the emulator only. */
export interface SendSimulation {
  outcome?: SimulatedOutcome;
  /** Text the handset replies a few seconds later; `false` for no reply. @default random (1 in 3) */
  reply?: string | false;
}
