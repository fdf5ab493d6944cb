export * from './alicom-sms.error.js';
export * from './alicom-api.error.js';
export * from './sms-input.error.js';
export * from './alicom-sms-config.error.js';
export * from './mns-request.error.js';
export * from './report-timeout.error.js';
export * from './receipt-decode.error.js';
export * from './receipt-handler.error.js';
