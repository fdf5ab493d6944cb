import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InsertionOrderedWindow } from '../lib/receipts/store/insertion-ordered-window.js';

describe('InsertionOrderedWindow', () => {
  it('evicts oldest first; setting a key again moves it to the newest end', () => {
    const window = new InsertionOrderedWindow<number>();
    window.set('a', 1);
    window.set('b', 2);
    window.set('c', 3);
    window.set('a', 4);
    assert.equal(window.size, 3);
    assert.deepEqual([...window.entries()], [['b', 2], ['c', 3], ['a', 4]]);
    assert.deepEqual(window.oldest(), { key: 'b', value: 2 });
    assert.deepEqual(window.shift(), { key: 'b', value: 2 });
    assert.equal(window.has('b'), false);
    window.delete('c');
    assert.deepEqual(window.shift(), { key: 'a', value: 4 }, 'a deleted key is skipped');
    assert.equal(window.shift(), undefined);
    assert.equal(window.size, 0);
  });

  it('behaves like an insertion-ordered Map under many random operations (compaction included)', () => {
    const window = new InsertionOrderedWindow<number>();
    const model = new Map<string, number>();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let step = 0; step < 60_000; step++) {
      const key = `k${random(3000)}`;
      const op = random(10);
      if (op < 5) {
        window.set(key, step);
        model.delete(key);
        model.set(key, step);
      } else if (op < 7) {
        assert.equal(window.delete(key), model.delete(key));
      } else if (op < 9) {
        const oldest = model.keys().next();
        const shifted = window.shift();
        if (oldest.done) assert.equal(shifted, undefined);
        else {
          assert.deepEqual(shifted, { key: oldest.value, value: model.get(oldest.value) });
          model.delete(oldest.value);
        }
      } else {
        assert.equal(window.get(key), model.get(key));
      }
      assert.equal(window.size, model.size);
      if (step % 5_000 === 0) assert.deepEqual([...window.entries()], [...model.entries()]);
    }
    assert.deepEqual([...window.entries()], [...model.entries()]);
  });

  it('stays in order when most entries are deleted from the middle (pending sends settled out of order)', () => {
    const window = new InsertionOrderedWindow<number>();
    const model = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3000; i++) {
        window.set(`r${round}-k${i}`, i);
        model.set(`r${round}-k${i}`, i);
      }
      // Keep every tenth entry of this round: 90% deleted, none from the oldest end first.
      for (let i = 2999; i >= 0; i--) {
        if (i % 10 === 0) continue;
        assert.equal(window.delete(`r${round}-k${i}`), true);
        model.delete(`r${round}-k${i}`);
      }
      assert.equal(window.size, model.size);
      assert.deepEqual([...window.entries()], [...model.entries()]);
      assert.equal(window.get(`r${round}-k10`), 10);
      assert.equal(window.get(`r${round}-k11`), undefined);
    }
    assert.deepEqual(window.shift(), { key: 'r0-k0', value: 0 });
    assert.deepEqual(window.oldest(), { key: 'r0-k10', value: 10 });
    assert.equal(window.oldestValue(), 10);
  });
});
