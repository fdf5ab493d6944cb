import { createHash, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

/** Characters a push secret may use: URL-unreserved, so it reads the same in a path and in a query. */
export const PUSH_SECRET_PATTERN = /^[A-Za-z0-9._~-]{16,100}$/;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The shared secret of the push URL. It stays out of `util.inspect`, `console.log` and
 * `JSON.stringify` output, and is compared in constant time: both sides are hashed first, so
 * neither the content nor the length of the secret shows in how long a comparison takes.
 */
export class PushSecret {
  readonly #digest: Buffer;

  constructor(secret: string) {
    this.#digest = digest(secret);
  }

  /** Whether `candidate` (taken from a request) is the secret. */
  matches(candidate: unknown): boolean {
    if (typeof candidate !== 'string') return false;
    return timingSafeEqual(digest(candidate), this.#digest);
  }

  toJSON(): string {
    return '<redacted>';
  }

  [inspect.custom](): string {
    return 'PushSecret <redacted>';
  }
}
