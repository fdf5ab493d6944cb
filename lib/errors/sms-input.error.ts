import { AlicomApiError, type AlicomAction } from './alicom-api.error.js';

/** Problems spelled out in the message; `problems` holds them all. */
const MAX_LISTED = 20;

/** One rejected input field. @publicApi */
export interface InputProblem {
  /** The field at fault, e.g. `phoneNumbers[1]` or `templateParam.code`. */
  field: string;
  /** What is wrong with it and how to fix it. */
  problem: string;
}

/**
 * Input rejected before any request was made (bad phone number, template parameter, page size,
 * unknown option, ...). Nothing was sent, so a corrected resend is always safe.
 *
 * @publicApi
 */
export class SmsInputError extends AlicomApiError {
  /** Every offending field with its problem. */
  readonly problems: ReadonlyArray<InputProblem>;

  constructor(action: AlicomAction, problems: ReadonlyArray<InputProblem>) {
    const listed = problems.slice(0, MAX_LISTED).map((p) => `${p.field}: ${p.problem}`);
    if (problems.length > MAX_LISTED) listed.push(`and ${problems.length - MAX_LISTED} more problem(s) (see problems)`);
    super(`${action} rejected before sending: ${listed.join('; ')}. Nothing was sent.`, {
      code: 'InvalidInput',
      action,
      resendSafe: true,
      retryable: false,
    });
    this.problems = problems;
  }
}
