// ReceiptDelivery.deliverNow(): answers without promises when nothing has to be waited for;
// these tests pin where it must still wait (async handlers, a send in flight, a store that is
// not the built-in one) and that it gives the same answers as the awaiting path.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { InFlightSends } from '../lib/compensation/in-flight-sends.js';
import { InMemoryReceiptStore, synchronousReceiptStore } from '../lib/compensation/in-memory-receipt.store.js';
import type { ReceiptClaim } from '../lib/compensation/receipt-store.interface.js';
import { ReportWaiters } from '../lib/compensation/report-waiters.js';
import type { SmsReport } from '../lib/interfaces/sms-receipt.interface.js';
import { ReceiptDelivery } from '../lib/receipts/receipt-delivery.js';
import type { ReceiptDispatcher } from '../lib/receipts/receipt-dispatcher.js';
import { dispatcherOf, sampleReport } from './support/receipt-fixtures.js';

function deliveryWith(store: InMemoryReceiptStore, dispatcher: ReceiptDispatcher, inFlightSends = new InFlightSends()) {
  const delivery = new ReceiptDelivery(store, dispatcher, inFlightSends, new ReportWaiters());
  const published: SmsReport[] = [];
  delivery.reports.subscribe((r) => published.push(r));
  return { delivery, published };
}

const newStore = () => new InMemoryReceiptStore({ maxPending: 100, dedupeWindowSize: 100, dedupeWindowMs: 60_000 });

describe('ReceiptDelivery.deliverNow', () => {
  it('answers at once with the built-in store and synchronous handlers: handled, then duplicate', async () => {
    const store = newStore();
    await store.addPending([{ bizId: 'B1', phoneNumber: '13800138000', templateCode: 'SMS_1', signName: 'S', outId: 'o-1', sentAt: 1_000, nextCheckAt: 0, checks: 0 }]);
    const handled: SmsReport[] = [];
    const { delivery, published } = deliveryWith(store, dispatcherOf((r) => handled.push(r as SmsReport)));
    const first = sampleReport({ bizId: 'B1' });
    assert.equal(delivery.deliverNow(first), 'handled');
    assert.equal(handled[0], first);
    assert.deepEqual(published, [first]);
    assert.equal(first.sent?.templateCode, 'SMS_1', 'correlated with its send');
    assert.equal(first.outId, 'o-1');
    assert.equal(await store.getPending('B1', '13800138000'), undefined, 'the pending send is settled');
    assert.equal(delivery.deliverNow(sampleReport({ bizId: 'B1' })), 'duplicate');
    assert.equal(handled.length, 1);
  });

  it('returns a promise for an async handler, and releases the claim when it fails', async () => {
    const store = newStore();
    let fail = true;
    const { delivery, published } = deliveryWith(
      store,
      dispatcherOf(async () => {
        if (fail) throw new Error('handler failed');
      }),
    );
    const failed = delivery.deliverNow(sampleReport({ bizId: 'B2' }));
    assert.ok(failed instanceof Promise);
    await assert.rejects(failed, { name: 'ReceiptHandlerError' });
    assert.deepEqual(published, []);
    fail = false;
    assert.equal(await delivery.deliverNow(sampleReport({ bizId: 'B2' })), 'handled', 'the claim was released');
    assert.equal(published.length, 1);
  });

  it('waits for a send to the same number still in flight before correlating', async () => {
    const store = newStore();
    const inFlightSends = new InFlightSends();
    const { delivery } = deliveryWith(store, dispatcherOf(() => {}), inFlightSends);
    const finish = inFlightSends.begin(['13800138000']);
    const early = sampleReport({ bizId: 'B3' });
    const outcome = delivery.deliverNow(early);
    assert.ok(outcome instanceof Promise, 'it has to wait');
    await store.addPending([{ bizId: 'B3', phoneNumber: '13800138000', templateCode: 'SMS_3', signName: 'S', sentAt: 2_000, nextCheckAt: 0, checks: 0 }]);
    finish();
    assert.equal(await outcome, 'handled');
    assert.equal(early.sent?.templateCode, 'SMS_3');
  });

  it('goes through the store methods when they are overridden or replaced', async () => {
    class CountingStore extends InMemoryReceiptStore {
      claimCalls = 0;
      override async claim(key: string, leaseMs: number): Promise<ReceiptClaim> {
        this.claimCalls++;
        return super.claim(key, leaseMs);
      }
    }
    const subclassed = new CountingStore({ maxPending: 100, dedupeWindowSize: 100, dedupeWindowMs: 60_000 });
    assert.equal(synchronousReceiptStore(subclassed), undefined);
    const viaSubclass = deliveryWith(subclassed, dispatcherOf(() => {})).delivery.deliverNow(sampleReport({ bizId: 'B4' }));
    assert.ok(viaSubclass instanceof Promise);
    assert.equal(await viaSubclass, 'handled');
    assert.equal(subclassed.claimCalls, 1);

    const patched = newStore();
    assert.equal(synchronousReceiptStore(patched), patched);
    const spy = mock.method(patched, 'settle');
    assert.equal(synchronousReceiptStore(patched), undefined);
    assert.equal(await deliveryWith(patched, dispatcherOf(() => {})).delivery.deliverNow(sampleReport({ bizId: 'B5' })), 'handled');
    assert.equal(spy.mock.callCount(), 1);
  });
});
