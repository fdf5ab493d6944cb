// ReceiptDispatcher.start(): the handlers' run without a promise when none returned one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatcherOf, sampleReport } from './support/receipt-fixtures.js';

describe('ReceiptDispatcher.start', () => {
  it('returns nothing to wait for when every handler returned normally without a promise', () => {
    const calls: string[] = [];
    const dispatcher = dispatcherOf(
      () => calls.push('a'),
      () => calls.push('b'),
    );
    assert.equal(dispatcher.start(sampleReport()), undefined);
    assert.deepEqual(calls, ['a', 'b']);
    assert.equal(dispatcherOf().start(sampleReport()), undefined);
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
    ).start(sampleReport());
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
    ).start(sampleReport());
    assert.ok(failing instanceof Promise);
    await assert.rejects(failing, { name: 'ReceiptHandlerError' });
    assert.equal(calls.at(-1), 'still called');
  });
});
