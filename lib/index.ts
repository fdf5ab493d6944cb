import './loaded-copies.js';
export { AlicomSmsModule } from './alicom-sms.module.js';
export { ALICOM_SMS_MODULE_OPTIONS } from './alicom-sms.module-definition.js';
export { ON_SMS_REPORT_METADATA, ON_SMS_UP_METADATA } from './alicom-sms.constants.js';
export { AlicomSmsClock } from './clock/alicom-sms.clock.js';
export { SmsService, type SmsCallOptions, type WaitForReportOptions } from './sms/sms.service.js';
export { SmsReceiptListener } from './receipts/sms-receipt.listener.js';
export { SmsPushReceiver, type SmsPushRequestInfo } from './receipts/push/sms-push.receiver.js';
export type { SmsPushAnswer } from './receipts/push/push-answers.js';
export { CompensationSweeper } from './compensation/compensation.sweeper.js';
export { COMPENSATION_SWEEP_JOB } from './compensation/compensation-schedule.js';
export { NO_FINAL_STATUS_ERR_CODE } from './compensation/synthesized-reports.js';
export { InMemoryReceiptStore, type InMemoryReceiptStoreLimits } from './receipts/store/in-memory-receipt.store.js';
export { RedisReceiptStore, type RedisReceiptStoreOptions } from './receipts/store/redis-receipt.store.js';
export type { RedisReceiptStoreClient } from './receipts/store/redis/redis-client.js';
export type {
  PendingReceipt,
  ReceiptClaim,
  ReceiptStore,
  ReceiptStoreWindows,
  SettledReportWatcher,
} from './receipts/store/receipt-store.interface.js';
export type { MaybePromise } from './utils/maybe-promise.js';
export { RedactedSecret } from './utils/redacted-secret.js';
export type * from './options/alicom-sms-module-options.interface.js';
export * from './decorators/index.js';
export * from './errors/index.js';
export * from './interfaces/index.js';
