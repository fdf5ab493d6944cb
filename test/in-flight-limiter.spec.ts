import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlightLimiter } from '../lib/receipts/mns/in-flight-limiter.js';

describe('InFlightLimiter', () => {
  it('grants up to the free capacity and never more', async () => {
    const limiter = new InFlightLimiter(5);
    assert.equal((await limiter.acquireUpTo(3)).held, 3);
    assert.equal((await limiter.acquireUpTo(3)).held, 2);
    assert.equal(limiter.inUse, 5);
  });

  it('serves waiters in arrival order, ahead of a releaser that re-acquires', async () => {
    const limiter = new InFlightLimiter(1);
    const held = await limiter.acquireUpTo(1);
    const order: string[] = [];
    const first = limiter.acquireUpTo(1).then((lease) => {
      order.push(`first:${lease.held}`);
      return lease;
    });
    held.release(1);
    const again = limiter.acquireUpTo(1).then((lease) => order.push(`again:${lease.held}`));
    const firstLease = await first;
    assert.deepEqual(order, ['first:1']);
    firstLease.release(1);
    await again;
    assert.deepEqual(order, ['first:1', 'again:1']);
  });

  it('gives up waiting with an empty lease when aborted', async () => {
    const limiter = new InFlightLimiter(1);
    const held = await limiter.acquireUpTo(1);
    const controller = new AbortController();
    const waiting = limiter.acquireUpTo(1, controller.signal);
    controller.abort();
    assert.equal((await waiting).held, 0);
    held.release(1);
    assert.equal(limiter.inUse, 0, 'the aborted waiter took nothing');
  });

  it('cannot be released past what was taken, however often or by how much a lease is released', async () => {
    const limiter = new InFlightLimiter(4);
    const a = await limiter.acquireUpTo(2);
    const b = await limiter.acquireUpTo(2);
    assert.equal(limiter.inUse, 4);
    // A server that answered more messages than asked for once drove release() negative or past the count.
    a.release(-5);
    a.release(Number.NaN);
    a.release(Infinity);
    assert.equal(limiter.inUse, 4, 'nonsense counts release nothing');
    a.release(10);
    a.release(1);
    a.releaseAll();
    assert.equal(a.held, 0);
    assert.equal(limiter.inUse, 2, 'lease a gave back exactly its 2 permits');
    // b's permits are still held: nobody can take them while a is spent.
    const c = await limiter.acquireUpTo(4);
    assert.equal(c.held, 2);
    assert.equal(limiter.inUse, 4);
    b.releaseAll();
    c.releaseAll();
    assert.equal(limiter.inUse, 0);
  });
});
