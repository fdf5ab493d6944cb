// Alibaba accepts several spellings of the same number on the wire but reports receipts and
// QuerySendDetails records in one form: 11 bare digits for mainland mobiles, country code +
// national number (digits only) otherwise. Normalizing to that form lets callers match receipts
// to sends and lets us detect duplicates written differently.

/** A phone number accepted by {@link normalizePhoneNumber}, in the form Alibaba reports it. */
export interface AcceptedPhoneNumber {
  ok: true;
  /** Mainland: the 11 bare digits (`13800138000`); international: country code + number, digits only (`85291234567`). */
  number: string;
  /** `mainland` for Chinese mainland mobiles (+86), `international` for every other country or region. */
  region: 'mainland' | 'international';
}

/** A phone number rejected by {@link normalizePhoneNumber}. */
export interface RejectedPhoneNumber {
  ok: false;
  /** What is wrong, quoting the value and listing the accepted forms. */
  problem: string;
}

/** Outcome of {@link normalizePhoneNumber}. */
export type PhoneNumberCheck = AcceptedPhoneNumber | RejectedPhoneNumber;

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const MAINLAND_COUNTRY_CODE = '86';
const NANP_COUNTRY_CODE = '1';
const NANP_TOTAL_DIGITS = 11;
const E164_MIN_DIGITS = 8;
const E164_MAX_DIGITS = 15;

/** Shown in every problem so the caller sees how to write the number instead. */
export const ACCEPTED_PHONE_NUMBER_FORMS =
  'expected a mainland mobile (13800138000, +86 138 0013 8000, 008613800138000 or 8613800138000) ' +
  'or an international number with its country code (+85291234567, 0085291234567 or 85291234567)';

/**
 * Checks one phone number and converts it to the form Alibaba reports in receipts.
 *
 * Accepted: mainland mobiles (`1[3-9]` + 9 digits) bare or prefixed with `+86`, `0086` or `86`;
 * international numbers as country code + national number, optionally prefixed with `+` or `00`,
 * 8-15 digits in all (E.164). Spaces and hyphens inside are ignored. Never throws.
 *
 * A `+1`/`001` number whose digits read like a mainland mobile (e.g. `+13800138000`) is rejected:
 * without the `+` it is byte-for-byte a mainland number, so Alibaba would send it to China.
 */
export function normalizePhoneNumber(raw: string): PhoneNumberCheck {
  if (typeof raw !== 'string') {
    return reject(`must be text, got ${typeof raw} ${String(raw)}; write it as a string, e.g. "13800138000"`);
  }
  const shown = JSON.stringify(raw);
  const text = raw.trim();
  if (text === '') return reject(`${shown} is empty; ${ACCEPTED_PHONE_NUMBER_FORMS}`);
  if (/[,，;；]/.test(text)) {
    return reject(
      `${shown} holds more than one number; give exactly one number per entry (pass several numbers as an array)`,
    );
  }
  const compact = text.replace(/[\s-]/g, '');
  if (!/^\+?\d+$/.test(compact)) {
    return reject(
      `${shown} contains characters other than digits, spaces, hyphens and a leading "+"; ${ACCEPTED_PHONE_NUMBER_FORMS}`,
    );
  }

  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (MAINLAND_MOBILE.test(compact)) return { ok: true, number: compact, region: 'mainland' };
  else digits = compact;

  if (digits.startsWith('0')) {
    return reject(
      `${shown} does not start with a country code (country codes never start with 0; ` +
        `drop a leading trunk 0); ${ACCEPTED_PHONE_NUMBER_FORMS}`,
    );
  }
  if (digits.startsWith(MAINLAND_COUNTRY_CODE)) {
    const national = digits.slice(MAINLAND_COUNTRY_CODE.length);
    if (MAINLAND_MOBILE.test(national)) return { ok: true, number: national, region: 'mainland' };
    return reject(
      `${shown} has country code 86 but ${JSON.stringify(national)} is not a mainland mobile ` +
        `(11 digits starting with 13-19; landlines cannot receive SMS); ${ACCEPTED_PHONE_NUMBER_FORMS}`,
    );
  }
  if (digits.startsWith(NANP_COUNTRY_CODE)) {
    if (digits.length !== NANP_TOTAL_DIGITS) {
      return reject(
        `${shown} has ${digits.length} digits: a mainland mobile has 11 (starting with 13-19) and a ` +
          `country code 1 number has 1 + 10; ${ACCEPTED_PHONE_NUMBER_FORMS}`,
      );
    }
    if (MAINLAND_MOBILE.test(digits)) {
      // Only reachable with an explicit +/00: bare 1[3-9]xxxxxxxxx returned as mainland above.
      return reject(
        `${shown} reads as country code 1 but is the same 11 digits as the mainland mobile ${digits}, ` +
          `and Alibaba would deliver it in mainland China; for the mainland number write ${digits} or ` +
          `+86 ${digits}`,
      );
    }
  }
  if (digits.length < E164_MIN_DIGITS || digits.length > E164_MAX_DIGITS) {
    return reject(
      `${shown} has ${digits.length} digits; an international number has ${E164_MIN_DIGITS} to ` +
        `${E164_MAX_DIGITS} digits including the country code; ${ACCEPTED_PHONE_NUMBER_FORMS}`,
    );
  }
  return { ok: true, number: digits, region: 'international' };
}

function reject(problem: string): RejectedPhoneNumber {
  return { ok: false, problem };
}
