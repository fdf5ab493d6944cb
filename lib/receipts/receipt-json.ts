import { ReceiptDecodeError } from '../errors/receipt-decode.error.js';
import type { AlicomMessageType } from '../options/alicom-sms-module-options.interface.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import { parseBeijingDateTime } from '../utils/beijing-time.js';
import { isDecimalDigits } from '../utils/decimal-digits.js';

// Alibaba's receipt JSON (PROTOCOL.md §5.3, §5.4) -> typed SmsReport / SmsUp. The same objects
// arrive one per MNS message and as the items of an HTTP push; unknown fields are ignored.

/** A receipt's JSON object. */
export type ReceiptJson = Record<string, unknown>;

/** Where a receipt came from, stamped on the typed receipt and named in decode errors. */
export interface ReceiptOrigin {
  source: 'mns' | 'push';
  /** MNS `MessageId`, for a receipt from the queue. */
  messageId?: string;
  /**
   * The JSON text the object was parsed from, when known: `sequence_id` above 2^53 is read
   * exactly from it (JSON.parse rounds such numbers).
   */
  text?: string;
}

interface FieldContext {
  type: AlicomMessageType;
  messageId?: string;
}

function fail(ctx: FieldContext, reason: ReceiptDecodeError['reason'], problem: string): never {
  throw new ReceiptDecodeError(reason, ctx.type, problem, ctx.messageId);
}

/** `null`, `an array`, `a number`, ... for error messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function requiredString(json: ReceiptJson, field: string, ctx: FieldContext): string {
  const value = json[field];
  if (typeof value === 'string') return value;
  return fail(ctx, 'shape', `field "${field}" must be a string, got ${value === undefined ? 'nothing' : jsonTypeOf(value)}`);
}

/** Optional text; '' counts as absent (Alibaba sends `"out_id":""` when none was given). */
function optionalString(json: ReceiptJson, field: string, ctx: FieldContext): string | undefined {
  const value = json[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  return fail(ctx, 'shape', `field "${field}" must be a string, got ${jsonTypeOf(value)}`);
}

function beijingTime(json: ReceiptJson, field: string, ctx: FieldContext): Date {
  const date = parseBeijingDateTime(requiredString(json, field, ctx));
  return date ?? fail(ctx, 'shape', `field "${field}" must be a valid "yyyy-MM-dd HH:mm:ss" time`);
}

function booleanField(json: ReceiptJson, field: string, ctx: FieldContext): boolean {
  const value = json[field];
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fail(ctx, 'shape', `field "${field}" must be true or false, got ${value === undefined ? 'nothing' : jsonTypeOf(value)}`);
}

/** A count sent as a decimal string (`"sms_size":"2"`); a JSON number is accepted too. */
function countField(json: ReceiptJson, field: string, ctx: FieldContext): number {
  const value = json[field];
  if (typeof value === 'string' && isDecimalDigits(value) && value.length <= 15) return Number(value);
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
function sequenceIdField(json: ReceiptJson, text: string | undefined, ctx: FieldContext): string {
  const field = 'sequence_id';
  const value = json[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return String(value);
    // BigInt() avoids "1e+21" notation when the literal was written in exponent form.
    return (text === undefined ? undefined : integerLiteralInText(text, field, value)) ?? BigInt(value).toString();
  }
  return fail(ctx, 'shape', `field "${field}" must be an integer or a non-empty string`);
}

/**
 * A delivery report from its JSON object.
 *
 * @throws ReceiptDecodeError when a field is missing or of the wrong type.
 */
export function smsReportFromJson(json: ReceiptJson, origin: ReceiptOrigin): SmsReport {
  const ctx: FieldContext = { type: 'SmsReport', messageId: origin.messageId };
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
    source: origin.source,
    messageId: origin.messageId,
    raw: json,
  };
}

/**
 * A reply from its JSON object.
 *
 * @throws ReceiptDecodeError when a field is missing or of the wrong type.
 */
export function smsUpFromJson(json: ReceiptJson, origin: ReceiptOrigin): SmsUp {
  const ctx: FieldContext = { type: 'SmsUp', messageId: origin.messageId };
  return {
    type: 'SmsUp',
    phoneNumber: requiredString(json, 'phone_number', ctx),
    content: requiredString(json, 'content', ctx),
    destCode: optionalString(json, 'dest_code', ctx),
    signName: optionalString(json, 'sign_name', ctx),
    sequenceId: sequenceIdField(json, origin.text, ctx),
    sendTime: beijingTime(json, 'send_time', ctx),
    source: origin.source,
    messageId: origin.messageId,
    raw: json,
  };
}

/**
 * A receipt of `type` from its JSON object.
 *
 * @throws ReceiptDecodeError when the object is not a valid receipt of that type.
 */
export function receiptFromJson(type: AlicomMessageType, json: ReceiptJson, origin: ReceiptOrigin): SmsReport | SmsUp {
  return type === 'SmsReport' ? smsReportFromJson(json, origin) : smsUpFromJson(json, origin);
}
