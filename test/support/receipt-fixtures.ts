// Shared fixtures of the receipt unit tests: a delivery report, and a ReceiptDispatcher over plain
// functions (no Nest discovery) with a silent logger.
import type { Logger } from '@nestjs/common';
import type { SmsReport, SmsUp } from '../../lib/interfaces/sms-receipt.interface.js';
import { ReceiptDispatcher } from '../../lib/receipts/delivery/receipt-dispatcher.js';
import type { DiscoveredReceiptHandler, SmsHandlersExplorer } from '../../lib/receipts/delivery/sms-handlers.explorer.js';

/** A delivered SmsReport from the queue; `overrides` replace any field. */
export function sampleReport(overrides: Partial<SmsReport> = {}): SmsReport {
  return {
    type: 'SmsReport',
    phoneNumber: '13800138000',
    bizId: '900619746936498440^0',
    success: true,
    errCode: 'DELIVERED',
    errMsg: '用户接收成功',
    smsSize: 1,
    sendTime: new Date('2024-01-01T00:00:00Z'),
    reportTime: new Date('2024-01-01T00:00:05Z'),
    source: 'mns',
    raw: {},
    ...overrides,
  };
}

export const silentLogger = { error: () => {}, warn: () => {}, log: () => {}, debug: () => {} } as unknown as Logger;

/** A dispatcher over the given handler functions, without Nest discovery. */
export function dispatcherOf(...handlers: Array<(receipt: SmsReport | SmsUp) => unknown>): ReceiptDispatcher {
  const discovered: DiscoveredReceiptHandler[] = handlers.map((fn, i) => ({ name: `Handler#${i}`, call: fn }));
  const explorer = { handlersFor: () => discovered } as unknown as SmsHandlersExplorer;
  const dispatcher = new ReceiptDispatcher(explorer);
  (dispatcher as unknown as { logger: Logger }).logger = silentLogger;
  return dispatcher;
}
