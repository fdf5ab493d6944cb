import {
  DEFAULT_REGION_ID,
  SMS_ENDPOINT_BY_REGION,
  defaultMnsEndpoint,
  defaultTokenEndpoint,
} from '../alicom-sms.constants.js';
import { AlicomSmsConfigError } from '../errors/alicom-sms-config.error.js';
import type { AlicomMessageType } from './alicom-sms-module-options.interface.js';
import { resolvePushOptions } from './push-options.resolver.js';
import type { ResolvedAlicomSmsOptions, ResolvedCompensationOptions, ResolvedReceiptOptions } from './resolved-alicom-sms-options.js';
import { AccessKeyCredentials } from '../utils/access-key-credentials.js';
import { RedactedSecret, revealSecret } from '../utils/redacted-secret.js';
import { MODULE_OPTION_KEYS } from './module-option-keys.js';
import { describeDispatcher, inspectAs } from './protected-options.js';
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_MAX_RESPONSE_BYTES, MIN_MAX_RESPONSE_BYTES } from './response-size.js';
import { describeValue as describe } from '../utils/describe-value.js';

type Problem = { field: string; problem: string };

const TOP_LEVEL_KEYS = new Set<string>(MODULE_OPTION_KEYS);

const COMPENSATION_DEFAULTS: Omit<ResolvedCompensationOptions, 'store'> = {
  queryAfterMs: 600_000,
  recheckIntervalMs: 600_000,
  sweepIntervalMs: 60_000,
  giveUpAfterMs: 259_200_000,
  queryRatePerSecond: 20,
  maxPending: 100_000,
  dedupeWindowSize: 100_000,
  dedupeWindowMs: 259_200_000,
};

const DAY_MS = 86_400_000;

/** Integer options of `compensation` with their valid ranges. */
const COMPENSATION_RANGES: Record<string, [number, number]> = {
  queryAfterMs: [1_000, DAY_MS],
  recheckIntervalMs: [1_000, DAY_MS],
  sweepIntervalMs: [1_000, 3_600_000],
  giveUpAfterMs: [1_000, 30 * DAY_MS],
  queryRatePerSecond: [1, 500],
  maxPending: [1, 10_000_000],
  dedupeWindowSize: [100, 10_000_000],
  dedupeWindowMs: [60_000, 30 * DAY_MS],
};

const RECEIPT_DEFAULTS: Omit<ResolvedReceiptOptions, 'queuePrefix' | 'onPoisonMessage'> = {
  types: ['SmsReport', 'SmsUp'],
  autoStart: true,
  waitSeconds: 30,
  batchSize: 16,
  pollersPerQueue: 4,
  maxInFlight: 256,
  retryBackoffSeconds: 10,
  maxRetryBackoffSeconds: 600,
  maxDeliveries: 10,
  poisonPolicy: 'delete',
  shutdownTimeoutMs: 10_000,
  tokenRefreshMarginMs: 120_000,
};

/** Integer options of `receipts` with their valid ranges. */
const RECEIPT_RANGES: Record<string, [number, number]> = {
  waitSeconds: [0, 30],
  batchSize: [1, 16],
  pollersPerQueue: [1, 32],
  maxInFlight: [1, 10_000],
  retryBackoffSeconds: [1, 43_200],
  maxRetryBackoffSeconds: [1, 43_200],
  maxDeliveries: [1, 1000],
  shutdownTimeoutMs: [0, 600_000],
  tokenRefreshMarginMs: [0, 3_600_000],
};

function checkInteger(problems: Problem[], field: string, value: unknown, [min, max]: [number, number]): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({ field, problem: `must be an integer from ${min} to ${max}, got ${describe(value)}` });
  }
}

