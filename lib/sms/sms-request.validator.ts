import { SmsInputError } from '../errors/sms-input.error.js';
import type {
  QuerySendDetailsRequest,
  SendBatchSmsRequest,
  SendSmsRequest,
} from '../interfaces/sms-requests.interface.js';
import { formatBeijingDay, parseBeijingDay } from '../utils/beijing-time.js';
import { normalizePhoneNumber } from './phone-number.js';
import { LONE_SURROGATE, templateParamListToJson, templateParamToJson, type TemplateParamConversion } from './template-param.js';
import { describeValue } from '../utils/describe-value.js';
import { isObjectLike, readArrayItems, safeEntries, unknownKeyProblem } from '../utils/options-check.js';

// Every SmsService input passes through here before a request is signed: a rejected input throws
// one SmsInputError naming every bad field, so nothing half-valid reaches Alibaba (where a
// partial failure may already have sent some SMS) and the caller can fix everything in one go.
// Inputs are treated as `unknown` at runtime because JavaScript callers and JSON bodies bypass
// the TypeScript types; a wrong type must become an SmsInputError, never a TypeError.

/** Limits applied before sending (PROTOCOL.md §3.1-3.3). */
export const SMS_REQUEST_LIMITS = {
  /** Numbers per `SendSms` call (Alibaba docs). */
  sendSmsMaxNumbers: 1000,
  /** Numbers per `SendBatchSms` call (Alibaba docs). */
  sendBatchSmsMaxNumbers: 100,
  /** Sanity limit on signature names (real ones are a few characters). */
  signNameMaxLength: 100,
  /** Characters of `OutId`. */
  outIdMaxLength: 256,
  /** Characters of a template code (real ones look like `SMS_154950909`). */
  templateCodeMaxLength: 100,
  /** Digits of an upstream extension code (real ones are a few digits). */
  extendCodeMaxLength: 20,
  /** Characters of a `BizId` (real ones look like `900619746936498440^0`). */
  bizIdMaxLength: 100,
  /** Characters of one phone number as written (spaces and prefixes included). */
  phoneNumberMaxLength: 64,
  /** Largest `PageSize` of `QuerySendDetails`. */
  queryMaxPageSize: 50,
  /** `QuerySendDetails` reaches back this many Beijing calendar days, today included. */
  queryDaysBack: 30,
} as const;

/** Wire parameters of a validated `SendSms` call. */
export interface ValidatedSendSms {
  /** `PhoneNumbers`, `SignName`, `TemplateCode` and, when given, `TemplateParam`, `OutId`, `SmsUpExtendCode`. */
  params: Record<string, string>;
  /** The normalized numbers in request order (as Alibaba's receipts report them). */
  phoneNumbers: string[];
}

/** Wire parameters of a validated `SendBatchSms` call. */
export interface ValidatedSendBatchSms {
  /** `PhoneNumberJson`, `SignNameJson`, `TemplateCode` and, when given, `TemplateParamJson`, `SmsUpExtendCodeJson`, `OutId`. */
  params: Record<string, string>;
  /** The normalized numbers in request order. */
  phoneNumbers: string[];
}

/** Wire parameters of a validated `QuerySendDetails` call. */
export interface ValidatedQuerySendDetails {
  /** `PhoneNumber`, `SendDate`, `PageSize`, `CurrentPage` and, when given, `BizId`. */
  params: Record<string, string>;
  /** The normalized number. */
  phoneNumber: string;
}

/** The fields each request takes; anything else is reported, never ignored. */
const SEND_SMS_FIELDS = ['phoneNumbers', 'signName', 'templateCode', 'templateParam', 'outId', 'smsUpExtendCode'] as const;
const SEND_BATCH_SMS_FIELDS = ['phoneNumbers', 'signNames', 'templateCode', 'templateParams', 'smsUpExtendCodes', 'outId'] as const;
const QUERY_SEND_DETAILS_FIELDS = ['phoneNumber', 'sendDate', 'bizId', 'pageSize', 'currentPage'] as const;

type InputProblem = { field: string; problem: string };
type Problems = InputProblem[];

const DAY_MS = 24 * 60 * 60 * 1000;
const BROKEN_TEXT = 'contains a lone UTF-16 surrogate (text cut in the middle of a character); fix the text';
const DIGITS = /^\d+$/;

