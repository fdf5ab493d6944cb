import { PUSH_SECRET_PATTERN, PushSecret } from '../receipts/push/push-secret.js';
import { RedactedSecret, revealSecret } from '../utils/redacted-secret.js';
import { SourceAllowList, allowEntryProblem } from '../receipts/push/source-address.js';
import { describeValue as describe } from '../utils/describe-value.js';
import type { AlicomMessageType } from './alicom-sms-module-options.interface.js';
import type { ResolvedPushOptions, ResolvedPushRoute } from './resolved-alicom-sms-options.js';

// Validation and defaults of the `push` options; part of resolveAlicomSmsOptions().

type Problem = { field: string; problem: string };

const MESSAGE_TYPES: readonly AlicomMessageType[] = ['SmsReport', 'SmsUp'];

const PUSH_DEFAULTS = {
  secretIn: 'path' as const,
  trustProxy: 0,
  maxBodyBytes: 1_048_576,
  answerTimeoutMs: 500,
  maxConcurrentRequests: 16,
  registerRoutes: true,
  shutdownTimeoutMs: 10_000,
};

/** Integer options of `push` with their valid ranges. */
const PUSH_RANGES: Record<string, [number, number]> = {
  trustProxy: [0, 10],
  maxBodyBytes: [1024, 67_108_864],
  answerTimeoutMs: [10, 60_000],
  maxConcurrentRequests: [1, 1000],
  shutdownTimeoutMs: [0, 600_000],
};

const KNOWN_KEYS = ['path', 'paths', 'types', 'secret', 'secretIn', 'allowFrom', ...Object.keys(PUSH_DEFAULTS)];

// Plain segments only: no route syntax (':', '*', '{'), no query, no trailing '/'.
const PUSH_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

function pathProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && PUSH_PATH.test(value)) return undefined;
  return `must be a path such as '/alicom/receipts' (segments of letters, digits, '-', '_', '.', '~'; no trailing '/', query or route parameters), got ${describe(value)}`;
}

function isMessageTypeList(value: unknown): value is AlicomMessageType[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((t) => MESSAGE_TYPES.includes(t)) &&
    new Set(value).size === value.length
  );
}

function resolveRoutes(problems: Problem[], push: Record<string, unknown>, registerRoutes: boolean): { routes: ResolvedPushRoute[]; types: AlicomMessageType[] } {
  const { path, paths, types } = push;
  const routes: ResolvedPushRoute[] = [];
  let resolvedTypes: AlicomMessageType[] = [...MESSAGE_TYPES];
  if (types !== undefined) {
    if (paths !== undefined) problems.push({ field: 'push.types', problem: 'comes from the keys of push.paths; drop one of them' });
    else if (!isMessageTypeList(types)) problems.push({ field: 'push.types', problem: `must be a non-empty list of distinct 'SmsReport' / 'SmsUp', got ${JSON.stringify(types)}` });
    else resolvedTypes = [...types];
  }
  if (!registerRoutes) {
    if (path !== undefined || paths !== undefined) {
      problems.push({ field: path !== undefined ? 'push.path' : 'push.paths', problem: 'has no effect with registerRoutes: false (your own controller decides the path); drop it' });
    }
    return { routes, types: resolvedTypes };
  }
  if (path !== undefined && paths !== undefined) {
    problems.push({ field: 'push.paths', problem: 'cannot be combined with push.path: give one path for every type, or one per type' });
  } else if (path !== undefined) {
    const problem = pathProblem(path);
    if (problem) problems.push({ field: 'push.path', problem });
    else routes.push({ path: path as string });
  } else if (paths !== undefined) {
    if (typeof paths !== 'object' || paths === null || Array.isArray(paths) || Object.keys(paths).length === 0) {
      problems.push({ field: 'push.paths', problem: `must be an object such as { SmsReport: '/alicom/sms-report', SmsUp: '/alicom/sms-up' }, got ${describe(paths)}` });
    } else {
      for (const [type, typePath] of Object.entries(paths)) {
        if (!MESSAGE_TYPES.includes(type as AlicomMessageType)) {
          problems.push({ field: `push.paths.${type}`, problem: "is not a message type (known: SmsReport, SmsUp)" });
          continue;
        }
        const problem = pathProblem(typePath);
        if (problem) problems.push({ field: `push.paths.${type}`, problem });
        else routes.push({ path: typePath as string, type: type as AlicomMessageType });
      }
      if (routes.length === 2 && routes[0].path === routes[1].path) {
        problems.push({ field: 'push.paths', problem: `gives both types the same path; use push.path: '${routes[0].path}' instead` });
      }
      resolvedTypes = routes.map((route) => route.type as AlicomMessageType);
    }
  } else {
    problems.push({ field: 'push.path', problem: "is required: the path Alibaba pushes to, e.g. '/alicom/receipts' (or push.paths per type, or registerRoutes: false to mount the receiver yourself)" });
  }
  return { routes, types: resolvedTypes };
}

