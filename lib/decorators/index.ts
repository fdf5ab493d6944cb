export * from './on-sms-report.decorator.js';
export * from './on-sms-up.decorator.js';
