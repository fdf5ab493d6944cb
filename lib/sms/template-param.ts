import { describeValue } from '../utils/describe-value.js';

// Alibaba wants template variables as JSON *text* of a flat object whose values are all strings:
// a JSON number, boolean or nested object fails at send time with isv.INVALID_JSON_PARAM or
// renders wrongly. Checking here names the offending key before anything is sent.

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

/**
 * Converts `SendSms` template variables (an object, or JSON text of an object) into the
 * `TemplateParam` JSON text: every value a string, finite numbers converted with `String()`.
 * Booleans, `null`, nested objects/arrays, `NaN`/`Infinity` and empty keys are rejected, each
 * problem naming its key (`templateParam.code`).
 */
export function templateParamToJson(input: unknown, field = 'templateParam'): TemplateParamConversion {
  const problems: TemplateParamProblem[] = [];
  const values = normalizeTemplateVariables(input, field, problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, json: JSON.stringify(values) };
}

/**
 * Converts `SendBatchSms` template variables (an array with one object per phone number) into
 * the `TemplateParamJson` JSON text, checking each entry like {@link templateParamToJson}
 * (problems are named `templateParams[1].code`). The length is not checked here: only the
 * caller knows how many numbers there are.
 */
export function templateParamListToJson(input: unknown, field = 'templateParams'): TemplateParamConversion {
  if (!Array.isArray(input)) {
    return {
      ok: false,
      problems: [{ field, problem: `must be an array with one object of template variables per phone number, got ${describeValue(input)}` }],
    };
  }
  const problems: TemplateParamProblem[] = [];
  const list = input.map((entry, index) => normalizeTemplateVariables(entry, `${field}[${index}]`, problems));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, json: JSON.stringify(list) };
}

/** Checks one set of variables; appends problems and returns the all-string object. */
function normalizeTemplateVariables(
  input: unknown,
  field: string,
  problems: TemplateParamProblem[],
): Record<string, string> {
  const object = typeof input === 'string' ? parseJsonObject(input, field, problems) : input;
  if (object === undefined) return {};
  if (!isPlainObject(object)) {
    problems.push({ field, problem: `must be an object of template variables, got ${describeValue(object)}; ${EXAMPLE_HINT}` });
    return {};
  }
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(object)) {
    const keyField = IDENTIFIER.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
    if (key.trim() === '') {
      problems.push({
        field: keyField,
        problem: 'has an empty variable name; use the name from the template, e.g. code for ${code}',
      });
      continue;
    }
    const text = variableText(value);
    if (text === undefined) {
      problems.push({
        field: keyField,
        problem: `must be a string or a finite number, got ${describeValue(value)}; ${fixHint(value)}`,
      });
      continue;
    }
    entries.push([key, text]);
  }
  // fromEntries defines own properties, so a "__proto__" variable stays a plain key.
  return Object.fromEntries(entries);
}

function parseJsonObject(text: string, field: string, problems: TemplateParamProblem[]): unknown {
  if (text.trim() === '') {
    problems.push({ field, problem: `is an empty string; ${EXAMPLE_HINT}, or leave it out when the template has no variables` });
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

