// Alibaba's SMS times carry no zone and mean Beijing time (UTC+8, no daylight saving): receipts,
// QuerySendDetails and QueryTokenForMnsQueue all use them. The emulator formats them itself, never
// through the host's local zone, and keeps this copy apart from the client's on purpose: it must
// not share code with the client it checks (CONVENTIONS project decision 6).

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Length of one day in ms. */
export const DAY_MS = 24 * 60 * 60 * 1000;

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

function shiftToBeijing(date: Date): Date {
  return new Date(date.getTime() + BEIJING_OFFSET_MS);
}

/** Formats an instant as Beijing `yyyy-MM-dd HH:mm:ss`. */
export function formatBeijingDateTime(date: Date): string {
  const b = shiftToBeijing(date);
  return (
    `${b.getUTCFullYear()}-${twoDigits(b.getUTCMonth() + 1)}-${twoDigits(b.getUTCDate())} ` +
    `${twoDigits(b.getUTCHours())}:${twoDigits(b.getUTCMinutes())}:${twoDigits(b.getUTCSeconds())}`
  );
}

/** Formats the Beijing calendar day of an instant as `yyyyMMdd`. */
export function formatBeijingDay(date: Date): string {
  const b = shiftToBeijing(date);
  return `${b.getUTCFullYear()}${twoDigits(b.getUTCMonth() + 1)}${twoDigits(b.getUTCDate())}`;
}

/** The instant a `yyyyMMdd` Beijing day starts; `undefined` for text that is not a real date. */
export function parseBeijingDay(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = new Date(Date.UTC(year, month - 1, day) - BEIJING_OFFSET_MS);
  return formatBeijingDay(start) === text ? start : undefined;
}

/** The instant the Beijing day containing `date` starts. */
export function startOfBeijingDay(date: Date): Date {
  const sinceMidnight = (date.getTime() + BEIJING_OFFSET_MS) % DAY_MS;
  return new Date(date.getTime() - (sinceMidnight < 0 ? sinceMidnight + DAY_MS : sinceMidnight));
}
