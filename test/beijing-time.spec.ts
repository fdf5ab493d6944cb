import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBeijingDateTime, formatBeijingDay, parseBeijingDateTime, parseBeijingDay } from '../lib/utils/beijing-time.js';

describe('Beijing time (UTC+8) conversions', () => {
  it('parses zone-less Alibaba timestamps as UTC+8', () => {
    assert.equal(parseBeijingDateTime('2023-03-15 14:07:08')?.toISOString(), '2023-03-15T06:07:08.000Z');
    assert.equal(parseBeijingDateTime('2023-01-01 03:00:00')?.toISOString(), '2022-12-31T19:00:00.000Z');
  });

  it('rejects malformed or overflowing timestamps', () => {
    assert.equal(parseBeijingDateTime('2023-02-30 00:00:00'), undefined);
    assert.equal(parseBeijingDateTime('15/03/2023'), undefined);
    assert.equal(parseBeijingDateTime(''), undefined);
  });

  it('formats instants as Beijing wall-clock time and day', () => {
    const instant = new Date('2026-11-27T17:30:00Z');
    assert.equal(formatBeijingDateTime(instant), '2026-11-28 01:30:00');
    assert.equal(formatBeijingDay(instant), '20261128');
    assert.equal(parseBeijingDay('20261128')?.toISOString(), '2026-11-27T16:00:00.000Z');
    assert.equal(parseBeijingDay('20261340'), undefined);
  });
});
