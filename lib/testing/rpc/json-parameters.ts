import { businessErrors } from './rpc-error-catalog.js';

// Parsers for parameters that carry JSON text (TemplateParam, PhoneNumberJson, ...). Alibaba takes
// template variables as strings only: a JSON number is refused with isv.INVALID_JSON_PARAM.

/** Parses a JSON object whose values are all strings, or throws `isv.INVALID_JSON_PARAM` naming `parameterName`. */
export function parseStringRecord(text: string, parameterName: string): Record<string, string> {
  const value = parseJson(text, parameterName);
  if (!isStringRecord(value)) throw businessErrors.invalidJsonParam(parameterName);
  return value;
}

/** Parses a JSON array of strings, or throws `isv.INVALID_JSON_PARAM` naming `parameterName`. */
export function parseStringArray(text: string, parameterName: string): string[] {
  const value = parseJson(text, parameterName);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw businessErrors.invalidJsonParam(parameterName);
  }
  return value;
}

/** Parses a JSON array of string-valued objects, or throws `isv.INVALID_JSON_PARAM` naming `parameterName`. */
export function parseStringRecordArray(text: string, parameterName: string): Record<string, string>[] {
  const value = parseJson(text, parameterName);
  if (!Array.isArray(value) || !value.every(isStringRecord)) throw businessErrors.invalidJsonParam(parameterName);
  return value;
}

function parseJson(text: string, parameterName: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw businessErrors.invalidJsonParam(parameterName);
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) {
    if (Object.hasOwn(value, key) && typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  }
  return true;
}