function checkOrigin(problems: Problem[], field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ field, problem: `must be an origin URL such as 'https://dysmsapi.aliyuncs.com', got ${describe(value)}` });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ field, problem: `is not a valid URL: ${describe(value)}; use e.g. 'https://dysmsapi.aliyuncs.com' or 'http://127.0.0.1:4100'` });
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push({ field, problem: `must use https: (or http: for local emulators/VPC), got '${url.protocol}'` });
  } else if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    problems.push({ field, problem: `must be an origin without path, query or fragment (got ${describe(value)}); use '${url.origin}'` });
  } else if (url.username || url.password) {
    problems.push({ field, problem: 'must not contain user:password; credentials go in accessKeyId/accessKeySecret' });
  } else {
    return url.origin;
  }
  return undefined;
}

function resolveReceipts(problems: Problem[], value: unknown): ResolvedReceiptOptions | false {
  if (value === undefined || value === false) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ field: 'receipts', problem: `must be an object ({ queuePrefix: 'Alicom-Queue-<uid>-' }) or false, got ${describe(value)}` });
    return false;
  }
  const receipts = value as Record<string, unknown>;
  for (const key of Object.keys(receipts)) {
    if (key !== 'queuePrefix' && key !== 'onPoisonMessage' && !(key in RECEIPT_DEFAULTS)) {
      problems.push({ field: `receipts.${key}`, problem: `is not a known option (known: queuePrefix, onPoisonMessage, ${Object.keys(RECEIPT_DEFAULTS).join(', ')})` });
    }
  }
  const prefix = receipts.queuePrefix;
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9-]+-$/.test(prefix)) {
    problems.push({
      field: 'receipts.queuePrefix',
      problem: `must be the queue name prefix from the SMS console ending in '-', e.g. 'Alicom-Queue-1092397003988387-', got ${describe(prefix)}`,
    });
  } else if (/-(SmsReport|SmsUp)-?$/.test(prefix)) {
    problems.push({ field: 'receipts.queuePrefix', problem: `looks like a full queue name; drop the message type: '${prefix.replace(/(SmsReport|SmsUp)-?$/, '')}'` });
  }
  const types = receipts.types;
  if (types !== undefined) {
    const valid: AlicomMessageType[] = ['SmsReport', 'SmsUp'];
    if (
      !Array.isArray(types) ||
      types.length === 0 ||
      types.some((t) => !valid.includes(t)) ||
      new Set(types).size !== types.length
    ) {
      problems.push({ field: 'receipts.types', problem: `must be a non-empty list of distinct 'SmsReport' / 'SmsUp', got ${JSON.stringify(types)}` });
    }
  }
  if (receipts.autoStart !== undefined && typeof receipts.autoStart !== 'boolean') {
    problems.push({ field: 'receipts.autoStart', problem: `must be true or false, got ${describe(receipts.autoStart)}` });
  }
  if (receipts.poisonPolicy !== undefined && receipts.poisonPolicy !== 'delete' && receipts.poisonPolicy !== 'keep') {
    problems.push({ field: 'receipts.poisonPolicy', problem: `must be 'delete' or 'keep', got ${describe(receipts.poisonPolicy)}` });
  }
  if (receipts.onPoisonMessage !== undefined && typeof receipts.onPoisonMessage !== 'function') {
    problems.push({ field: 'receipts.onPoisonMessage', problem: `must be a function (message) => void | Promise<void>, got ${describe(receipts.onPoisonMessage)}` });
  }
  for (const [key, range] of Object.entries(RECEIPT_RANGES)) {
    checkInteger(problems, `receipts.${key}`, receipts[key], range);
  }
  const merged = { ...RECEIPT_DEFAULTS, ...stripUndefined(receipts) } as ResolvedReceiptOptions;
  if (merged.maxRetryBackoffSeconds < merged.retryBackoffSeconds) {
    problems.push({ field: 'receipts.maxRetryBackoffSeconds', problem: `must be >= retryBackoffSeconds (${merged.retryBackoffSeconds})` });
  }
  return merged;
}

