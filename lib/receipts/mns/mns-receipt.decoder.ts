import { hash } from 'node:crypto';
import { ReceiptDecodeError } from '../../errors/receipt-decode.error.js';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import type { MnsMessage } from '../../mns/mns.types.js';
import type { AlicomMessageType } from '../../options/alicom-sms-module-options.interface.js';
import { jsonTypeOf, receiptFromJson, type ReceiptJson } from '../receipt-json.js';

// An MNS receipt message -> typed receipt, PROTOCOL.md §5: MD5 check, strict Base64, fatal UTF-8,
// JSON object; the fields are read by receipt-json.ts.

// Buffer.from(..., 'utf8') would replace bad bytes with U+FFFD; fatal mode reports them instead.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Which message is being decoded, for error reporting. */
interface DecodeContext {
  type: AlicomMessageType;
  messageId: string;
}

function fail(ctx: DecodeContext, reason: ReceiptDecodeError['reason'], problem: string): never {
  throw new ReceiptDecodeError(reason, ctx.type, problem, ctx.messageId);
}

const CHAR_PLUS = 43;
const CHAR_SLASH = 47;
const CHAR_EQUALS = 61;

// Standard, padded Base64 (no URL-safe letters, no whitespace): one native regex pass.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isBase64Letter(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    (c >= 48 && c <= 57) || // 0-9
    c === CHAR_PLUS ||
    c === CHAR_SLASH
  );
}

/**
 * Where `text` stops being standard, padded Base64: -1 when it is valid, else the offending offset
 * (the length itself when it is not a multiple of 4). Buffer.from() skips garbage silently, hence
 * this check first.
 */
function base64ErrorOffset(text: string): number {
  const length = text.length;
  if (length % 4 !== 0) return length;
  if (BASE64.test(text)) return -1;
  // Invalid: find the offset for the error message.
  let padding = 0;
  if (length > 0 && text.charCodeAt(length - 1) === CHAR_EQUALS) {
    padding = text.charCodeAt(length - 2) === CHAR_EQUALS ? 2 : 1;
  }
  for (let i = 0; i < length - padding; i++) {
    if (!isBase64Letter(text.charCodeAt(i))) return i;
  }
  return -1;
}

/**
 * The same text, not sharing memory with its parent. XML fields can be slices of the whole
 * response document (V8 keeps longer slices as views on their parent), and a receipt lives on in
 * the recent-report window: holding its MessageId as received would keep each response alive.
 * Concatenation flattens into a new string; slicing that drops the extra character.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/** Checks and decodes the body up to a JSON object; returns it with its JSON text. */
function decodeJsonObject(msg: MnsMessage, ctx: DecodeContext): { json: ReceiptJson; text: string } {
  // MessageBodyMD5 is the hex MD5 of the Base64 text as transported. A message without one
  // (not seen from MNS) is decoded unchecked rather than declared poison.
  if (msg.bodyMd5 !== '') {
    const actual = hash('md5', msg.body, 'hex');
    // Case-insensitive: MNS sends upper-case hex.
    if (actual !== msg.bodyMd5.toLowerCase()) {
      fail(ctx, 'md5-mismatch', `MessageBodyMD5 ${msg.bodyMd5} does not match the body (MD5 ${actual.toUpperCase()})`);
    }
  }
  const badOffset = base64ErrorOffset(msg.body);
  if (badOffset !== -1) {
    fail(
      ctx,
      'base64',
      badOffset === msg.body.length
        ? `MessageBody is not padded Base64 (length ${msg.body.length} is not a multiple of 4)`
        : `MessageBody is not standard Base64 (invalid character at offset ${badOffset})`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.from(msg.body, 'base64'));
  } catch {
    return fail(ctx, 'utf8', 'the Base64-decoded body is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // V8's SyntaxError quotes the input, which carries phone numbers: report the length only.
    return fail(ctx, 'json', `the decoded body (${text.length} characters) is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(ctx, 'shape', `the body JSON is ${jsonTypeOf(parsed)}, expected an object`);
  }
  return { json: parsed as ReceiptJson, text };
}

/**
 * Decodes a message of the given queue type.
 *
 * @throws ReceiptDecodeError when the body is not a valid receipt of that type.
 */
export function decodeMnsReceipt(type: 'SmsReport', msg: MnsMessage): SmsReport;
export function decodeMnsReceipt(type: 'SmsUp', msg: MnsMessage): SmsUp;
export function decodeMnsReceipt(type: AlicomMessageType, msg: MnsMessage): SmsReport | SmsUp;
export function decodeMnsReceipt(type: AlicomMessageType, msg: MnsMessage): SmsReport | SmsUp {
  const ctx: DecodeContext = { type, messageId: msg.messageId };
  const { json, text } = decodeJsonObject(msg, ctx);
  return receiptFromJson(type, json, { source: 'mns', messageId: detached(msg.messageId), text });
}
