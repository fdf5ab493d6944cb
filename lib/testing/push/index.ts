// Public surface of the emulated HTTP batch push (re-exported by `nestjs-alicom-sms/testing`).
export { EmulatedPush } from './emulated-push.js';
export type {
  EmulatedMalformedPushKind,
  EmulatedMalformedPushOptions,
  EmulatedPushAttempt,
  EmulatedPushRequestKind,
  EmulatedPushSettings,
  EmulatedPushStats,
  EmulatedPushType,
} from './emulated-push.types.js';
