/** How long Alibaba remembers a `SignatureNonce`: the same ±15 min as the timestamp window. */
export const NONCE_WINDOW_MS = 15 * 60 * 1000;

/** Remembers the `SignatureNonce`s seen per AccessKeyId for the replay window. */
export class NonceRegistry {
  // Insertion order is arrival order, so expired entries sit at the front.
  private readonly seenAt = new Map<string, number>();

  /** Records a nonce; `false` when the same key already used it within the window. */
  claim(accessKeyId: string, nonce: string, nowMs: number): boolean {
    this.forgetOlderThan(nowMs - NONCE_WINDOW_MS);
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.seenAt.has(key)) return false;
    this.seenAt.set(key, nowMs);
    return true;
  }

  private forgetOlderThan(limitMs: number): void {
    for (const [key, at] of this.seenAt) {
      if (at >= limitMs) break;
      this.seenAt.delete(key);
    }
  }
}
