import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBeijingDateTime, formatBeijingDay, parseBeijingDateTime, parseBeijingDay } from '../lib/utils/beijing-time.js';

describe('Beijing time (UTC+8) conversions', () => {
  it('parses zone-less Alibaba timestamps as UTC+8', () => {
    assert.equal(parseBeijingDateTime('2023-03-15 14:07:08')?.toISOString(), '2023-03-15T06:07:08.000Z');
    assert.equal(parseBeijingDateTime('2023-01-01 03:00:00')?.toISOString(), '2022-12-31T19:00:00.000Z');
  });

  it('reads leap days and the last second of a day', () => {
    assert.equal(parseBeijingDateTime('2024-02-29 03:00:00')?.toISOString(), '2024-02-28T19:00:00.000Z');
    assert.equal(parseBeijingDateTime('2000-02-29 23:59:59')?.toISOString(), '2000-02-29T15:59:59.000Z');
    assert.equal(parseBeijingDateTime('1970-01-01 08:00:00')?.toISOString(), '1970-01-01T00:00:00.000Z');
  });

  it('rejects every text that is not exactly a valid yyyy-MM-dd HH:mm:ss, never rolling over to a nearby instant', () => {
    const invalid = [
      '2026-11-24 10:61:99', // minute and second out of range
      '2026-11-24 24:00:00',
      '2026-11-24 10:60:00',
      '2026-11-24 10:00:60',
      '0099-06-15 10:00:00', // Date.UTC would read years 0-99 as 1900+
      '1969-12-31 23:59:59',
      '2023-02-29 00:00:00',
      '1900-02-29 00:00:00',
      '2023-02-30 00:00:00',
      '2023-04-31 00:00:00',
      '2023-00-10 00:00:00',
      '2023-13-10 00:00:00',
      '2023-01-00 00:00:00',
      '2023-03-15T14:07:08',
      ' 2023-03-15 14:07:08',
      '2023-03-15 14:07:08 ',
      '2023-3-15 14:07:08',
      '+2023-03-15 14:07:0',
      '2023-03-15 14:07:0x',
      '١٢٣٤-03-15 14:07:08',
      '15/03/2023',
      '',
    ];
    for (const text of invalid) assert.equal(parseBeijingDateTime(text), undefined, JSON.stringify(text));
  });

  it('formats instants as Beijing wall-clock time and day', () => {
    const instant = new Date('2026-11-27T17:30:00Z');
    assert.equal(formatBeijingDateTime(instant), '2026-11-28 01:30:00');
    assert.equal(formatBeijingDay(instant), '20261128');
    assert.equal(parseBeijingDay('20261128')?.toISOString(), '2026-11-27T16:00:00.000Z');
    assert.equal(parseBeijingDay('20261340'), undefined);
  });
});
