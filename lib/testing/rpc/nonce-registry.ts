/** How long Alibaba remembers a `SignatureNonce`: the same ±15 min as the timestamp window. */
export const NONCE_WINDOW_MS = 15 * 60 * 1000;

/** Remembers the `SignatureNonce`s seen per AccessKeyId for the replay window. */
export class NonceRegistry {
  // Insertion order is arrival order, so expired entries sit at the front.
  private readonly seenAt = new Map<string, number>();
  // NOTE: claim times are kept relative to the first claim: small integers, which the map holds
  // without boxing a number per entry.
  private epochMs?: number;
  /** Claim time of the front entry, so a claim iterates only once something can expire. */
  private frontAt = Number.POSITIVE_INFINITY;

  /** Records a nonce; `false` when the same key already used it within the window. */
  claim(accessKeyId: string, nonce: string, nowMs: number): boolean {
    this.epochMs ??= nowMs;
    const now = nowMs - this.epochMs;
    this.forgetOlderThan(now - NONCE_WINDOW_MS);
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.seenAt.has(key)) return false;
    if (this.seenAt.size === 0) this.frontAt = now;
    this.seenAt.set(key, now);
    return true;
  }

  private forgetOlderThan(limit: number): void {
    if (this.frontAt >= limit) return;
    this.frontAt = Number.POSITIVE_INFINITY;
    for (const [key, at] of this.seenAt) {
      if (at >= limit) {
        this.frontAt = at;
        break;
      }
      this.seenAt.delete(key);
    }
  }
}
