import type { SendSimulation } from '../demo/simulation.interface.js';
import { invalidRequest, isPlainObject, type FieldProblem } from './field-problems.js';

/** The JSON body of `POST /sms`. */
export interface SendSmsBody {
  /** One recipient (the library validates the number itself: `+86`, `0086`, international...). */
  phoneNumber: string;
  /** Template variables, e.g. `{ "code": "123456" }`. */
  templateParam?: Record<string, string | number>;
  /** Your correlation id; generated when absent (the emulator scenario keys on it). */
  outId?: string;
  /** @default ALICOM_SIGN_NAME (or the emulator's demo signature) */
  signName?: string;
  /** @default ALICOM_TEMPLATE_CODE (or the emulator's demo template) */
  templateCode?: string;
  /** Emulator only: force an outcome or a reply. */
  simulate?: SendSimulation;
}

const KNOWN_FIELDS = ['phoneNumber', 'templateParam', 'outId', 'signName', 'templateCode', 'simulate'];
const OUTCOMES = ['delivered', 'failed', 'report-lost', 'random'];

/** Checks the shape of a `POST /sms` body; throws a 400 listing every bad field. */
export function parseSendSmsBody(raw: unknown): SendSmsBody {
  if (!isPlainObject(raw)) {
    throw invalidRequest([{ field: 'body', problem: 'must be a JSON object such as {"phoneNumber":"13800138000","templateParam":{"code":"123456"}}' }]);
  }
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!KNOWN_FIELDS.includes(key)) problems.push({ field: key, problem: `is not a known field (known: ${KNOWN_FIELDS.join(', ')})` });
  }
  if (typeof raw.phoneNumber !== 'string' || raw.phoneNumber.trim() === '') {
    problems.push({ field: 'phoneNumber', problem: 'is required: a mobile number such as "13800138000" or "+85291234567"' });
  }
  if (raw.templateParam !== undefined) {
    if (!isPlainObject(raw.templateParam)) {
      problems.push({ field: 'templateParam', problem: 'must be an object of template variables, e.g. {"code":"123456"}' });
    } else {
      for (const [name, value] of Object.entries(raw.templateParam)) {
        if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
          problems.push({ field: `templateParam.${name}`, problem: 'must be a string or a number' });
        }
      }
    }
  }
  for (const field of ['outId', 'signName', 'templateCode'] as const) {
    const value = raw[field];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      problems.push({ field, problem: 'must be a non-empty string when given' });
    }
  }
  if (raw.simulate !== undefined) checkSimulation(raw.simulate, problems);
  if (problems.length > 0) throw invalidRequest(problems);
  return raw as unknown as SendSmsBody;
}

function checkSimulation(simulate: unknown, problems: FieldProblem[]): void {
  if (!isPlainObject(simulate)) {
    problems.push({ field: 'simulate', problem: 'must be an object such as {"outcome":"failed","reply":"TD"}' });
    return;
  }
  if (simulate.outcome !== undefined && !OUTCOMES.includes(simulate.outcome as string)) {
    problems.push({ field: 'simulate.outcome', problem: `must be one of ${OUTCOMES.join(', ')}` });
  }
  if (simulate.reply !== undefined && simulate.reply !== false && (typeof simulate.reply !== 'string' || simulate.reply === '')) {
    problems.push({ field: 'simulate.reply', problem: 'must be the reply text, or false for no reply' });
  }
  for (const key of Object.keys(simulate)) {
    if (key !== 'outcome' && key !== 'reply') problems.push({ field: `simulate.${key}`, problem: 'is not a known field (known: outcome, reply)' });
  }
}
