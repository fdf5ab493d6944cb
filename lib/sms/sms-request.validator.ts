import { SmsInputError } from '../errors/sms-input.error.js';
import type {
  QuerySendDetailsRequest,
  SendBatchSmsRequest,
  SendSmsRequest,
} from '../interfaces/sms-requests.interface.js';
import { formatBeijingDay, parseBeijingDay } from '../utils/beijing-time.js';
import { normalizePhoneNumber } from './phone-number.js';
import { templateParamListToJson, templateParamToJson, type TemplateParamConversion } from './template-param.js';
import { describeValue } from '../utils/describe-value.js';

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

type InputProblem = { field: string; problem: string };
type Problems = InputProblem[];

const DAY_MS = 24 * 60 * 60 * 1000;
const DIGITS = /^\d+$/;

/**
 * Checks a `SendSms` request and builds its wire parameters.
 *
 * @throws SmsInputError listing every problem (nothing is sent).
 */
export function validateSendSms(request: SendSmsRequest): ValidatedSendSms {
  const input = requireObject('SendSms', request, 'phoneNumbers, signName and templateCode');
  const problems: Problems = [];

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
  const input = requireObject('SendBatchSms', request, 'phoneNumbers, signNames and templateCode');
  const problems: Problems = [];

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
  const count = Array.isArray(input.phoneNumbers) ? input.phoneNumbers.length : undefined;

  const signNames = readBatchSignNames(input, count, problems);
  const templateCode = readTemplateCode(input, problems);
  let templateParamJson: string | undefined;
  if (input.templateParams != null) {
    checkSameLength(input.templateParams, 'templateParams', count, problems);
    templateParamJson = collect(templateParamListToJson(input.templateParams, 'templateParams'), problems);
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
  const input = requireObject('QuerySendDetails', request, 'phoneNumber and sendDate');
  const problems: Problems = [];

  const phoneNumber = readSinglePhoneNumber(input, problems);
  const sendDate = readSendDay(input, now, problems);
  const pageSize = readInteger(input.pageSize, 'pageSize', 1, SMS_REQUEST_LIMITS.queryMaxPageSize, SMS_REQUEST_LIMITS.queryMaxPageSize, problems);
  const currentPage = readInteger(input.currentPage, 'currentPage', 1, Number.MAX_SAFE_INTEGER, 1, problems);
  const bizId = readOptionalText(input.bizId, 'bizId', problems);

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

function requireObject(action: string, request: unknown, requiredFields: string): Record<string, unknown> {
  if (typeof request === 'object' && request !== null && !Array.isArray(request)) {
    return request as Record<string, unknown>;
  }
  throw new SmsInputError(action, [
    { field: 'request', problem: `must be an object with ${requiredFields}, got ${describeValue(request)}` },
  ]);
}

function readPhoneNumbers(input: Record<string, unknown>, max: number, action: string, problems: Problems): string[] {
  const value = input.phoneNumbers;
  if (value === undefined || value === null) {
    problems.push({ field: 'phoneNumbers', problem: `is required: the numbers to send to${similarKeyHint(input, 'phoneNumbers')}` });
    return [];
  }
  let entries: { field: string; raw: unknown }[];
  if (typeof value === 'string') entries = [{ field: 'phoneNumbers', raw: value }];
  else if (Array.isArray(value)) entries = value.map((raw, index) => ({ field: `phoneNumbers[${index}]`, raw }));
  else {
    problems.push({ field: 'phoneNumbers', problem: `must be a string or an array of strings, got ${describeValue(value)}` });
    return [];
  }
  if (entries.length === 0) problems.push({ field: 'phoneNumbers', problem: 'is empty; give at least one number' });
  if (entries.length > max) {
    problems.push({
      field: 'phoneNumbers',
      problem: `has ${entries.length} numbers but ${action} takes at most ${max} per call; split them into several calls`,
    });
  }

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
  if (!Array.isArray(value)) {
    problems.push({ field: 'signNames', problem: `must be a string or an array of strings (one per phone number), got ${describeValue(value)}` });
    return [];
  }
  checkSameLength(value, 'signNames', count, problems, ' (or give one string for all numbers)');
  return value.map((entry, index) => readSignName(input, `signNames[${index}]`, entry, problems));
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
  const outId = readOptionalText(input.outId, 'outId', problems);
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
  if (typeof value === 'string' && DIGITS.test(value)) return value;
  const hint = typeof value === 'number' ? ' (as text, so leading zeros survive)' : '';
  problems.push({ field, problem: `must be a string of digits such as "90999"${hint}, got ${describeValue(value)}` });
  return undefined;
}

function readBatchExtendCodes(value: unknown, count: number | undefined, problems: Problems): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ field: 'smsUpExtendCodes', problem: `must be an array of digit strings (one per phone number), got ${describeValue(value)}` });
    return undefined;
  }
  checkSameLength(value, 'smsUpExtendCodes', count, problems);
  return value.map((code, index) => checkExtendCode(code, `smsUpExtendCodes[${index}]`, problems) ?? '');
}

function checkSameLength(value: unknown, field: string, count: number | undefined, problems: Problems, alternative = ''): void {
  if (!Array.isArray(value) || count === undefined || value.length === count) return;
  problems.push({
    field,
    problem: `has ${value.length} entries but phoneNumbers has ${count}; give exactly one per phone number, in the same order${alternative}`,
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

function readOptionalText(value: unknown, field: string, problems: Problems): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push({ field, problem: `must be a string, got ${describeValue(value)}` });
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
  const wanted = field.toLowerCase();
  const nearMiss = Object.keys(input).find((key) => {
    const candidate = key.toLowerCase();
    return key !== field && (candidate === wanted || candidate === `${wanted}s` || `${candidate}s` === wanted);
  });
  return nearMiss === undefined ? '' : ` (found "${nearMiss}"; did you mean "${field}"?)`;
}

