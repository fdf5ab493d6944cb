import { PushBodyError } from '../../errors/push-body.error.js';
import { jsonTypeOf } from '../receipt-json.js';

// A pushed body → its items (PROTOCOL.md §5.6): strict UTF-8, strict JSON, a JSON array.

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The items of a push body, with the JSON text they were parsed from when known. */
export interface PushItems {
  items: unknown[];
  text?: string;
}

/**
 * Reads a push body: bytes or text are decoded strictly (UTF-8, JSON, an array); an already
 * parsed value (from the app's own body parser) must be an array.
 *
 * @throws PushBodyError when the body is not a JSON array.
 */
export function pushItemsOf(body: unknown): PushItems {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) {
    try {
      text = utf8.decode(body);
    } catch {
      throw new PushBodyError('utf8', `the body (${body.length} bytes) is not valid UTF-8`);
    }
  }
  let value = body;
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      // V8's SyntaxError quotes the input, which carries phone numbers: report the length only.
      throw new PushBodyError('json', `the body (${text.length} characters) is not valid JSON`);
    }
  }
  if (!Array.isArray(value)) throw new PushBodyError('not-array', `the body is ${jsonTypeOf(value)}, expected a JSON array of receipts`);
  return { items: value, text };
}

/**
 * The JSON text of each element of the array that `text` holds, in order. `text` must be valid
 * JSON (it was parsed before), so tracking strings and nesting depth is enough.
 */
export function arrayItemTexts(text: string): string[] {
  const texts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth === 1) {
        start = i + 1;
        continue;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
      if (depth === 0) {
        const last = text.slice(start, i).trim();
        if (last !== '') texts.push(last);
        continue;
      }
    } else if (c === 44 /* , */ && depth === 1) {
      texts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return texts;
}
