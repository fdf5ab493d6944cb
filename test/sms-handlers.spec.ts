import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Injectable, Scope, type Provider, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CapturingLogger, Test, type TestingModule } from '@nestjs/testing';
import { OnSmsReport, OnSmsUp } from '../lib/decorators/index.js';
import { ReceiptHandlerError } from '../lib/errors/receipt-handler.error.js';
import type { SmsReport, SmsUp } from '../lib/interfaces/sms-receipt.interface.js';
import { ReceiptDispatcher } from '../lib/receipts/delivery/receipt-dispatcher.js';
import { SmsHandlersExplorer } from '../lib/receipts/delivery/sms-handlers.explorer.js';
import { sampleReport } from './support/receipt-fixtures.js';

// ---- fixtures ---------------------------------------------------------------------------------

const RAW_MARKER = 'raw-body-must-not-be-logged';

function report(overrides: Partial<SmsReport> = {}): SmsReport {
  return sampleReport({ outId: 'order-1', messageId: 'MSG-REPORT-1', raw: { marker: RAW_MARKER }, ...overrides });
}

function reply(overrides: Partial<SmsUp> = {}): SmsUp {
  return {
    type: 'SmsUp',
    phoneNumber: '13900139000',
    content: 'TD',
    sequenceId: '1234567890123456789',
    sendTime: new Date('2024-01-01T00:00:00Z'),
    source: 'mns',
    messageId: 'MSG-UP-1',
    raw: { marker: RAW_MARKER },
    ...overrides,
  };
}

/** Async handler that records the receipt only after a delay, to prove it is awaited. */
@Injectable()
class ReportTracker {
  readonly received: SmsReport[] = [];

  @OnSmsReport()
  async onReport(receipt: SmsReport): Promise<void> {
    await sleep(30);
    this.received.push(receipt);
  }

  // Not decorated: must never be called.
  notAHandler(): void {
    throw new Error('notAHandler must not be discovered');
  }
}

@Controller()
class ReplyController {
  readonly received: SmsUp[] = [];

  @OnSmsUp()
  onReply(receipt: SmsUp): void {
    this.received.push(receipt);
  }
}

@Injectable()
class SyncThrower {
  @OnSmsReport()
  onReport(): void {
    throw new Error('sync boom');
  }
}

@Injectable()
class AsyncRejecter {
  @OnSmsReport()
  async onReport(): Promise<void> {
    await sleep(5);
    throw new Error('async boom');
  }
}

@Injectable()
class NonErrorRejecter {
  @OnSmsUp()
  async onReply(): Promise<void> {
    throw 'plain string';
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedHandler {
  @OnSmsReport()
  onReport(): void {}
}

@Injectable({ scope: Scope.TRANSIENT })
class TransientHandler {
  @OnSmsUp()
  onReply(): void {}
}

// ---- harness ----------------------------------------------------------------------------------

const openModules: TestingModule[] = [];

afterEach(async () => {
  await Promise.all(openModules.splice(0).map((moduleRef) => moduleRef.close()));
});

async function startModule(
  fixtures: { providers?: Provider[]; controllers?: Type[] } = {},
): Promise<{ moduleRef: TestingModule; logger: CapturingLogger; dispatcher: ReceiptDispatcher; explorer: SmsHandlersExplorer }> {
  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [SmsHandlersExplorer, ReceiptDispatcher, ...(fixtures.providers ?? [])],
    controllers: fixtures.controllers ?? [],
  })
    .setLogger(logger)
    .compile();
  openModules.push(moduleRef);
  await moduleRef.init();
  return {
    moduleRef,
    logger,
    dispatcher: moduleRef.get(ReceiptDispatcher),
    explorer: moduleRef.get(SmsHandlersExplorer),
  };
}

/** Runs every handler of the receipt and waits for them, as the delivery does. */
async function dispatchAll(dispatcher: ReceiptDispatcher, receipt: SmsReport | SmsUp): Promise<void> {
  await dispatcher.start(receipt);
}

