import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlightLimiter } from '../lib/receipts/mns/in-flight-limiter.js';

describe('InFlightLimiter', () => {
  it('grants up to the free capacity and never more', async () => {
    const limiter = new InFlightLimiter(5);
    assert.equal(await limiter.acquireUpTo(3), 3);
    assert.equal(await limiter.acquireUpTo(3), 2);
    assert.equal(limiter.inUse, 5);
  });

  it('serves waiters in arrival order, ahead of a releaser that re-acquires', async () => {
    const limiter = new InFlightLimiter(1);
    await limiter.acquireUpTo(1);
    const order: string[] = [];
    const first = limiter.acquireUpTo(1).then((n) => order.push(`first:${n}`));
    limiter.release(1);
    const again = limiter.acquireUpTo(1).then((n) => order.push(`again:${n}`));
    await first;
    assert.deepEqual(order, ['first:1']);
    limiter.release(1);
    await again;
    assert.deepEqual(order, ['first:1', 'again:1']);
  });

  it('gives up waiting with 0 permits when aborted', async () => {
    const limiter = new InFlightLimiter(1);
    await limiter.acquireUpTo(1);
    const controller = new AbortController();
    const waiting = limiter.acquireUpTo(1, controller.signal);
    controller.abort();
    assert.equal(await waiting, 0);
    limiter.release(1);
    assert.equal(limiter.inUse, 0, 'the aborted waiter took nothing');
  });
});