function resolveCompensation(
  problems: Problem[],
  value: unknown,
  receiptsOn: boolean,
): ResolvedCompensationOptions | false {
  // receiptsOn: receipts come by queue or by push.
  if (value === false || (value === undefined && !receiptsOn)) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    problems.push({ field: 'compensation', problem: `must be an object of settings or false, got ${describe(value)}` });
    return false;
  }
  const compensation = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(compensation)) {
    if (key !== 'store' && !(key in COMPENSATION_DEFAULTS)) {
      problems.push({ field: `compensation.${key}`, problem: `is not a known option (known: store, ${Object.keys(COMPENSATION_DEFAULTS).join(', ')})` });
    }
  }
  for (const [key, range] of Object.entries(COMPENSATION_RANGES)) {
    checkInteger(problems, `compensation.${key}`, compensation[key], range);
  }
  const store = compensation.store as Record<string, unknown> | undefined;
  const storeMethods = ['addPending', 'getPending', 'claim', 'settle', 'release', 'claimDue', 'reschedule', 'pendingCount'];
  if (store !== undefined && (typeof store !== 'object' || store === null || storeMethods.some((m) => typeof store[m] !== 'function'))) {
    problems.push({ field: 'compensation.store', problem: `must implement ReceiptStore (${storeMethods.join(', ')})` });
  } else if (store !== undefined) {
    const optionalMethods = ['configure', 'beginSends', 'endSends', 'findSend', 'findReport', 'watchReports', 'takeQueryToken', 'close'];
    const notFunctions = optionalMethods.filter((m) => store[m] !== undefined && typeof store[m] !== 'function');
    if (notFunctions.length > 0) {
      problems.push({ field: 'compensation.store', problem: `has ${notFunctions.join(', ')} that must be methods of ReceiptStore when present` });
    }
  }
  const merged = { ...COMPENSATION_DEFAULTS, ...stripUndefined(compensation) } as ResolvedCompensationOptions;
  if (merged.giveUpAfterMs < merged.queryAfterMs) {
    problems.push({ field: 'compensation.giveUpAfterMs', problem: `must be >= queryAfterMs (${merged.queryAfterMs})` });
  }
  return merged;
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Validates module options and fills in defaults. Collects every problem and throws one
 * {@link AlicomSmsConfigError} naming them all, so a misconfigured app fails at `init()`.
 */
