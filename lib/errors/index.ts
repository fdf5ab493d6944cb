export * from './alicom-sms.error.js';
export * from './alicom-sms-config.error.js';
export * from './mns-request.error.js';
export * from './receipt-decode.error.js';
export * from './receipt-handler.error.js';
