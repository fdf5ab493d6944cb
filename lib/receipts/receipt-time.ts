import { parseBeijingDateTime } from '../utils/beijing-time.js';

// Every report carries two Beijing times; this reads the usual form without a regex match, a
// trim and a second Date per field. Anything unusual goes to parseBeijingDateTime, which
// stays the one definition of what is accepted.

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The decimal number written by `length` digits at `from`, or -1. */
function digitsAt(text: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * {@link parseBeijingDateTime} with a fast path: `yyyy-MM-dd HH:mm:ss` with every field in its
 * ordinary range (year 100 or later, a real calendar day, time of day before 24:00) is converted
 * directly; any other text is handed to parseBeijingDateTime, so both always agree.
 */
export function parseReceiptTime(text: string): Date | undefined {
  if (
    text.length !== 19 ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 /* space */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58
  ) {
    return parseBeijingDateTime(text);
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const ordinary =
    year >= 100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    (day <= DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && isLeapYear(year))) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59;
  if (!ordinary) return parseBeijingDateTime(text);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS);
}