function resolveSecret(problems: Problem[], secret: unknown, registerRoutes: boolean): PushSecret | undefined {
  if (secret === undefined) {
    if (registerRoutes) {
      problems.push({ field: 'push.secret', problem: "is required: a random string that becomes part of the receiving URL, e.g. randomBytes(24).toString('base64url')" });
    }
    return undefined;
  }
  // The value is never repeated: it is a credential.
  if (typeof secret !== 'string' || !PUSH_SECRET_PATTERN.test(secret)) {
    problems.push({
      field: 'push.secret',
      problem: "must be 16-100 characters among A-Z a-z 0-9 - _ . ~ (so it reads the same in a path and a query), e.g. randomBytes(24).toString('base64url')",
    });
    return undefined;
  }
  return new PushSecret(secret);
}

function resolveAllowList(problems: Problem[], allowFrom: unknown): SourceAllowList | undefined {
  if (allowFrom === undefined) return undefined;
  if (!Array.isArray(allowFrom) || allowFrom.length === 0) {
    problems.push({ field: 'push.allowFrom', problem: `must be a non-empty list of IP addresses or CIDR blocks (leave it out to allow any address), got ${describe(allowFrom)}` });
    return undefined;
  }
  const before = problems.length;
  allowFrom.forEach((entry, index) => {
    const problem = allowEntryProblem(entry);
    if (problem) problems.push({ field: `push.allowFrom[${index}]`, problem });
  });
  return problems.length === before ? new SourceAllowList(allowFrom as string[]) : undefined;
}

function checkInteger(problems: Problem[], field: string, value: unknown, [min, max]: [number, number]): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({ field, problem: `must be an integer from ${min} to ${max}, got ${describe(value)}` });
  }
}

/** Resolves `options.push`; adds what is wrong to `problems`. */
export function resolvePushOptions(problems: Problem[], value: unknown): ResolvedPushOptions | false {
  if (value === undefined || value === false) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ field: 'push', problem: `must be an object ({ path: '/alicom/receipts', secret }) or false, got ${describe(value)}` });
    return false;
  }
  const push = value as Record<string, unknown>;
  for (const key of Object.keys(push)) {
    if (!KNOWN_KEYS.includes(key)) problems.push({ field: `push.${key}`, problem: `is not a known option (known: ${KNOWN_KEYS.join(', ')})` });
  }
  const registerRoutes = push.registerRoutes ?? PUSH_DEFAULTS.registerRoutes;
  if (typeof registerRoutes !== 'boolean') problems.push({ field: 'push.registerRoutes', problem: `must be true or false, got ${describe(registerRoutes)}` });
  const registering = registerRoutes !== false;
  const { routes, types } = resolveRoutes(problems, push, registering);
  // forRoot keeps the secret as a RedactedSecret under ALICOM_SMS_MODULE_OPTIONS; an override may pass a string.
  const secret = resolveSecret(problems, push.secret instanceof RedactedSecret ? revealSecret(push.secret) : push.secret, registering);
  const secretIn = push.secretIn ?? PUSH_DEFAULTS.secretIn;
  if (secretIn !== 'path' && secretIn !== 'query') problems.push({ field: 'push.secretIn', problem: `must be 'path' or 'query', got ${describe(secretIn)}` });
  const allowFrom = resolveAllowList(problems, push.allowFrom);
  if (typeof push.trustProxy === 'boolean') {
    problems.push({ field: 'push.trustProxy', problem: 'must be the number of reverse proxies in front of the app (e.g. 1), not a boolean: trusting every X-Forwarded-For entry would let any client choose its address' });
  } else {
    checkInteger(problems, 'push.trustProxy', push.trustProxy, PUSH_RANGES.trustProxy);
  }
  for (const [key, range] of Object.entries(PUSH_RANGES)) {
    if (key !== 'trustProxy') checkInteger(problems, `push.${key}`, push[key], range);
  }
  const number = (key: keyof typeof PUSH_DEFAULTS): number => (push[key] as number | undefined) ?? (PUSH_DEFAULTS[key] as number);
  return {
    routes,
    types,
    secret,
    secretIn: secretIn as 'path' | 'query',
    allowFrom,
    trustProxy: number('trustProxy'),
    maxBodyBytes: number('maxBodyBytes'),
    answerTimeoutMs: number('answerTimeoutMs'),
    maxConcurrentRequests: number('maxConcurrentRequests'),
    registerRoutes: registering,
    shutdownTimeoutMs: number('shutdownTimeoutMs'),
  };
}