/**
 * Checks a `SendSms` request and builds its wire parameters.
 *
 * @throws SmsInputError listing every problem (nothing is sent).
 */
export function validateSendSms(request: SendSmsRequest): ValidatedSendSms {
  return guarded('SendSms', () => checkSendSms(request));
}

function checkSendSms(request: SendSmsRequest): ValidatedSendSms {
  const problems: Problems = [];
  const input = readRequest('SendSms', request, 'phoneNumbers, signName and templateCode', SEND_SMS_FIELDS, problems);

  const phoneNumbers = readPhoneNumbers(input, SMS_REQUEST_LIMITS.sendSmsMaxNumbers, 'SendSms', problems);
  const signName = readSignName(input, 'signName', input.signName, problems);
  const templateCode = readTemplateCode(input, problems);
  const templateParam =
    input.templateParam == null ? undefined : collect(templateParamToJson(input.templateParam, 'templateParam'), problems);
  const outId = readOutId(input, problems);
  const smsUpExtendCode = readOptionalExtendCode(input.smsUpExtendCode, 'smsUpExtendCode', problems);

  if (problems.length > 0) throw new SmsInputError('SendSms', problems);
  return {
    params: withoutAbsent({
      PhoneNumbers: phoneNumbers.join(','),
      SignName: signName,
      TemplateCode: templateCode,
      TemplateParam: templateParam,
      OutId: outId,
      SmsUpExtendCode: smsUpExtendCode,
    }),
    phoneNumbers,
  };
}

/**
 * Checks a `SendBatchSms` request and builds its wire parameters. A single `signNames` string is
 * used for every number; every per-number array must match `phoneNumbers` in length.
 *
 * @throws SmsInputError listing every problem (nothing is sent).
 */
export function validateSendBatchSms(request: SendBatchSmsRequest): ValidatedSendBatchSms {
  return guarded('SendBatchSms', () => checkSendBatchSms(request));
}

function checkSendBatchSms(request: SendBatchSmsRequest): ValidatedSendBatchSms {
  const problems: Problems = [];
  const input = readRequest('SendBatchSms', request, 'phoneNumbers, signNames and templateCode', SEND_BATCH_SMS_FIELDS, problems);

  if (typeof input.phoneNumbers === 'string') {
    problems.push({
      field: 'phoneNumbers',
      problem: 'must be an array of numbers for SendBatchSms, got one string; use sendSms for a single number or wrap it in [ ]',
    });
  }
  const phoneNumbers =
    typeof input.phoneNumbers === 'string'
      ? []
      : readPhoneNumbers(input, SMS_REQUEST_LIMITS.sendBatchSmsMaxNumbers, 'SendBatchSms', problems);
  // Length checks use the raw count so they still report when some numbers are invalid.
  const count = Array.isArray(input.phoneNumbers) ? (input.phoneNumbers as unknown[]).length : undefined;

  const signNames = readBatchSignNames(input, count, problems);
  const templateCode = readTemplateCode(input, problems);
  let templateParamJson: string | undefined;
  if (input.templateParams != null) {
    checkSameLength(input.templateParams, 'templateParams', count, problems);
    templateParamJson = collect(templateParamListToJson(input.templateParams, 'templateParams', SMS_REQUEST_LIMITS.sendBatchSmsMaxNumbers), problems);
  }
  const extendCodes = readBatchExtendCodes(input.smsUpExtendCodes, count, problems);
  const outId = readOutId(input, problems);

  if (problems.length > 0) throw new SmsInputError('SendBatchSms', problems);
  return {
    params: withoutAbsent({
      PhoneNumberJson: JSON.stringify(phoneNumbers),
      SignNameJson: JSON.stringify(signNames),
      TemplateCode: templateCode,
      TemplateParamJson: templateParamJson,
      SmsUpExtendCodeJson: extendCodes && JSON.stringify(extendCodes),
      OutId: outId,
    }),
    phoneNumbers,
  };
}

/**
 * Checks a `QuerySendDetails` request and builds its wire parameters. `SendDate` is the Beijing
 * (UTC+8) calendar day: a Date is converted to the day it falls on in Beijing, and the day must
 * lie within the last 30 Beijing days, today included.
 *
 * @param now the current time (injectable for tests).
 * @throws SmsInputError listing every problem (nothing is sent).
 */
