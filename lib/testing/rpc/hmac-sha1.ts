import { hash } from 'node:crypto';

// HMAC-SHA1 (RFC 2104) from two one-shot SHA-1 digests. NOTE: `createHmac` builds a native object
// (and looks the digest up) on every call, several µs per request the emulator verifies; here the
// padded key blocks are computed once per secret and each digest is a single call.

const BLOCK_BYTES = 64;
const INNER_PAD = 0x36;
const OUTER_PAD = 0x5c;
/** Secrets whose padded blocks are kept; more are rare (tests rotating keys) and just recomputed. */
const MAX_CACHED_KEYS = 64;

interface PaddedKey {
  readonly inner: Buffer;
  readonly outer: Buffer;
}

const paddedKeys = new Map<string, PaddedKey>();

/** Base64 of HMAC-SHA1 of the UTF-8 `message` under the UTF-8 `key`, as `createHmac('sha1', key)` gives. */
export function hmacSha1Base64(key: string, message: string): string {
  const { inner, outer } = paddedKeyOf(key);
  const innerDigest = hash('sha1', Buffer.concat([inner, Buffer.from(message, 'utf8')]), 'buffer');
  return hash('sha1', Buffer.concat([outer, innerDigest]), 'base64');
}

function paddedKeyOf(key: string): PaddedKey {
  const cached = paddedKeys.get(key);
  if (cached !== undefined) return cached;
  const keyBytes = Buffer.from(key, 'utf8');
  const block = Buffer.alloc(BLOCK_BYTES);
  // A key longer than a block is replaced by its digest.
  (keyBytes.length > BLOCK_BYTES ? hash('sha1', keyBytes, 'buffer') : keyBytes).copy(block);
  const padded = { inner: xorBlock(block, INNER_PAD), outer: xorBlock(block, OUTER_PAD) };
  if (paddedKeys.size >= MAX_CACHED_KEYS) paddedKeys.clear();
  paddedKeys.set(key, padded);
  return padded;
}

function xorBlock(block: Buffer, pad: number): Buffer {
  const padded = Buffer.alloc(block.length);
  for (let i = 0; i < block.length; i++) padded[i] = block[i] ^ pad;
  return padded;
}
