import { hash } from 'node:crypto';
import { ReceiptDecodeError } from '../errors/receipt-decode.error.js';
import type { AlicomMessageType } from '../interfaces/alicom-sms-module-options.interface.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import type { MnsMessage } from '../mns/mns.types.js';
import { isDecimalDigits } from '../utils/decimal-digits.js';
import { parseReceiptTime } from './receipt-time.js';

// MNS receipt body -> typed receipt, PROTOCOL.md §5: MD5 check, strict Base64, fatal UTF-8,
// JSON, field validation. Runs once per received message, so it avoids regexes and copies.

// Buffer.from(..., 'utf8') would replace bad bytes with U+FFFD; fatal mode reports them instead.
const utf8 = new TextDecoder('utf-8', { fatal: true });

type JsonObject = Record<string, unknown>;

/** Which message is being decoded, for error reporting. */
interface DecodeContext {
  type: AlicomMessageType;
  messageId: string;
}

function fail(ctx: DecodeContext, reason: ReceiptDecodeError['reason'], problem: string): never {
  throw new ReceiptDecodeError(reason, ctx.type, ctx.messageId, problem);
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
 * The same text, not sharing memory with `text`'s parent. The MNS reader's fields are slices of
 * the whole response document (V8 keeps slices of 13+ characters as views on their parent), so a
 * receipt holding its MessageId as received would keep that ~10 KB document alive as long as the
 * receipt lives (the recent-report and de-duplication windows: thousands of receipts).
 * Concatenation flattens into a new string; slicing that drops the extra character.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/** Checks and decodes the body up to a JSON object; returns it with its JSON text. */
function decodeJsonObject(msg: MnsMessage, ctx: DecodeContext): { json: JsonObject; text: string } {
  // MessageBodyMD5 is the hex MD5 of the Base64 text as transported. A message without one
  // (not seen from MNS) is decoded unchecked rather than declared poison.
  if (msg.bodyMd5 !== '') {
    const actual = hash('md5', msg.body, 'hex');
    // Case-insensitive: MNS sends upper-case hex. (A native toLowerCase() beat a JS compare loop.)
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
  return { json: parsed as JsonObject, text };
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function requiredString(json: JsonObject, field: string, ctx: DecodeContext): string {
  const value = json[field];
  if (typeof value === 'string') return value;
  return fail(ctx, 'shape', `field "${field}" must be a string, got ${value === undefined ? 'nothing' : jsonTypeOf(value)}`);
}

/** Optional text; '' counts as absent (Alibaba sends `"out_id":""` when none was given). */
function optionalString(json: JsonObject, field: string, ctx: DecodeContext): string | undefined {
  const value = json[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  return fail(ctx, 'shape', `field "${field}" must be a string, got ${jsonTypeOf(value)}`);
}

function beijingTime(json: JsonObject, field: string, ctx: DecodeContext): Date {
  const date = parseReceiptTime(requiredString(json, field, ctx));
  return date ?? fail(ctx, 'shape', `field "${field}" must be a "yyyy-MM-dd HH:mm:ss" time`);
}

function booleanField(json: JsonObject, field: string, ctx: DecodeContext): boolean {
  const value = json[field];
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fail(ctx, 'shape', `field "${field}" must be true or false, got ${value === undefined ? 'nothing' : jsonTypeOf(value)}`);
}

/** A count sent as a decimal string (`"sms_size":"2"`); a JSON number is accepted too. */
function countField(json: JsonObject, field: string, ctx: DecodeContext): number {
  const value = json[field];
  if (typeof value === 'string' && isDecimalDigits(value)) return Number(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return fail(ctx, 'shape', `field "${field}" must be a non-negative integer (as a decimal string)`);
}

/**
 * The digits of the integer literal of top-level `field` in the JSON text. JSON.parse rounds
 * integers above 2^53, so the exact value can only come from the text. Among several occurrences
 * (a key in a nested object, duplicate keys) the last whose value parses to `parsed` wins, as in
 * JSON.parse.
 */
function integerLiteralInText(text: string, field: string, parsed: number): string | undefined {
  const needle = `"${field}"`;
  let found: string | undefined;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    let i = skipJsonSpace(text, at + needle.length);
    if (text.charCodeAt(i) !== 58 /* : */) continue;
    const start = skipJsonSpace(text, i + 1);
    i = start;
    if (text.charCodeAt(i) === 45 /* - */) i++;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    const next = text.charCodeAt(i);
    if (next === 46 /* . */ || next === 69 /* E */ || next === 101 /* e */) continue;
    const literal = text.slice(start, i);
    if (literal !== '' && literal !== '-' && Number(literal) === parsed) found = literal;
  }
  return found;
}

function skipJsonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

/** `sequence_id`: documented as a number ("Double"), seen as a string; kept exact as a string. */
function sequenceIdField(json: JsonObject, text: string, ctx: DecodeContext): string {
  const field = 'sequence_id';
  const value = json[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return String(value);
    // BigInt() avoids "1e+21" notation when the literal was written in exponent form.
    return integerLiteralInText(text, field, value) ?? BigInt(value).toString();
  }
  return fail(ctx, 'shape', `field "${field}" must be an integer or a non-empty string`);
}

/**
 * Decodes the body of a message from an `SmsReport` queue into a delivery report.
 *
 * @throws ReceiptDecodeError when the body is not a valid delivery report.
 */
export function decodeSmsReport(msg: MnsMessage): SmsReport {
  const ctx: DecodeContext = { type: 'SmsReport', messageId: msg.messageId };
  const { json } = decodeJsonObject(msg, ctx);
  return {
    type: 'SmsReport',
    phoneNumber: requiredString(json, 'phone_number', ctx),
    bizId: requiredString(json, 'biz_id', ctx),
    outId: optionalString(json, 'out_id', ctx),
    success: booleanField(json, 'success', ctx),
    errCode: requiredString(json, 'err_code', ctx),
    // Documented as always present, but not worth losing a receipt over.
    errMsg: optionalString(json, 'err_msg', ctx) ?? '',
    smsSize: countField(json, 'sms_size', ctx),
    sendTime: beijingTime(json, 'send_time', ctx),
    reportTime: beijingTime(json, 'report_time', ctx),
    source: 'mns',
    messageId: detached(msg.messageId),
    raw: json,
  };
}

/**
 * Decodes the body of a message from an `SmsUp` queue into a reply.
 *
 * @throws ReceiptDecodeError when the body is not a valid reply.
 */
export function decodeSmsUp(msg: MnsMessage): SmsUp {
  const ctx: DecodeContext = { type: 'SmsUp', messageId: msg.messageId };
  const { json, text } = decodeJsonObject(msg, ctx);
  return {
    type: 'SmsUp',
    phoneNumber: requiredString(json, 'phone_number', ctx),
    content: requiredString(json, 'content', ctx),
    destCode: optionalString(json, 'dest_code', ctx),
    signName: optionalString(json, 'sign_name', ctx),
    sequenceId: sequenceIdField(json, text, ctx),
    sendTime: beijingTime(json, 'send_time', ctx),
    source: 'mns',
    messageId: detached(msg.messageId),
    raw: json,
  };
}

/**
 * Decodes a message of the given queue type.
 *
 * @throws ReceiptDecodeError when the body is not a valid receipt of that type.
 */
export function decodeReceipt(type: 'SmsReport', msg: MnsMessage): SmsReport;
export function decodeReceipt(type: 'SmsUp', msg: MnsMessage): SmsUp;
export function decodeReceipt(type: AlicomMessageType, msg: MnsMessage): SmsReport | SmsUp;
export function decodeReceipt(type: AlicomMessageType, msg: MnsMessage): SmsReport | SmsUp {
  return type === 'SmsReport' ? decodeSmsReport(msg) : decodeSmsUp(msg);
}
