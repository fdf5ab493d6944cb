// Receipt handles imitate the observed MNS shape (PROTOCOL.md §4.6):
// `1-` + Base64(`<seq>-<nextVisibleTimeSeconds>-<generation>-<priority>`). Clients must treat
// them as opaque; the Base64 part regularly contains `+`, `/` or `=`, which exercises the
// client's query-string encoding (§4.4).

const HANDLE_PREFIX = '1-';
const DECODED_SHAPE = /^\d+-\d+-\d+-\d+$/;

/** Mints a handle for one delivery; `generation` must be unique per handle. */
export function mintReceiptHandle(seq: number, nextVisibleTime: number, generation: number, priority: number): string {
  const plain = `${seq}-${Math.floor(nextVisibleTime / 1000)}-${generation}-${priority}`;
  return HANDLE_PREFIX + Buffer.from(plain, 'latin1').toString('base64');
}

/**
 * Whether a text has the shape of a handle this emulator mints. A malformed handle is a
 * `ReceiptHandleError`; a well-formed one that is not current is a `MessageNotExist`.
 */
export function isWellFormedReceiptHandle(handle: string): boolean {
  if (!handle.startsWith(HANDLE_PREFIX)) return false;
  const encoded = handle.slice(HANDLE_PREFIX.length);
  const decoded = Buffer.from(encoded, 'base64');
  // Round-trip check: Node's decoder silently skips junk such as spaces from a form-decoded `+`.
  if (decoded.toString('base64') !== encoded) return false;
  return DECODED_SHAPE.test(decoded.toString('latin1'));
}
