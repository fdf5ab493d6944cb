// Public surface of the emulated MNS receipt queues (re-exported by `nestjs-alicom-sms/testing`).
export { EmulatedMns, type EmulatedMnsRejection } from './emulated-mns.js';
export type { EmulatedMnsOptions } from './emulated-mns-options.js';
export type { EmulatedMnsToken } from './sts-token-registry.js';
export type { EmulatedMnsFaults } from './fault-injector.js';
export type {
  EmulatedMessageSnapshot,
  EmulatedMessageState,
  EmulatedQueueAttributes,
  EmulatedQueueStats,
} from './emulated-queue.types.js';
