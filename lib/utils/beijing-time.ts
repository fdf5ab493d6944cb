// Alibaba's SMS timestamps (`send_time`, `ExpireTime`, `SendDate`, ...) carry no zone and are
// Beijing time (UTC+8, no daylight saving). Parsing them in the host's zone is a bug on any
// machine not set to UTC+8, so every conversion goes through here.

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Earliest year accepted: nothing Alibaba stamps predates the Unix epoch. */
const MIN_YEAR = 1970;

/** The decimal number written by `length` ASCII digits at `from`, or -1. */
function digitsAt(text: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Parses Alibaba's `yyyy-MM-dd HH:mm:ss` as Beijing time: exactly that shape, a 4-digit year from
 * 1970, a real calendar day and a time of day within 00:00:00-23:59:59. Anything else is
 * `undefined`, never a nearby instant.
 */
export function parseBeijingDateTime(text: string): Date | undefined {
  if (
    typeof text !== 'string' ||
    text.length !== 19 ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 /* space */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const valid =
    year >= MIN_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59;
  if (!valid) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats a Date as Beijing-time `yyyy-MM-dd HH:mm:ss`. */
export function formatBeijingDateTime(date: Date): string {
  const b = new Date(date.getTime() + BEIJING_OFFSET_MS);
  return (
    `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ` +
    `${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}`
  );
}

/** Formats the Beijing calendar day of a Date as `yyyyMMdd` (QuerySendDetails' `SendDate`). */
export function formatBeijingDay(date: Date): string {
  const b = new Date(date.getTime() + BEIJING_OFFSET_MS);
  return `${b.getUTCFullYear()}${pad(b.getUTCMonth() + 1)}${pad(b.getUTCDate())}`;
}

/** Parses `yyyyMMdd` as the start (00:00) of that Beijing day; `undefined` when invalid. */
export function parseBeijingDay(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  return parseBeijingDateTime(`${m[1]}-${m[2]}-${m[3]} 00:00:00`);
}
