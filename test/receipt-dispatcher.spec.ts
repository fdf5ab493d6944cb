// ReceiptDispatcher.start(): the handlers' run without a promise when none returned one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '@nestjs/common';
import type { SmsReport, SmsUp } from '../lib/interfaces/sms-receipt.interface.js';
import { ReceiptDispatcher } from '../lib/receipts/receipt-dispatcher.js';
import type { DiscoveredReceiptHandler, SmsHandlersExplorer } from '../lib/receipts/sms-handlers.explorer.js';

function report(bizId = '900619746936498440^0', phoneNumber = '13800138000'): SmsReport {
  return {
    type: 'SmsReport',
    phoneNumber,
    bizId,
    success: true,
    errCode: 'DELIVERED',
    errMsg: '用户接收成功',
    smsSize: 1,
    sendTime: new Date('2024-01-01T00:00:00Z'),
    reportTime: new Date('2024-01-01T00:00:05Z'),
    source: 'mns',
    raw: {},
  };
}

const silentLogger = { error: () => {}, warn: () => {}, log: () => {}, debug: () => {} } as unknown as Logger;

/** A dispatcher over the given handler functions, without Nest discovery. */
function dispatcherOf(...handlers: Array<(receipt: SmsReport | SmsUp) => unknown>): ReceiptDispatcher {
  const discovered: DiscoveredReceiptHandler[] = handlers.map((fn, i) => ({ name: `Handler#${i}`, call: fn }));
  const explorer = { handlersFor: () => discovered } as unknown as SmsHandlersExplorer;
  const dispatcher = new ReceiptDispatcher(explorer);
  (dispatcher as unknown as { logger: Logger }).logger = silentLogger;
  return dispatcher;
}

describe('ReceiptDispatcher.start', () => {
  it('returns nothing to wait for when every handler returned normally without a promise', () => {
    const calls: string[] = [];
    const dispatcher = dispatcherOf(
      () => calls.push('a'),
      () => calls.push('b'),
    );
    assert.equal(dispatcher.start(report()), undefined);
    assert.deepEqual(calls, ['a', 'b']);
    assert.equal(dispatcherOf().start(report()), undefined);
  });

  it('returns a promise once a handler is async or throws, and still starts every handler', async () => {
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = dispatcherOf(
      () => calls.push('sync'),
      async () => {
        await gate;
        calls.push('async');
      },
      () => calls.push('after'),
    ).start(report());
    assert.ok(running instanceof Promise);
    assert.deepEqual(calls, ['sync', 'after']);
    release();
    await running;
    assert.deepEqual(calls, ['sync', 'after', 'async']);

    const failing = dispatcherOf(
      () => {
        throw new Error('sync failure');
      },
      () => calls.push('still called'),
    ).start(report());
    assert.ok(failing instanceof Promise);
    await assert.rejects(failing, { name: 'ReceiptHandlerError' });
    assert.equal(calls.at(-1), 'still called');
  });
});
