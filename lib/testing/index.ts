// Public entry of `nestjs-alicom-sms/testing`: the local Alibaba SMS emulator for tests.
export {
  AlicomEmulator,
  EMULATOR_ACCESS_KEY_ID,
  EMULATOR_ACCESS_KEY_SECRET,
  EMULATOR_ACCOUNT_UID,
} from './alicom-emulator.js';
export { emulatorModuleOptions, type EmulatorModuleOptionsOverrides } from './emulator-module-options.js';
export type {
  AlicomEmulatorOptions,
  EmulatedDeliveryOutcome,
  EmulatedDeliveryRequest,
  EmulatedDropOptions,
  EmulatedRpcFailure,
} from './rpc/alicom-emulator-options.interface.js';
export type {
  EmulatedDeliveryStatus,
  EmulatedRecipient,
  EmulatedReply,
  EmulatedRpcAction,
  EmulatedRpcRequest,
  EmulatedSend,
  EmulatedSendFilter,
} from './rpc/emulated-records.interface.js';
export type { SmsReportMessage, SmsUpMessage } from './rpc/receipt-messages.js';
export { ManualClock } from './manual-clock.js';
// The MNS side's own public surface (EmulatedMns, its options, token and queue types).
export * from './mns/index.js';
export * from './push/index.js';
