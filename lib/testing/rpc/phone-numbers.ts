import { businessErrors } from './rpc-error-catalog.js';

// Phone number rules of Dysmsapi (PROTOCOL.md §3.1): mainland numbers are 11 digits `1[3-9]…`
// with an optional `+86`, `0086`, `86` or `+` prefix; international numbers carry a country code.

const MAINLAND = /^(?:\+86|0086|86|\+)?(1[3-9]\d{9})$/;
const INTERNATIONAL_PREFIX = /^(?:\+|00)/;
const INTERNATIONAL_DIGITS = /^[1-9]\d{7,14}$/;
/** Country code 1 (North America): area code 2-9, 11 digits in all. */
const NORTH_AMERICAN = /^1[2-9]\d{9}$/;

/**
 * The comparable form of a phone number as Alibaba accepts it: the bare 11 digits for a mainland
 * number, country code + number (no `+`/`00`) otherwise; `undefined` when Alibaba would answer
 * `isv.MOBILE_NUMBER_ILLEGAL`.
 */
export function normalizePhoneNumber(text: string): string | undefined {
  const mainland = MAINLAND.exec(text);
  if (mainland) return mainland[1];
  const digits = text.replace(INTERNATIONAL_PREFIX, '');
  if (!INTERNATIONAL_DIGITS.test(digits)) return undefined;
  // China's country code with a malformed national part is a broken mainland number.
  if (digits.startsWith('86')) return undefined;
  // A leading 1 is either a mainland number (matched above) or North American; anything else
  // (e.g. a mainland number missing a digit) is malformed.
  if (digits.startsWith('1') && !NORTH_AMERICAN.test(digits)) return undefined;
  return digits;
}

/** The normalized form of a number, or throws `isv.MOBILE_NUMBER_ILLEGAL`. */
export function requireValidPhoneNumber(text: string): string {
  const normalized = normalizePhoneNumber(text);
  if (normalized === undefined) throw businessErrors.mobileNumberIllegal(text);
  return normalized;
}