export function validateQuerySendDetails(
  request: QuerySendDetailsRequest,
  now: Date = new Date(),
): ValidatedQuerySendDetails {
  return guarded('QuerySendDetails', () => checkQuerySendDetails(request, now));
}

function checkQuerySendDetails(request: QuerySendDetailsRequest, now: Date): ValidatedQuerySendDetails {
  const problems: Problems = [];
  const input = readRequest('QuerySendDetails', request, 'phoneNumber and sendDate', QUERY_SEND_DETAILS_FIELDS, problems, ['phoneNumber', 'sendDate']);

  const phoneNumber = readSinglePhoneNumber(input, problems);
  const sendDate = readSendDay(input, now, problems);
  const pageSize = readInteger(input.pageSize, 'pageSize', 1, SMS_REQUEST_LIMITS.queryMaxPageSize, SMS_REQUEST_LIMITS.queryMaxPageSize, problems);
  const currentPage = readInteger(input.currentPage, 'currentPage', 1, Number.MAX_SAFE_INTEGER, 1, problems);
  const bizId = readOptionalText(input.bizId, 'bizId', problems, SMS_REQUEST_LIMITS.bizIdMaxLength);

  if (problems.length > 0) throw new SmsInputError('QuerySendDetails', problems);
  return {
    params: withoutAbsent({
      PhoneNumber: phoneNumber,
      SendDate: sendDate,
      PageSize: String(pageSize),
      CurrentPage: String(currentPage),
      BizId: bizId,
    }),
    phoneNumber,
  };
}

// ---------------------------------------------------------------------------------------------
// Field readers. Each appends its problems and returns a placeholder when invalid; the callers
// throw before a placeholder could reach the wire.

/** Runs a check; anything but an SmsInputError escaping it (a bug, or input stranger than foreseen) still becomes one. */
function guarded<T>(action: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof SmsInputError) throw error;
    let detail: string;
    try {
      detail = error instanceof Error ? error.message : String(error);
    } catch {
      detail = 'an unreadable error';
    }
    throw new SmsInputError(action, [{ field: 'request', problem: `could not be checked (${detail}); pass plain data` }]);
  }
}

/**
 * The request's own fields, each read once (getters and Proxies may throw: that is a problem of
 * the request, not a crash), with unknown fields reported. The checks below read this copy only.
 */
function readRequest(
  action: string,
  request: unknown,
  requiredFields: string,
  known: readonly string[],
  problems: Problems,
  required: readonly string[] = known.slice(0, 3),
): Record<string, unknown> {
  if (!isObjectLike(request)) {
    throw new SmsInputError(action, [
      { field: 'request', problem: `must be an object with ${requiredFields}, got ${describeValue(request)}` },
    ]);
  }
  const read = safeEntries(request);
  if (!read.ok) throw new SmsInputError(action, [{ field: read.key ?? 'request', problem: read.problem }]);
  const input: Record<string, unknown> = Object.create(null);
  for (const [key, value] of read.entries) input[key] = value;
  for (const [key, value] of read.entries) {
    if (known.includes(key) || value === undefined) continue;
    // A near miss of a missing required field is named by that field's own problem.
    if (required.some((field) => input[field] == null && nearMiss(key, field))) continue;
    problems.push({ field: key, problem: unknownKeyProblem(key, `field of ${action}`, known) });
  }
  return input;
}

