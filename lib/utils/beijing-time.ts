// Alibaba's SMS timestamps (`send_time`, `ExpireTime`, `SendDate`, ...) carry no zone and are
// Beijing time (UTC+8, no daylight saving). Parsing them in the host's zone is a bug on any
// machine not set to UTC+8, so every conversion goes through here.

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Parses `yyyy-MM-dd HH:mm:ss` as Beijing time; `undefined` when the text is not in that form. */
export function parseBeijingDateTime(text: string): Date | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - BEIJING_OFFSET_MS;
  const date = new Date(utc);
  // Reject overflowing fields such as 2023-02-30 instead of silently rolling over.
  const back = new Date(utc + BEIJING_OFFSET_MS);
  if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d) return undefined;
  return date;
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
