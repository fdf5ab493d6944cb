import { AlicomSmsConfigError } from '../errors/alicom-sms-config.error.js';
import type { AlicomAction } from '../errors/alicom-api.error.js';
import { SmsInputError, type InputProblem } from '../errors/sms-input.error.js';
import { describeValue } from './describe-value.js';

// Options objects from JavaScript callers and config files: a misspelt name or a wrong type is an
// error naming the field and the known ones, never silently ignored. Every read of the caller's
// object is guarded (getters and Proxies may throw) and happens once: the checked copy is used.

/** What one option may be. */
export type OptionRule = (
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'string' }
  | { kind: 'signal' }
  | { kind: 'function' }
) & { required?: boolean };

/** The result of reading an untrusted object: its own keys and values, or why it could not be read. */
export type SafeRead = { ok: true; entries: Array<[string, unknown]> } | { ok: false; problem: string; key?: string };

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unreadable error';
  }
}

/** Reads one property, turning a throwing getter or Proxy trap into a problem text. */
export function safeGet(object: object, key: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: (object as Record<string, unknown>)[key] };
  } catch (error) {
    return { ok: false, problem: `could not be read: its getter threw (${errorText(error)})` };
  }
}

/** Own enumerable string keys and their values, read once; a Proxy or getter that throws becomes a problem. */
export function safeEntries(object: object): SafeRead {
  let keys: string[];
  try {
    keys = Object.keys(object);
  } catch (error) {
    return { ok: false, problem: `could not be read: listing its keys threw (${errorText(error)})` };
  }
  const entries: Array<[string, unknown]> = [];
  for (const key of keys) {
    const read = safeGet(object, key);
    if (!read.ok) return { ok: false, problem: read.problem, key };
    entries.push([key, read.value]);
  }
  return { ok: true, entries };
}

/** An untrusted array read once, by index, each read guarded. */
export type ArrayRead =
  | { kind: 'ok'; items: unknown[] }
  | { kind: 'not-array' }
  | { kind: 'too-long'; length: number }
  | { kind: 'unreadable'; problem: string };

/** Reads an array's entries (at most `maxEntries`: a longer one is not read at all). */
export function readArrayItems(value: unknown, maxEntries: number): ArrayRead {
  try {
    if (!Array.isArray(value)) return { kind: 'not-array' };
  } catch {
    return { kind: 'unreadable', problem: 'could not be read (a revoked Proxy)' };
  }
  const length = safeGet(value, 'length');
  if (!length.ok) return { kind: 'unreadable', problem: length.problem };
  const count = length.value as number;
  if (count > maxEntries) return { kind: 'too-long', length: count };
  const items: unknown[] = [];
  for (let index = 0; index < count; index++) {
    const item = safeGet(value, String(index));
    if (!item.ok) return { kind: 'unreadable', problem: `entry ${index} ${item.problem}` };
    items.push(item.value);
  }
  return { kind: 'ok', items };
}

/** Whether `value` is usable as a plain object (not null, not an array); false for anything that throws. */
export function isObjectLike(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return !Array.isArray(value);
  } catch {
    // A revoked Proxy.
    return false;
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known name an unknown one was probably meant to be, as ` did you mean "x"?`, or ''. */
export function didYouMean(unknown: string, known: readonly string[]): string {
  const lower = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const distance = c === lower ? 0 : c.startsWith(lower) || lower.startsWith(c) ? 1 : editDistance(lower, c);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(unknown.length / 3)) ? `; did you mean "${best}"?` : '';
}

/** The problem of an unknown key, naming the known ones. */
export function unknownKeyProblem(key: string, owner: string, known: readonly string[]): string {
  return `is not a known ${owner} (known: ${known.join(', ')})${didYouMean(key, known)}`;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  // Duck-typed: test runners (Jest) may hand in an AbortSignal of another realm.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function' &&
    typeof (value as AbortSignal).removeEventListener === 'function'
  );
}

function ruleSummary(rule: OptionRule): string {
  switch (rule.kind) {
    case 'integer':
      return `an integer from ${rule.min} to ${rule.max}`;
    case 'string':
      return 'a non-empty string';
    case 'signal':
      return 'an AbortSignal';
    case 'function':
      return 'a function';
  }
}

function ruleProblem(rule: OptionRule, value: unknown): string | undefined {
  switch (rule.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max
        ? undefined
        : `must be ${ruleSummary(rule)}, got ${describeValue(value)}`;
    case 'string':
      return typeof value === 'string' && value !== '' ? undefined : `must be a non-empty string, got ${describeValue(value)}`;
    case 'signal':
      return isAbortSignal(value) ? undefined : `must be an AbortSignal (e.g. AbortSignal.timeout(5000) or controller.signal), got ${describeValue(value)}`;
    case 'function':
      return typeof value === 'function' ? undefined : `must be a function, got ${describeValue(value)}`;
  }
}

/**
 * Checks an options object against `rules`: absent (`undefined`/`null`) means no options;
 * unknown keys, wrong types and unreadable values are all reported at once.
 *
 * @param what how the object is named in messages, e.g. `waitForReport() options`
 * @param failure `'config'` throws {@link AlicomSmsConfigError}; an action throws {@link SmsInputError}
 * @param prefix prepended to each field name, e.g. `options.`
 * @returns a copy holding the given (defined) values, read once
 */
export function checkOptionsObject<T extends object>(
  what: string,
  value: unknown,
  rules: Record<string, OptionRule>,
  failure: 'config' | AlicomAction,
  prefix = '',
): Partial<T> {
  const problems: InputProblem[] = [];
  const checked: Record<string, unknown> = {};
  const known = Object.keys(rules);
  if (value === undefined || value === null) {
    for (const key of known) if (rules[key].required) problems.push({ field: `${prefix}${key}`, problem: 'is required' });
  } else {
    if (!isObjectLike(value)) {
      problems.push({ field: prefix.replace(/\.$/, '') || what, problem: `must be an object with any of ${known.join(', ')}, got ${describeValue(value)}` });
    } else {
      const read = safeEntries(value);
      if (!read.ok) problems.push({ field: read.key === undefined ? prefix.replace(/\.$/, '') || what : `${prefix}${read.key}`, problem: read.problem });
      else {
        for (const [key, field] of read.entries) {
          if (!Object.hasOwn(rules, key)) {
            problems.push({ field: `${prefix}${key}`, problem: unknownKeyProblem(key, `option of ${what}`, known) });
            continue;
          }
          if (field === undefined) continue;
          const problem = ruleProblem(rules[key], field);
          if (problem) problems.push({ field: `${prefix}${key}`, problem });
          else checked[key] = field;
        }
        for (const key of known) {
          if (rules[key].required && !read.entries.some(([k, v]) => k === key && v !== undefined)) {
            problems.push({ field: `${prefix}${key}`, problem: `is required: ${ruleSummary(rules[key])}` });
          }
        }
      }
    }
  }
  if (problems.length > 0) {
    throw failure === 'config' ? new AlicomSmsConfigError(problems, what) : new SmsInputError(failure, problems);
  }
  return checked as Partial<T>;
}