function readPhoneNumbers(input: Record<string, unknown>, max: number, action: string, problems: Problems): string[] {
  const value = input.phoneNumbers;
  if (value === undefined || value === null) {
    problems.push({ field: 'phoneNumbers', problem: `is required: the numbers to send to${similarKeyHint(input, 'phoneNumbers')}` });
    return [];
  }
  let entries: { field: string; raw: unknown }[];
  if (typeof value === 'string') entries = [{ field: 'phoneNumbers', raw: value }];
  else {
    const list = readArrayItems(value, max);
    if (list.kind === 'too-long') {
      problems.push({
        field: 'phoneNumbers',
        problem: `has ${list.length} numbers but ${action} takes at most ${max} per call; split them into several calls`,
      });
      return [];
    }
    if (list.kind !== 'ok') {
      const problem = list.kind === 'unreadable' ? list.problem : `must be a string or an array of strings, got ${describeValue(value)}`;
      problems.push({ field: 'phoneNumbers', problem });
      return [];
    }
    entries = list.items.map((raw, index) => ({ field: `phoneNumbers[${index}]`, raw }));
  }
  if (entries.length === 0) problems.push({ field: 'phoneNumbers', problem: 'is empty; give at least one number' });

  const normalized: string[] = [];
  const firstFieldByNumber = new Map<string, string>();
  for (const { field, raw } of entries) {
    const number = checkPhoneNumber(raw, field, problems);
    if (number === undefined) continue;
    const first = firstFieldByNumber.get(number);
    if (first !== undefined) {
      problems.push({
        field,
        problem: `${JSON.stringify(raw)} is the same number as ${first} (${number}); remove the duplicate, or it would get the SMS twice`,
      });
      continue;
    }
    firstFieldByNumber.set(number, field);
    normalized.push(number);
  }
  return normalized;
}

function readSinglePhoneNumber(input: Record<string, unknown>, problems: Problems): string {
  const value = input.phoneNumber;
  if (value === undefined || value === null) {
    problems.push({ field: 'phoneNumber', problem: `is required: the one number to look up${similarKeyHint(input, 'phoneNumber')}` });
    return '';
  }
  if (Array.isArray(value)) {
    problems.push({ field: 'phoneNumber', problem: 'must be one number as a string, got an array; QuerySendDetails looks up exactly one number per call' });
    return '';
  }
  return checkPhoneNumber(value, 'phoneNumber', problems) ?? '';
}

function checkPhoneNumber(raw: unknown, field: string, problems: Problems): string | undefined {
  if (typeof raw !== 'string') {
    const hint = typeof raw === 'number' ? `; write numbers as text, e.g. "${raw}"` : '';
    problems.push({ field, problem: `must be a string, got ${describeValue(raw)}${hint}` });
    return undefined;
  }
  if (raw.length > SMS_REQUEST_LIMITS.phoneNumberMaxLength) {
    problems.push({ field, problem: `is ${raw.length} characters long; a phone number has at most 15 digits (${describeValue(raw)})` });
    return undefined;
  }
  const result = normalizePhoneNumber(raw);
  if (!result.ok) {
    problems.push({ field, problem: result.problem });
    return undefined;
  }
  return result.number;
}

function readSignName(input: Record<string, unknown>, field: string, value: unknown, problems: Problems): string {
  if (value === undefined || value === null) {
    problems.push({ field, problem: `is required: your approved signature name, e.g. 阿里云短信测试${similarKeyHint(input, field)}` });
    return '';
  }
  if (typeof value !== 'string') {
    problems.push({ field, problem: `must be a string (the approved signature name), got ${describeValue(value)}` });
    return '';
  }
  const name = value.trim();
  if (name === '') {
    problems.push({ field, problem: 'is empty; give your approved signature name, e.g. 阿里云短信测试' });
    return '';
  }
  if (LONE_SURROGATE.test(name)) {
    problems.push({ field, problem: BROKEN_TEXT });
    return '';
  }
  const length = [...name].length;
  if (length > SMS_REQUEST_LIMITS.signNameMaxLength) {
    problems.push({
      field,
      problem: `is ${length} characters long; signature names are at most ${SMS_REQUEST_LIMITS.signNameMaxLength} (give the approved name, not the message text)`,
    });
    return '';
  }
  return name;
}

function readBatchSignNames(input: Record<string, unknown>, count: number | undefined, problems: Problems): string[] {
  const value = input.signNames;
  if (typeof value === 'string' || value === undefined || value === null) {
    const name = readSignName(input, 'signNames', value, problems);
    // One signature for the whole batch: Alibaba still wants one entry per number.
    return Array.from({ length: count ?? 0 }, () => name);
  }
  const list = readArrayItems(value, SMS_REQUEST_LIMITS.sendBatchSmsMaxNumbers);
  if (list.kind !== 'ok') {
    problems.push({ field: 'signNames', problem: listProblem(list, value, 'a string or an array of strings (one per phone number)') });
    return [];
  }
  checkSameLength(list.items, 'signNames', count, problems, ' (or give one string for all numbers)');
  return list.items.map((entry, index) => readSignName(input, `signNames[${index}]`, entry, problems));
}

