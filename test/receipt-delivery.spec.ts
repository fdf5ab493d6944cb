// ReceiptDelivery: correlation, de-duplication through the store, handlers, settlement and
// publication, the same with a store that answers at once and with one that answers in promises.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SmsReport } from '../lib/interfaces/sms-receipt.interface.js';
import { InFlightSends } from '../lib/receipts/delivery/in-flight-sends.js';
import { ReceiptDelivery } from '../lib/receipts/delivery/receipt-delivery.js';
import type { ReceiptDispatcher } from '../lib/receipts/delivery/receipt-dispatcher.js';
import { ReportWaiters } from '../lib/receipts/delivery/report-waiters.js';
import { ReceiptStreams } from '../lib/receipts/receipt-streams.js';
import { InMemoryReceiptStore } from '../lib/receipts/store/in-memory-receipt.store.js';
import type { ReceiptStore } from '../lib/receipts/store/receipt-store.interface.js';
import { ReceiptStoreHealth } from '../lib/receipts/store/receipt-store-health.js';
import { ManualClock } from '../lib/testing/manual-clock.js';
import { dispatcherOf, sampleReport } from './support/receipt-fixtures.js';

const newStore = () => new InMemoryReceiptStore({ maxPending: 100, dedupeWindowSize: 100, dedupeWindowMs: 60_000 });

/** The same store behind promises, as a networked store (Redis, a database) answers. */
function asynchronous(store: InMemoryReceiptStore): ReceiptStore {
  return {
    addPending: async (entries) => store.addPending(entries),
    getPending: async (bizId, phone) => store.getPending(bizId, phone),
    claim: async (key, leaseMs) => store.claim(key, leaseMs),
    settle: async (key, pending) => store.settle(key, pending),
    release: async (key) => store.release(key),
    claimDue: async (now, limit, leaseMs) => store.claimDue(now, limit, leaseMs),
    reschedule: async (bizId, phone, at, checked) => store.reschedule(bizId, phone, at, checked),
    pendingCount: async () => store.pendingCount(),
  };
}

function deliveryWith(store: ReceiptStore, dispatcher: ReceiptDispatcher, inFlightSends = new InFlightSends()) {
  const streams = new ReceiptStreams();
  const clock = new ManualClock();
  const waiters = new ReportWaiters(clock, store);
  const delivery = new ReceiptDelivery(store, dispatcher, inFlightSends, waiters, streams, new ReceiptStoreHealth(clock), clock);
  const published: SmsReport[] = [];
  streams.reports$.subscribe((r) => published.push(r));
  return { delivery, published, waiters };
}

const PENDING = { phoneNumber: '13800138000', templateCode: 'SMS_1', signName: 'S', sentAt: 1_000, nextCheckAt: 0, checks: 0 };

for (const [kind, wrap] of [
  ['a store that answers at once', (s: InMemoryReceiptStore): ReceiptStore => s],
  ['a store that answers in promises', asynchronous],
] as const) {
  describe(`ReceiptDelivery with ${kind}`, () => {
    it('correlates, runs the handlers once, settles the pending send and publishes; a copy is a duplicate', async () => {
      const memory = newStore();
      memory.addPending([{ ...PENDING, bizId: 'B1', outId: 'o-1' }]);
      const handled: SmsReport[] = [];
      const { delivery, published, waiters } = deliveryWith(wrap(memory), dispatcherOf((r) => handled.push(r as SmsReport)));
      const first = sampleReport({ bizId: 'B1' });
      assert.equal(await delivery.deliver(first), 'handled');
      assert.deepEqual(handled, [first]);
      assert.deepEqual(published, [first]);
      assert.equal(first.sent?.templateCode, 'SMS_1', 'correlated with its send');
      assert.equal(first.outId, 'o-1');
      assert.equal(memory.getPending('B1', '13800138000'), undefined, 'the pending send is settled');
      assert.equal(await waiters.wait('B1', '13800138000', 1_000), first, 'waitForReport sees it');
      assert.equal(await delivery.deliver(sampleReport({ bizId: 'B1' })), 'duplicate');
      assert.equal(handled.length, 1);
      assert.equal(published.length, 1);
    });

    it('publishes nothing when a handler fails, and releases the claim so the receipt can come again', async () => {
      let fail = true;
      const { delivery, published } = deliveryWith(
        wrap(newStore()),
        dispatcherOf(async () => {
          if (fail) throw new Error('handler failed');
        }),
      );
      await assert.rejects(Promise.resolve().then(() => delivery.deliver(sampleReport({ bizId: 'B2' }))), { name: 'ReceiptHandlerError' });
      assert.deepEqual(published, []);
      fail = false;
      assert.equal(await delivery.deliver(sampleReport({ bizId: 'B2' })), 'handled', 'the claim was released');
      assert.equal(published.length, 1);
    });

    it('a synchronous handler that throws fails the delivery the same way', async () => {
      let fail = true;
      const { delivery, published } = deliveryWith(
        wrap(newStore()),
        dispatcherOf(() => {
          if (fail) throw new Error('handler threw');
        }),
      );
      await assert.rejects(Promise.resolve().then(() => delivery.deliver(sampleReport({ bizId: 'B6' }))), { name: 'ReceiptHandlerError' });
      fail = false;
      assert.equal(await delivery.deliver(sampleReport({ bizId: 'B6' })), 'handled');
      assert.equal(published.length, 1);
    });

    it('is busy while another consumer holds the claim', async () => {
      const memory = newStore();
      memory.claim('report:B7:13800138000', 60_000);
      const { delivery, published } = deliveryWith(wrap(memory), dispatcherOf(() => {}));
      assert.equal(await delivery.deliver(sampleReport({ bizId: 'B7' })), 'busy');
      assert.deepEqual(published, []);
    });

    it('waits for a send to the same number still in flight before correlating', async () => {
      const memory = newStore();
      const inFlightSends = new InFlightSends();
      const { delivery } = deliveryWith(wrap(memory), dispatcherOf(() => {}), inFlightSends);
      const finish = inFlightSends.begin(['13800138000']);
      const early = sampleReport({ bizId: 'B3' });
      const outcome = delivery.deliver(early);
      memory.addPending([{ ...PENDING, bizId: 'B3', templateCode: 'SMS_3' }]);
      finish();
      assert.equal(await outcome, 'handled');
      assert.equal(early.sent?.templateCode, 'SMS_3');
    });
  });
}