function handlerNames(explorer: SmsHandlersExplorer, type: 'SmsReport' | 'SmsUp'): string[] {
  return explorer.handlersFor(type).map((handler) => handler.name);
}

// ---- tests ------------------------------------------------------------------------------------

describe('receipt handler discovery and dispatch', () => {
  it('discovers handlers on providers and controllers and routes each receipt kind to its own', async () => {
    const { moduleRef, dispatcher, explorer } = await startModule({
      providers: [
        ReportTracker,
        // Values without a usable prototype or of primitive type must not break discovery.
        { provide: 'NULL_PROTOTYPE', useValue: Object.create(null) },
        { provide: 'PRIMITIVE', useValue: 42 },
      ],
      controllers: [ReplyController],
    });

    assert.deepEqual(handlerNames(explorer, 'SmsReport'), ['ReportTracker#onReport']);
    assert.deepEqual(handlerNames(explorer, 'SmsUp'), ['ReplyController#onReply']);
    assert.equal(explorer.handlerCount('SmsReport'), 1);

    const tracker = moduleRef.get(ReportTracker);
    const controller = moduleRef.get(ReplyController);
    const theReport = report();
    const theReply = reply();

    await dispatchAll(dispatcher, theReport);
    // The handler pushes only after its 30 ms delay: dispatch waited for it (and `this` is right).
    assert.deepEqual(tracker.received, [theReport]);
    assert.deepEqual(controller.received, []);

    await dispatchAll(dispatcher, theReply);
    assert.deepEqual(controller.received, [theReply]);
    assert.deepEqual(tracker.received, [theReport]);
  });

  it('resolves when no handler is registered for the receipt kind', async () => {
    const { dispatcher, explorer } = await startModule({ controllers: [ReplyController] });
    assert.equal(explorer.handlerCount('SmsReport'), 0);
    await dispatchAll(dispatcher, report());
  });

  it('rejects with ReceiptHandlerError naming the failed handlers, after the others finished', async () => {
    const { moduleRef, dispatcher, logger } = await startModule({
      providers: [SyncThrower, ReportTracker, AsyncRejecter],
    });
    const tracker = moduleRef.get(ReportTracker);
    const theReport = report();

    const error = await dispatchAll(dispatcher, theReport).then(
      () => assert.fail('dispatch should reject'),
      (reason: unknown) => reason,
    );

    assert.ok(error instanceof ReceiptHandlerError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'ReceiptHandlerError');
    assert.equal(error.receiptType, 'SmsReport');
    assert.equal(error.messageId, 'MSG-REPORT-1');
    assert.deepEqual(
      error.failures.map((f) => [f.handler, (f.error as Error).message]),
      [
        ['SyncThrower#onReport', 'sync boom'],
        ['AsyncRejecter#onReport', 'async boom'],
      ],
    );
    assert.match(error.message, /SyncThrower#onReport: sync boom/);
    assert.match(error.message, /AsyncRejecter#onReport: async boom/);
    // The slow successful handler was not cut short by the early synchronous throw.
    assert.deepEqual(tracker.received, [theReport]);

    for (const [handler, message] of [
      ['SyncThrower#onReport', 'sync boom'],
      ['AsyncRejecter#onReport', 'async boom'],
    ]) {
      const entry = logger.assertLogged({
        level: 'error',
        context: 'AlicomSms',
        message: new RegExp(`${handler} failed for SmsReport BizId=900619746936498440\\^0 .*MessageId=MSG-REPORT-1.*${message}`),
      });
      assert.match(entry.stack ?? '', new RegExp(`Error: ${message}\\n\\s+at `));
    }
    // Receipt identity without the full number, the raw body or a reply's text.
    logger.assertLogged({ level: 'error', message: /phone=138\*\*\*\*8000/ });
    logger.assertNotLogged({ message: /13800138000/ });
    logger.assertNotLogged({ message: new RegExp(RAW_MARKER) });
  });

  it('reports a non-Error rejection with its value', async () => {
    const { dispatcher, logger } = await startModule({ providers: [NonErrorRejecter] });

    await assert.rejects(dispatchAll(dispatcher, reply({ content: 'private reply text' })), (error: unknown) => {
      assert.ok(error instanceof ReceiptHandlerError);
      assert.equal(error.receiptType, 'SmsUp');
      assert.deepEqual(error.failures, [{ handler: 'NonErrorRejecter#onReply', error: 'plain string' }]);
      return true;
    });
    logger.assertLogged({
      level: 'error',
      message: /NonErrorRejecter#onReply failed for SmsUp SequenceId=1234567890123456789 .*MessageId=MSG-UP-1.*plain string/,
    });
    logger.assertNotLogged({ message: /private reply text/ });
  });

  it('registers a handler once when its provider is also reachable through a useExisting alias', async () => {
    const { moduleRef, dispatcher, explorer } = await startModule({
      providers: [ReportTracker, { provide: 'TRACKER_ALIAS', useExisting: ReportTracker }],
    });
    assert.strictEqual(moduleRef.get('TRACKER_ALIAS'), moduleRef.get(ReportTracker));

    assert.deepEqual(handlerNames(explorer, 'SmsReport'), ['ReportTracker#onReport']);
    await dispatchAll(dispatcher, report());
    assert.equal(moduleRef.get(ReportTracker).received.length, 1);
  });

  it('skips handlers of request-scoped and transient providers with a warning naming Class#method', async () => {
    const { dispatcher, explorer, logger } = await startModule({
      providers: [RequestScopedHandler, TransientHandler, ReportTracker],
    });

    assert.deepEqual(handlerNames(explorer, 'SmsReport'), ['ReportTracker#onReport']);
    assert.deepEqual(handlerNames(explorer, 'SmsUp'), []);
    logger.assertLogged({
      level: 'warn',
      context: 'AlicomSms',
      message: /@OnSmsReport\(\) handler RequestScopedHandler#onReport is ignored: its class is request-scoped.*singleton/,
    });
    logger.assertLogged({
      level: 'warn',
      context: 'AlicomSms',
      message: /@OnSmsUp\(\) handler TransientHandler#onReply is ignored: its class is transient.*singleton/,
    });
    // Nothing else warned about (e.g. undecorated methods or healthy handlers).
    assert.equal(logger.filter({ level: 'warn', context: 'AlicomSms' }).length, 2);

    await dispatchAll(dispatcher, reply());
  });

  it('calls a spy installed on the instance after init, with the instance as `this`', async () => {
    const { moduleRef, dispatcher } = await startModule({ providers: [ReportTracker] });
    const tracker = moduleRef.get(ReportTracker);
    const spy = mock.method(tracker, 'onReport', async function (this: ReportTracker) {
      assert.strictEqual(this, tracker);
    });

    const theReport = report();
    await dispatchAll(dispatcher, theReport);

    assert.equal(spy.mock.callCount(), 1);
    assert.deepEqual(spy.mock.calls[0].arguments, [theReport]);
    assert.deepEqual(tracker.received, [], 'the original method was replaced by the spy');
    spy.mock.restore();
  });

  it('keeps two testing modules in one process apart', async () => {
    const first = await startModule({ providers: [ReportTracker] });
    const second = await startModule({ providers: [ReportTracker] });
    const firstTracker = first.moduleRef.get(ReportTracker);
    const secondTracker = second.moduleRef.get(ReportTracker);
    assert.notStrictEqual(firstTracker, secondTracker);
    assert.equal(first.explorer.handlerCount('SmsReport'), 1);
    assert.equal(second.explorer.handlerCount('SmsReport'), 1);

    const firstReport = report({ messageId: 'FIRST' });
    const secondReport = report({ messageId: 'SECOND' });
    await dispatchAll(first.dispatcher, firstReport);
    await dispatchAll(second.dispatcher, secondReport);

    assert.deepEqual(firstTracker.received, [firstReport]);
    assert.deepEqual(secondTracker.received, [secondReport]);
  });
});
