export { AlicomSmsModule } from './alicom-sms.module.js';
export { ALICOM_SMS_MODULE_OPTIONS } from './alicom-sms.module-definition.js';
export { ON_SMS_REPORT_METADATA, ON_SMS_UP_METADATA } from './alicom-sms.constants.js';
export { SmsService, type SmsCallOptions } from './sms.service.js';
export { SmsReceiptListener } from './receipts/sms-receipt.listener.js';
export * from './decorators/index.js';
export * from './errors/index.js';
export * from './interfaces/index.js';
