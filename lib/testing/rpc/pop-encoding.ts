// The emulator's own copy of POP percent-encoding (PROTOCOL.md §2.2). It deliberately does not
// reuse the client's encoder: a bug shared by both sides would otherwise pass every test.

/** Bytes POP leaves as-is: `A-Z a-z 0-9 - _ . ~`. */
const UNRESERVED_BYTE = /^[A-Za-z0-9\-_.~]$/;

/**
 * POP percent-encoding of a parameter name or value: every UTF-8 byte outside `A-Za-z0-9-_.~`
 * becomes `%XX` with upper-case hex (space is `%20`, never `+`).
 */
export function popEncode(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += UNRESERVED_BYTE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/**
 * Decodes `application/x-www-form-urlencoded` text (a query string or a form body) with form
 * semantics: `+` is a space and `%XX` a byte. A repeated name keeps its last value.
 */
export function decodeFormParameters(text: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) parameters[name] = value;
  return parameters;
}
