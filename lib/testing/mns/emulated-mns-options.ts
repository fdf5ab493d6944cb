import type { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import type { EmulatedMnsFaults } from './fault-injector.js';

/** Options of the emulated Alicom MNS receipt queues. */
export interface EmulatedMnsOptions {
  /**
   * The queues' clock: visibility, delays and redelivery, long-poll waits, token lifetimes and
   * every time written (e.g. a `ManualClock`, moved by the test). Request dates are judged by real
   * time plus the clock's offset at construction, since clients stamp them with their own wall
   * clock. `AlicomEmulator.start({ clock })` passes its own.
   * @default the real clock
   */
  clock?: AlicomSmsClock;
  /** Lifetime of issued queue tokens in ms; also adjustable later via `tokenLifetimeMs`. @default 3_600_000 */
  tokenLifetimeMs?: number;
  /** VisibilityTimeout of new queues, in seconds (1–43200). @default 30 */
  visibilityTimeoutSeconds?: number;
  /** PollingWaitSeconds of new queues: long-poll wait when a receive names none (0–30). @default 0 */
  pollingWaitSeconds?: number;
  /**
   * Value for `HostId` in error documents, e.g. `http://1943695596114318.mns.cn-hangzhou.aliyuncs.com`.
   * @default `http://` + the request's Host header
   */
  hostId?: string;
  /**
   * Long-term AccessKeyId → AccessKeySecret pairs allowed on every queue without a
   * `security-token` (Alicom itself only hands out STS tokens; this is for other setups).
   * @default {}
   */
  accessKeys?: Readonly<Record<string, string>>;
  /** Seed of the random source behind fault injection, for reproducible runs. @default random */
  seed?: number;
  /** Initial fault settings; change them later through `EmulatedMns.faults`. @default all 0 */
  faults?: Partial<EmulatedMnsFaults>;
}
