import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryReceiptStore } from '../lib/receipts/store/in-memory-receipt.store.js';
import type { PendingReceipt } from '../lib/receipts/store/receipt-store.interface.js';

const entry = (bizId: string, nextCheckAt = 0): PendingReceipt => ({
  bizId,
  phoneNumber: '13900000000',
  templateCode: 'SMS_1',
  signName: 'S',
  sentAt: 0,
  nextCheckAt,
  checks: 0,
});

describe('InMemoryReceiptStore', () => {
  it('claims a receipt once: claimed, then busy while held, then settled', async () => {
    const store = new InMemoryReceiptStore({ maxPending: 10, dedupeWindowSize: 10, dedupeWindowMs: 60_000 });
    assert.equal(await store.claim('k', 60_000), 'claimed');
    assert.equal(await store.claim('k', 60_000), 'busy');
    await store.release('k');
    assert.equal(await store.claim('k', 60_000), 'claimed');
    await store.settle('k');
    assert.equal(await store.claim('k', 60_000), 'settled');
  });

  it('forgets settled keys beyond the window size', async () => {
    const store = new InMemoryReceiptStore({ maxPending: 10, dedupeWindowSize: 100, dedupeWindowMs: 60_000 });
    for (let i = 0; i < 150; i++) await store.settle(`k${i}`);
    assert.equal(await store.claim('k0', 1), 'claimed', 'oldest evicted');
    assert.equal(await store.claim('k149', 1), 'settled');
  });

  it('evicts the oldest pending entry past maxPending and returns it', async () => {
    const store = new InMemoryReceiptStore({ maxPending: 2, dedupeWindowSize: 100, dedupeWindowMs: 60_000 });
    assert.deepEqual(await store.addPending([entry('a'), entry('b')]), []);
    const evicted = await store.addPending([entry('c')]);
    assert.deepEqual(evicted.map((e) => e.bizId), ['a']);
    assert.equal(await store.pendingCount(), 2);
  });

  it('leases due entries so a second sweeper does not take them, until rescheduled', async () => {
    const store = new InMemoryReceiptStore({ maxPending: 10, dedupeWindowSize: 100, dedupeWindowMs: 60_000 });
    await store.addPending([entry('due', 100), entry('later', 10_000)]);
    assert.deepEqual((await store.claimDue(1_000, 10, 60_000)).map((e) => e.bizId), ['due']);
    assert.deepEqual(await store.claimDue(1_000, 10, 60_000), []);
    await store.reschedule('due', '13900000000', 500, true);
    const again = await store.claimDue(1_000, 10, 60_000);
    assert.equal(again[0].checks, 1, 'a check that answered counts');
    await store.reschedule('due', '13900000000', 500, false);
    assert.equal((await store.claimDue(1_000, 10, 60_000))[0].checks, 1, 'a failed query does not count as a check');
    await store.settle('x', { bizId: 'due', phoneNumber: '13900000000' });
    assert.equal(await store.getPending('due', '13900000000'), undefined);
  });
});
