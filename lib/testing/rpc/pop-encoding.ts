// The emulator's own copy of POP percent-encoding (PROTOCOL.md §2.2). It deliberately does not
// reuse the client's encoder: a bug shared by both sides would otherwise pass every test.

/** `ENCODED_BYTE[b]`: byte `b` as POP writes it, itself for `A-Z a-z 0-9 - _ . ~`, else `%XX`. */
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte);
  return /^[A-Za-z0-9\-_.~]$/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

/** First UTF-16 code unit that is not a single-byte UTF-8 character. */
const FIRST_NON_ASCII = 0x80;

/**
 * POP percent-encoding of a parameter name or value: every UTF-8 byte outside `A-Za-z0-9-_.~`
 * becomes `%XX` with upper-case hex (space is `%20`, never `+`).
 */
export function popEncode(value: string): string {
  // NOTE: runs for every parameter name of every request, so ASCII is encoded straight from the
  // code units (an unreserved name comes back as is); only non-ASCII text goes through its bytes.
  let encoded = '';
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= FIRST_NON_ASCII) return encoded + value.slice(runStart, i) + encodeUtf8Bytes(value.slice(i));
    const replacement = ENCODED_BYTE[unit];
    if (replacement.length === 1) continue;
    encoded += value.slice(runStart, i) + replacement;
    runStart = i + 1;
  }
  return runStart === 0 ? value : encoded + value.slice(runStart);
}

function encodeUtf8Bytes(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) encoded += ENCODED_BYTE[byte];
  return encoded;
}

/** `UNRESERVED[b]` is 1 for the bytes POP leaves as-is. */
const UNRESERVED = Uint8Array.from(ENCODED_BYTE, (encoded) => (encoded.length === 1 ? 1 : 0));
const UPPER_HEX = Uint8Array.from('0123456789ABCDEF', (digit) => digit.charCodeAt(0));
const PERCENT = 0x25;
/** Most bytes one UTF-16 code unit can become when encoded twice: 3 UTF-8 bytes, each `%25XX`. */
const MAX_BYTES_PER_UNIT = 15;

/** Reused by every {@link PopBytesWriter} (grown on demand): writers are used one at a time, synchronously. */
let scratch = Buffer.allocUnsafe(2048);

/**
 * Builds POP-encoded text byte by byte, without the intermediate strings of {@link popEncode}
 * calls and concatenations; used for the string-to-sign, an encoded query encoded once more.
 */
export class PopBytesWriter {
  private bytes = scratch;
  private length = 0;

  /** Starts with `prefix`, taken as already-encoded ASCII. */
  constructor(prefix: string) {
    this.reserve(prefix.length);
    this.length = this.bytes.write(prefix, 0, 'latin1');
  }

  /** Appends `popEncode(text)`. */
  writeEncoded(text: string): void {
    this.write(text, false);
  }

  /** Appends `popEncode(popEncode(text))`. */
  writeEncodedTwice(text: string): void {
    this.write(text, true);
  }

  /** The text written so far. */
  text(): string {
    return this.bytes.toString('latin1', 0, this.length);
  }

  private write(text: string, twice: boolean): void {
    this.reserve(text.length * MAX_BYTES_PER_UNIT);
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= FIRST_NON_ASCII) {
        for (const byte of Buffer.from(text.slice(i), 'utf8')) this.writeByte(byte, twice);
        return;
      }
      this.writeByte(unit, twice);
    }
  }

  private writeByte(byte: number, twice: boolean): void {
    const bytes = this.bytes;
    if (UNRESERVED[byte] === 1) {
      bytes[this.length++] = byte;
      return;
    }
    bytes[this.length++] = PERCENT;
    if (twice) {
      // The `%` of the first encoding, encoded again.
      bytes[this.length++] = UPPER_HEX[PERCENT >> 4];
      bytes[this.length++] = UPPER_HEX[PERCENT & 0xf];
    }
    bytes[this.length++] = UPPER_HEX[byte >> 4];
    bytes[this.length++] = UPPER_HEX[byte & 0xf];
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(2 * (this.length + extra));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = scratch = grown;
  }
}

/** Code units that make `decodeURIComponent` disagree with form decoding (lone surrogates). */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Decodes `application/x-www-form-urlencoded` text (a query string or a form body) with form
 * semantics: `+` is a space and `%XX` a byte. A repeated name keeps its last value.
 */
export function decodeFormParameters(text: string): Record<string, string> {
  // NOTE: URLSearchParams is the reference but costs several µs per request; the split below
  // gives the same result for well-formed text, and anything decodeURIComponent refuses (stray
  // `%`, invalid UTF-8) or would read differently (lone surrogates) goes to URLSearchParams.
  if (!SURROGATE.test(text)) {
    try {
      return splitFormParameters(text);
    } catch {
      // Malformed escapes: URLSearchParams keeps them literally or substitutes U+FFFD.
    }
  }
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) parameters[name] = value;
  return parameters;
}

/** The WHATWG form split (`&`, then the first `=`, empty pieces skipped); throws on malformed escapes. */
function splitFormParameters(text: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const equals = text.indexOf('=', start);
      if (equals < 0 || equals > end) parameters[decodeFormComponent(text.slice(start, end))] = '';
      else parameters[decodeFormComponent(text.slice(start, equals))] = decodeFormComponent(text.slice(equals + 1, end));
    }
    start = end + 1;
  }
  return parameters;
}

function decodeFormComponent(component: string): string {
  const spaced = component.includes('+') ? component.replaceAll('+', ' ') : component;
  return spaced.includes('%') ? decodeURIComponent(spaced) : spaced;
}