function readTemplateCode(input: Record<string, unknown>, problems: Problems): string {
  const value = input.templateCode;
  if (value === undefined || value === null) {
    problems.push({ field: 'templateCode', problem: `is required: your approved template code, e.g. SMS_154950909${similarKeyHint(input, 'templateCode')}` });
    return '';
  }
  if (typeof value !== 'string') {
    problems.push({ field: 'templateCode', problem: `must be a string such as SMS_154950909, got ${describeValue(value)}` });
    return '';
  }
  const code = value.trim();
  // Lenient on the exact form (SMS_ + digits today), strict on what can never be a code.
  if (code.length > SMS_REQUEST_LIMITS.templateCodeMaxLength || LONE_SURROGATE.test(code)) {
    problems.push({
      field: 'templateCode',
      problem: `${describeValue(value)} is not a template code; give the code of an approved template, e.g. SMS_154950909 (at most ${SMS_REQUEST_LIMITS.templateCodeMaxLength} characters)`,
    });
    return '';
  }
  if (code === '' || /\s/.test(code)) {
    problems.push({
      field: 'templateCode',
      problem: `${JSON.stringify(value)} is not a template code; give the code of an approved template, e.g. SMS_154950909 (no spaces)`,
    });
    return '';
  }
  return code;
}

function readOutId(input: Record<string, unknown>, problems: Problems): string | undefined {
  const outId = readOptionalText(input.outId, 'outId', problems, SMS_REQUEST_LIMITS.outIdMaxLength * 2);
  if (outId === undefined) return undefined;
  const length = [...outId].length;
  if (length > SMS_REQUEST_LIMITS.outIdMaxLength) {
    problems.push({ field: 'outId', problem: `is ${length} characters long; at most ${SMS_REQUEST_LIMITS.outIdMaxLength} are allowed (use a shorter id, e.g. a hash)` });
    return undefined;
  }
  return outId;
}

function readOptionalExtendCode(value: unknown, field: string, problems: Problems): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return checkExtendCode(value, field, problems);
}

function checkExtendCode(value: unknown, field: string, problems: Problems): string | undefined {
  if (typeof value === 'string' && DIGITS.test(value)) {
    if (value.length <= SMS_REQUEST_LIMITS.extendCodeMaxLength) return value;
    problems.push({ field, problem: `has ${value.length} digits; extension codes have at most ${SMS_REQUEST_LIMITS.extendCodeMaxLength}` });
    return undefined;
  }
  const hint = typeof value === 'number' ? ' (as text, so leading zeros survive)' : '';
  problems.push({ field, problem: `must be a string of digits such as "90999"${hint}, got ${describeValue(value)}` });
  return undefined;
}

function readBatchExtendCodes(value: unknown, count: number | undefined, problems: Problems): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = readArrayItems(value, SMS_REQUEST_LIMITS.sendBatchSmsMaxNumbers);
  if (list.kind !== 'ok') {
    problems.push({ field: 'smsUpExtendCodes', problem: listProblem(list, value, 'an array of digit strings (one per phone number)') });
    return undefined;
  }
  checkSameLength(list.items, 'smsUpExtendCodes', count, problems);
  return list.items.map((code, index) => checkExtendCode(code, `smsUpExtendCodes[${index}]`, problems) ?? '');
}

function listProblem(list: Exclude<ReturnType<typeof readArrayItems>, { kind: 'ok' }>, value: unknown, expected: string): string {
  if (list.kind === 'too-long') return `has ${list.length} entries; at most ${SMS_REQUEST_LIMITS.sendBatchSmsMaxNumbers} (one per phone number) are allowed`;
  if (list.kind === 'unreadable') return list.problem;
  return `must be ${expected}, got ${describeValue(value)}`;
}

