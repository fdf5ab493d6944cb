import { describeValue } from '../utils/describe-value.js';
import { isObjectLike, readArrayItems, safeGet } from '../utils/options-check.js';

// Alibaba wants template variables as JSON *text* of a flat object whose values are all strings:
// a JSON number, boolean or nested object fails at send time with isv.INVALID_JSON_PARAM or
// renders wrongly. Checking here names the offending key before anything is sent.
//
// Every input is untrusted: getters and Proxy traps may throw, `toJSON` is never called (only the
// checked copy is serialised), and sizes are bounded before anything is parsed or copied, so a
// 10 MB object or text becomes an SmsInputError instead of a request Alibaba cannot accept.

/**
 * Bounds of template variables. Alibaba renders an SMS of at most 500 characters, signature and
 * template text included (a variable is 1-35 characters by default, more when the template was
 * approved for it): no legitimate set of variables comes near these.
 */
export const TEMPLATE_PARAM_LIMITS = {
  /** Variables in one set. */
  maxVariables: 100,
  /** Characters of a variable name. */
  maxNameLength: 64,
  /** Characters of one value: the longest SMS Alibaba sends. */
  maxValueLength: 500,
  /** Characters of one set's JSON text as sent (`TemplateParam`, or one entry of `TemplateParamJson`). */
  maxJsonLength: 4_096,
  /** Characters of the whole `TemplateParamJson` of a SendBatchSms (100 numbers × ~650 characters each). */
  maxBatchJsonLength: 65_536,
} as const;

/** JSON text given as templateParam longer than this cannot fit even with every character `\u`-escaped. */
const MAX_JSON_TEXT_INPUT = TEMPLATE_PARAM_LIMITS.maxJsonLength * 6;

/** One rejected template parameter field (the shape {@link SmsInputError} collects). */
export interface TemplateParamProblem {
  /** The offending field, e.g. `templateParam.code` or `templateParams[1]`. */
  field: string;
  /** What is wrong and how to fix it. */
  problem: string;
}

/** Outcome of converting template variables: the JSON text for the wire, or every problem found. */
export type TemplateParamConversion =
  | { ok: true; json: string }
  | { ok: false; problems: TemplateParamProblem[] };

const EXAMPLE_HINT = `pass an object like { code: '1234' } or JSON text like {"code":"1234"}`;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** With the `u` flag a surrogate pair is one code point: only a lone surrogate is in `Cs`. */
export const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Converts `SendSms` template variables (an object, or JSON text of an object) into the
 * `TemplateParam` JSON text: every value a string, finite numbers converted with `String()`.
 * Booleans, `null`, nested objects/arrays, `NaN`/`Infinity`, empty keys, values that cannot be read
 * and sets past {@link TEMPLATE_PARAM_LIMITS} are rejected, each problem naming its key
 * (`templateParam.code`). Never throws.
 */
export function templateParamToJson(input: unknown, field = 'templateParam'): TemplateParamConversion {
  const problems: TemplateParamProblem[] = [];
  const json = variablesJson(input, field, problems);
  return problems.length > 0 || json === undefined ? { ok: false, problems } : { ok: true, json };
}

/**
 * Converts `SendBatchSms` template variables (an array with one object per phone number) into
 * the `TemplateParamJson` JSON text, checking each entry like {@link templateParamToJson}
 * (problems are named `templateParams[1].code`). The length is not checked here: only the
 * caller knows how many numbers there are. Never throws.
 */
export function templateParamListToJson(input: unknown, field = 'templateParams', maxEntries = 100): TemplateParamConversion {
  const list = readArrayItems(input, maxEntries);
  if (list.kind !== 'ok') {
    const problem =
      list.kind === 'not-array'
        ? `must be an array with one object of template variables per phone number, got ${describeValue(input)}`
        : list.kind === 'too-long'
          ? `has ${list.length} entries; at most ${maxEntries} (one per phone number) are allowed`
          : list.problem;
    return { ok: false, problems: [{ field, problem }] };
  }
  const problems: TemplateParamProblem[] = [];
  const parts = list.items.map((entry, index) => variablesJson(entry, `${field}[${index}]`, problems) ?? '{}');
  if (problems.length > 0) return { ok: false, problems };
  const json = `[${parts.join(',')}]`;
  if (json.length > TEMPLATE_PARAM_LIMITS.maxBatchJsonLength) {
    return {
      ok: false,
      problems: [
        {
          field,
          problem: `is ${json.length} characters of JSON in all; at most ${TEMPLATE_PARAM_LIMITS.maxBatchJsonLength} are sent in one SendBatchSms (split the numbers over several calls)`,
        },
      ],
    };
  }
  return { ok: true, json };
}

