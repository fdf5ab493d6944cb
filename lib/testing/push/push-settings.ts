import type { EmulatedPushSettings, EmulatedPushType } from './emulated-push.types.js';

/** Every type Alibaba can push. */
export const PUSH_TYPES: readonly EmulatedPushType[] = ['SmsReport', 'SmsUp'];

/** Alibaba's answer timeout (one doc says 700 ms, PROTOCOL.md §5.6). */
const DEFAULT_TIMEOUT_MS = 700;
/** Retries after 1, 5 and 10 minutes, then the receipt is dropped (PROTOCOL.md §5.6). */
const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 300_000, 600_000];
const DEFAULT_MAX_BATCH_SIZE = 100;
const DEFAULT_BATCH_WINDOW_MS = 100;

/** How items are shaped, from the variant settings. */
export interface PushItemShape {
  readonly smsUpSignName: boolean;
  readonly smsUpSequenceId: 'number' | 'string';
  readonly extendedFields: boolean;
}

/** Validated settings with their defaults. */
export interface ResolvedPushSettings {
  /** The receiving URL per pushed type; a type without one stays on its MNS queue. */
  readonly urls: ReadonlyMap<EmulatedPushType, URL>;
  readonly maxBatchSize: number;
  readonly batchWindowMs: number;
  readonly timeoutMs: number;
  readonly retryDelaysMs: readonly number[];
  readonly duplicateRate: number;
  readonly shape: PushItemShape;
}

/** Settings that push nothing: every type stays on its MNS queue. */
export const PUSH_DISABLED: ResolvedPushSettings = {
  urls: new Map(),
  maxBatchSize: DEFAULT_MAX_BATCH_SIZE,
  batchWindowMs: DEFAULT_BATCH_WINDOW_MS,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
  duplicateRate: 0,
  shape: { smsUpSignName: false, smsUpSequenceId: 'number', extendedFields: false },
};

/**
 * Checks the settings and fills in the defaults; throws one `TypeError` naming every bad field and
 * its fix. A URL is never repeated in the message: it may carry the receiver's secret.
 */
export function resolvePushSettings(settings: EmulatedPushSettings): ResolvedPushSettings {
  const problems: string[] = [];
  if (typeof settings !== 'object' || settings === null) {
    throw new TypeError('Invalid push settings: expected an object such as { url, types }.');
  }
  const urls = new Map<EmulatedPushType, URL>();
  if (settings.url !== undefined) {
    const url = parsePushUrl(settings.url, 'push.url', problems);
    const types = settings.types ?? PUSH_TYPES;
    if (!Array.isArray(types) || types.length === 0 || types.some((type) => !PUSH_TYPES.includes(type))) {
      problems.push(`push.types must be a non-empty list of ${PUSH_TYPES.join(' / ')}`);
    } else if (url) {
      for (const type of types) urls.set(type, url);
    }
  } else if (settings.types !== undefined) {
    problems.push('push.types names the types sent to push.url, so it needs push.url');
  }
  if (settings.urls !== undefined) {
    if (typeof settings.urls !== 'object' || settings.urls === null) {
      problems.push('push.urls must be an object { SmsReport?, SmsUp? } of URLs');
    } else {
      for (const [type, value] of Object.entries(settings.urls)) {
        if (!PUSH_TYPES.includes(type as EmulatedPushType)) {
          problems.push(`push.urls.${type} is not a pushed type (known: ${PUSH_TYPES.join(', ')})`);
          continue;
        }
        if (value === undefined) continue;
        const url = parsePushUrl(value, `push.urls.${type}`, problems);
        if (url) urls.set(type as EmulatedPushType, url);
      }
    }
  }
  if (settings.url === undefined && settings.urls === undefined) {
    problems.push('push needs a receiving URL: push.url (for every type in push.types) or push.urls.SmsReport / push.urls.SmsUp');
  }

  const maxBatchSize = settings.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) problems.push('push.maxBatchSize must be an integer of 1 or more');
  const batchWindowMs = settings.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS;
  if (!isDelay(batchWindowMs)) problems.push('push.batchWindowMs must be a number of ms, 0 or more');
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!isDelay(timeoutMs) || timeoutMs === 0) problems.push('push.timeoutMs must be a number of ms above 0');
  const retryDelaysMs = settings.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  if (!Array.isArray(retryDelaysMs) || !retryDelaysMs.every(isDelay)) {
    problems.push('push.retryDelaysMs must be a list of delays in ms, each 0 or more (an empty list means no retry)');
  }
  const duplicateRate = settings.duplicateRate ?? 0;
  if (typeof duplicateRate !== 'number' || !(duplicateRate >= 0 && duplicateRate <= 1)) {
    problems.push('push.duplicateRate must be a fraction from 0 to 1');
  }
  const smsUpSignName = settings.smsUp?.signName ?? false;
  if (typeof smsUpSignName !== 'boolean') problems.push('push.smsUp.signName must be true or false');
  const smsUpSequenceId = settings.smsUp?.sequenceId ?? 'number';
  if (smsUpSequenceId !== 'number' && smsUpSequenceId !== 'string') {
    problems.push("push.smsUp.sequenceId must be 'number' or 'string'");
  }
  const extendedFields = settings.extendedFields ?? false;
  if (typeof extendedFields !== 'boolean') problems.push('push.extendedFields must be true or false');

  if (problems.length > 0) throw new TypeError(`Invalid push settings: ${problems.join('; ')}.`);
  return {
    urls,
    maxBatchSize,
    batchWindowMs,
    timeoutMs,
    retryDelaysMs: [...retryDelaysMs],
    duplicateRate,
    shape: { smsUpSignName, smsUpSequenceId, extendedFields },
  };
}

function parsePushUrl(value: unknown, field: string, problems: string[]): URL | undefined {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
  // NOTE: the value is not quoted: a receiving URL usually carries a secret.
  problems.push(`${field} must be an absolute http: or https: URL such as 'http://127.0.0.1:3000/alicom/receipts' (the value given is not shown)`);
  return undefined;
}

function isDelay(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
