// Kept separate from the product's own helper on purpose: the emulator must not share code with
// the client it checks (CONVENTIONS project decision 6).

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Formats epoch milliseconds as Beijing time (UTC+8, no DST) `yyyy-MM-dd HH:mm:ss`, the way
 * QueryTokenForMnsQueue reports `CreateTime`/`ExpireTime` (PROTOCOL.md §6). Pure UTC arithmetic,
 * so the host's time zone never leaks in.
 */
export function formatBeijingTime(epochMs: number): string {
  const b = new Date(epochMs + BEIJING_OFFSET_MS);
  return (
    `${b.getUTCFullYear()}-${pad2(b.getUTCMonth() + 1)}-${pad2(b.getUTCDate())} ` +
    `${pad2(b.getUTCHours())}:${pad2(b.getUTCMinutes())}:${pad2(b.getUTCSeconds())}`
  );
}