function checkSameLength(value: unknown, field: string, count: number | undefined, problems: Problems, alternative = ''): void {
  let length: number;
  try {
    if (!Array.isArray(value) || count === undefined) return;
    length = value.length;
  } catch {
    return;
  }
  if (length === count) return;
  problems.push({
    field,
    problem: `has ${length} entries but phoneNumbers has ${count}; give exactly one per phone number, in the same order${alternative}`,
  });
}

function readSendDay(input: Record<string, unknown>, now: Date, problems: Problems): string {
  const value = input.sendDate;
  let day: string;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      problems.push({ field: 'sendDate', problem: 'is an invalid Date; pass a valid Date or yyyyMMdd text such as 20261128' });
      return '';
    }
    day = formatBeijingDay(value);
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (!/^\d{8}$/.test(text)) {
      problems.push({ field: 'sendDate', problem: `${JSON.stringify(value)} is not yyyyMMdd text; write the Beijing day as 8 digits, e.g. 20261128, or pass a Date` });
      return '';
    }
    if (parseBeijingDay(text) === undefined) {
      problems.push({ field: 'sendDate', problem: `${JSON.stringify(value)} is not a real calendar day (yyyyMMdd)` });
      return '';
    }
    day = text;
  } else if (value === undefined || value === null) {
    problems.push({ field: 'sendDate', problem: `is required: the Beijing day of the send, as a Date or yyyyMMdd text${similarKeyHint(input, 'sendDate')}` });
    return '';
  } else {
    problems.push({ field: 'sendDate', problem: `must be a Date or yyyyMMdd text, got ${describeValue(value)}` });
    return '';
  }

  const today = formatBeijingDay(now);
  // Beijing has no daylight saving, so whole days are exact multiples of 24 h.
  const daysAgo = Math.round((parseBeijingDay(today)!.getTime() - parseBeijingDay(day)!.getTime()) / DAY_MS);
  if (daysAgo < 0) {
    problems.push({ field: 'sendDate', problem: `${day} is in the future (today in Beijing is ${today}); query a day from the past 30 days` });
    return '';
  }
  if (daysAgo >= SMS_REQUEST_LIMITS.queryDaysBack) {
    const earliest = formatBeijingDay(new Date(parseBeijingDay(today)!.getTime() - (SMS_REQUEST_LIMITS.queryDaysBack - 1) * DAY_MS));
    problems.push({
      field: 'sendDate',
      problem: `${day} is ${daysAgo} days ago; Alibaba only keeps send details for the last ${SMS_REQUEST_LIMITS.queryDaysBack} days (Beijing time, today ${today} included), so the earliest day is ${earliest}`,
    });
    return '';
  }
  return day;
}

function readInteger(value: unknown, field: string, min: number, max: number, fallback: number, problems: Problems): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  problems.push({ field, problem: `must be ${range}, got ${describeValue(value)}` });
  return fallback;
}

function readOptionalText(value: unknown, field: string, problems: Problems, maxLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push({ field, problem: `must be a string, got ${describeValue(value)}` });
    return undefined;
  }
  if (value.length > maxLength) {
    problems.push({ field, problem: `is ${value.length} characters long; at most ${maxLength} are allowed` });
    return undefined;
  }
  if (LONE_SURROGATE.test(value)) {
    problems.push({ field, problem: BROKEN_TEXT });
    return undefined;
  }
  // Not trimmed: an OutId must come back in receipts exactly as the caller wrote it.
  return value === '' ? undefined : value;
}

function collect(conversion: TemplateParamConversion, problems: Problems): string | undefined {
  if (conversion.ok) return conversion.json;
  problems.push(...conversion.problems);
  return undefined;
}

/** Drops absent values so the wire never carries the text "undefined". */
function withoutAbsent(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Points at a near-miss key (`phoneNumber` for `phoneNumbers`, `signname`, ...) when a required field is missing. */
function similarKeyHint(input: Record<string, unknown>, field: string): string {
  const found = Object.keys(input).find((key) => nearMiss(key, field));
  return found === undefined ? '' : ` (found "${found}"; did you mean "${field}"?)`;
}

/** `key` is `field` in another case, or with an `s` too many or too few. */
function nearMiss(key: string, field: string): boolean {
  const wanted = field.toLowerCase();
  const candidate = key.toLowerCase();
  return key !== field && (candidate === wanted || candidate === `${wanted}s` || `${candidate}s` === wanted);
}

