export * from './sms-receipt.interface.js';
export * from './sms-requests.interface.js';
export * from './receipt-events.interface.js';