/** Checks one set of variables; appends problems and returns its JSON text (undefined when invalid). */
function variablesJson(input: unknown, field: string, problems: TemplateParamProblem[]): string | undefined {
  const before = problems.length;
  const object = typeof input === 'string' ? parseJsonObject(input, field, problems) : input;
  if (object === undefined) return undefined;
  if (!isPlainObject(object)) {
    problems.push({ field, problem: `must be an object of template variables, got ${describeValue(object)}; ${EXAMPLE_HINT}` });
    return undefined;
  }
  let keys: string[];
  try {
    keys = Object.keys(object);
  } catch (error) {
    problems.push({ field, problem: `could not be read: listing its keys threw (${errorText(error)})` });
    return undefined;
  }
  if (keys.length > TEMPLATE_PARAM_LIMITS.maxVariables) {
    problems.push({
      field,
      problem: `has ${keys.length} variables; at most ${TEMPLATE_PARAM_LIMITS.maxVariables} are allowed (pass only the variables the template uses)`,
    });
    return undefined;
  }
  const entries: [string, string][] = [];
  for (const key of keys) {
    const keyField = IDENTIFIER.test(key) && key.length <= TEMPLATE_PARAM_LIMITS.maxNameLength ? `${field}.${key}` : `${field}[${JSON.stringify(shorten(key))}]`;
    if (key.trim() === '') {
      problems.push({ field: keyField, problem: 'has an empty variable name; use the name from the template, e.g. code for ${code}' });
      continue;
    }
    if (key.length > TEMPLATE_PARAM_LIMITS.maxNameLength) {
      problems.push({ field: keyField, problem: `is a variable name of ${key.length} characters; at most ${TEMPLATE_PARAM_LIMITS.maxNameLength} are allowed` });
      continue;
    }
    const read = safeGet(object, key);
    if (!read.ok) {
      problems.push({ field: keyField, problem: read.problem });
      continue;
    }
    const text = variableText(read.value);
    if (text === undefined) {
      problems.push({ field: keyField, problem: `must be a string or a finite number, got ${describeValue(read.value)}; ${fixHint(read.value)}` });
      continue;
    }
    const textProblem = valueProblem(text);
    if (textProblem) {
      problems.push({ field: keyField, problem: textProblem });
      continue;
    }
    entries.push([key, text]);
  }
  if (problems.length > before) return undefined;
  // fromEntries defines own properties, so a "__proto__" variable stays a plain key.
  const json = JSON.stringify(Object.fromEntries(entries));
  if (json.length > TEMPLATE_PARAM_LIMITS.maxJsonLength) {
    problems.push({
      field,
      problem: `is ${json.length} characters of JSON; at most ${TEMPLATE_PARAM_LIMITS.maxJsonLength} are sent (an SMS renders at most 500 characters)`,
    });
    return undefined;
  }
  return json;
}

function valueProblem(text: string): string | undefined {
  if (text.length > TEMPLATE_PARAM_LIMITS.maxValueLength) {
    return `is ${text.length} characters long; at most ${TEMPLATE_PARAM_LIMITS.maxValueLength} are allowed (a whole SMS is at most 500 characters; Alibaba's default per variable is 35)`;
  }
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (text cut in the middle of a character); fix the text';
  return undefined;
}

function parseJsonObject(text: string, field: string, problems: TemplateParamProblem[]): unknown {
  if (text.trim() === '') {
    problems.push({ field, problem: `is an empty string; ${EXAMPLE_HINT}, or leave it out when the template has no variables` });
    return undefined;
  }
  if (text.length > MAX_JSON_TEXT_INPUT) {
    problems.push({ field, problem: `is ${text.length} characters of JSON text; at most ${TEMPLATE_PARAM_LIMITS.maxJsonLength} are sent (an SMS renders at most 500 characters)` });
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push({ field, problem: `is not valid JSON (${(error as Error).message}); ${EXAMPLE_HINT}` });
    return undefined;
  }
  if (!isPlainObject(parsed)) {
    problems.push({ field, problem: `must be JSON text of an object, got JSON ${describeValue(parsed)}; ${EXAMPLE_HINT}` });
    return undefined;
  }
  return parsed;
}

function variableText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function fixHint(value: unknown): string {
  if (typeof value === 'number') return 'pass a finite number or its text';
  if (typeof value === 'bigint') return 'pass its text, e.g. String(value)';
  if (typeof value === 'boolean') return `Alibaba wants text: pass the text the SMS should show, e.g. '${value ? 'yes' : 'no'}'`;
  if (value === null || value === undefined) return `pass a string ('' for an empty value) or leave the key out`;
  return 'template variables are flat text: pass a string (e.g. join the items yourself)';
}

function shorten(key: string): string {
  return key.length > 40 ? `${key.slice(0, 40)}…` : key;
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unreadable error';
  }
}

/** A plain object (not an array, class instance or Proxy that cannot be inspected). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObjectLike(value)) return false;
  try {
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
  } catch {
    return false;
  }
}
