/** Exponential backoff with full jitter: a random delay in [base/2, min(cap, base * 2^attempt)]. */
export function retryDelayMs(attempt: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(Math.min(ceiling, baseMs / 2 + Math.random() * (ceiling - baseMs / 2)));
}