export function resolveAlicomSmsOptions(raw: unknown): ResolvedAlicomSmsOptions {
  const problems: Problem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AlicomSmsConfigError([
      { field: 'options', problem: `must be an object with at least accessKeyId and accessKeySecret, got ${describe(raw)}` },
    ]);
  }
  const options = raw as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      problems.push({ field: key, problem: `is not a known option (known: ${[...TOP_LEVEL_KEYS].join(', ')})` });
    }
  }

  const { accessKeyId } = options;
  // Plain strings (forRoot before protection, an override) or the RedactedSecrets forRoot stores.
  const accessKeySecret = secretText(options.accessKeySecret);
  const securityToken = secretText(options.securityToken);
  if (typeof accessKeyId !== 'string' || accessKeyId.trim() === '') {
    problems.push({ field: 'accessKeyId', problem: 'is required: the AccessKey ID of a RAM user with SMS permissions (e.g. from ALICOM_ACCESS_KEY_ID)' });
  } else if (/\s/.test(accessKeyId)) {
    problems.push({ field: 'accessKeyId', problem: 'contains whitespace; check for a stray newline or space in its source' });
  }
  if (typeof accessKeySecret !== 'string' || accessKeySecret === '') {
    problems.push({ field: 'accessKeySecret', problem: 'is required: the AccessKey secret belonging to accessKeyId' });
  } else if (/\s/.test(accessKeySecret)) {
    problems.push({ field: 'accessKeySecret', problem: 'contains whitespace; check for a stray newline or space in its source' });
  }
  if (securityToken !== undefined && (typeof securityToken !== 'string' || securityToken === '')) {
    problems.push({ field: 'securityToken', problem: 'must be a non-empty string when given (only for STS credentials)' });
  }

  const regionId = options.regionId ?? DEFAULT_REGION_ID;
  if (typeof regionId !== 'string' || !(regionId in SMS_ENDPOINT_BY_REGION)) {
    problems.push({ field: 'regionId', problem: `must be one of ${Object.keys(SMS_ENDPOINT_BY_REGION).join(', ')}; got ${describe(regionId)}` });
  }
  const region = typeof regionId === 'string' && regionId in SMS_ENDPOINT_BY_REGION ? regionId : DEFAULT_REGION_ID;

  const endpoints = options.endpoints ?? {};
  let sms: string | undefined;
  let token: string | undefined;
  let mns: string | undefined;
  if (typeof endpoints !== 'object' || endpoints === null || Array.isArray(endpoints)) {
    problems.push({ field: 'endpoints', problem: `must be an object { sms?, token?, mns? } of origins, got ${describe(endpoints)}` });
  } else {
    const e = endpoints as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!['sms', 'token', 'mns'].includes(key)) problems.push({ field: `endpoints.${key}`, problem: 'is not a known endpoint (known: sms, token, mns)' });
    }
    sms = checkOrigin(problems, 'endpoints.sms', e.sms);
    token = checkOrigin(problems, 'endpoints.token', e.token);
    mns = checkOrigin(problems, 'endpoints.mns', e.mns);
  }

  checkInteger(problems, 'requestTimeoutMs', options.requestTimeoutMs, [100, 120_000]);
  checkInteger(problems, 'maxQueryRetries', options.maxQueryRetries, [0, 10]);
  checkInteger(problems, 'maxResponseBytes', options.maxResponseBytes, [MIN_MAX_RESPONSE_BYTES, MAX_MAX_RESPONSE_BYTES]);
  const receipts = resolveReceipts(problems, options.receipts);
  const push = resolvePushOptions(problems, options.push);
  const receiptsOn = [options.receipts, options.push].some((value) => value !== undefined && value !== false);
  const compensation = resolveCompensation(problems, options.compensation, receiptsOn);

  const dispatcher = options.dispatcher;
  if (dispatcher !== undefined && (typeof dispatcher !== 'object' || dispatcher === null || typeof (dispatcher as { request?: unknown }).request !== 'function')) {
    problems.push({ field: 'dispatcher', problem: 'must be an undici Dispatcher (Agent, ProxyAgent, MockAgent)' });
  }

  if (problems.length > 0) throw new AlicomSmsConfigError(problems);

  const resolved: ResolvedAlicomSmsOptions = {
    credentials: new AccessKeyCredentials(accessKeyId as string, accessKeySecret as string, securityToken as string | undefined),
    regionId: region,
    endpoints: {
      sms: sms ?? SMS_ENDPOINT_BY_REGION[region],
      token: token ?? defaultTokenEndpoint(region),
      mns: mns ?? defaultMnsEndpoint(region),
    },
    requestTimeoutMs: (options.requestTimeoutMs as number | undefined) ?? 10_000,
    maxQueryRetries: (options.maxQueryRetries as number | undefined) ?? 3,
    maxResponseBytes: (options.maxResponseBytes as number | undefined) ?? DEFAULT_MAX_RESPONSE_BYTES,
    receipts,
    push,
    compensation,
    dispatcher: dispatcher as ResolvedAlicomSmsOptions['dispatcher'],
  };
  // The credentials print redacted on their own; a dispatcher's pool holds in-flight requests.
  inspectAs(resolved, () => (resolved.dispatcher === undefined ? { ...resolved } : { ...resolved, dispatcher: describeDispatcher(resolved.dispatcher) }));
  return resolved;
}

function secretText(value: unknown): unknown {
  return value instanceof RedactedSecret ? revealSecret(value) : value;
}
