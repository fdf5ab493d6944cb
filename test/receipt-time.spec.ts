import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReceiptTime } from '../lib/receipts/receipt-time.js';
import { parseBeijingDateTime } from '../lib/utils/beijing-time.js';

const iso = (date: Date | undefined) => date?.toISOString();

describe('parseReceiptTime', () => {
  it('reads the usual yyyy-MM-dd HH:mm:ss as Beijing time', () => {
    assert.equal(iso(parseReceiptTime('2023-03-15 14:07:08')), '2023-03-15T06:07:08.000Z');
    assert.equal(iso(parseReceiptTime('2024-02-29 03:00:00')), '2024-02-28T19:00:00.000Z');
  });

  it('agrees with parseBeijingDateTime on ordinary, edge and malformed texts', () => {
    const texts = [
      '2023-02-28 23:59:59',
      '2023-02-29 00:00:00',
      '2024-02-29 00:00:00',
      '1900-02-29 00:00:00',
      '2000-02-29 00:00:00',
      '2023-04-31 10:00:00',
      '2023-12-31 23:59:59',
      '2023-13-01 00:00:00',
      '2023-00-10 00:00:00',
      '2023-01-00 00:00:00',
      '2023-01-10 24:00:00',
      '2023-01-10 10:75:00',
      '2023-01-10 23:75:00',
      '2023-01-10 10:00:60',
      '0099-01-10 10:00:00',
      '0100-01-10 10:00:00',
      '2023-01-10T10:00:00',
      ' 2023-01-10 10:00:00 ',
      '2023-01-1a 10:00:00',
      '2023-1-10 10:00:00',
      '2023/01/10 10:00:00',
      '2023-01-10 10:00',
      '',
    ];
    for (const text of texts) assert.equal(iso(parseReceiptTime(text)), iso(parseBeijingDateTime(text)), JSON.stringify(text));
    // Every day of a leap and a common year, at a few times of day.
    for (const year of [2023, 2024]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          for (const time of ['00:00:00', '07:59:59', '08:00:00', '23:59:59']) {
            const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${time}`;
            assert.equal(iso(parseReceiptTime(text)), iso(parseBeijingDateTime(text)), text);
          }
        }
      }
    }
  });
});
