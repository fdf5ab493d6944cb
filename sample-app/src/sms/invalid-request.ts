import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** One invalid field of a request, e.g. `{ field: 'simulate.outcome', problem: 'must be one of ...' }`. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/**
 * A 400 naming every invalid field at once:
 * `{ statusCode: 400, error: 'Bad Request', message: 'phoneNumber: is required...', problems: [...] }`
 * (the same shape as the library's `SmsInputError` answers, see `AlicomSmsExceptionFilter`).
 */
export function invalidRequest(problems: readonly FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
    problems,
  });
}

/**
 * `ValidationPipe`'s `exceptionFactory`: one problem per invalid field, nested fields dotted
 * (`simulate.outcome`). Needs `validationError.target` to tell a JSON array from an object.
 */
export function validationFailed(errors: ValidationError[]): BadRequestException {
  if (Array.isArray(errors[0]?.target)) {
    return invalidRequest([{ field: 'body', problem: 'must be a JSON object such as {"phoneNumber":"13800138000","templateParam":{"code":"123456"}}' }]);
  }
  return invalidRequest(errors.flatMap((error) => problemsOf(error, '')));
}

function problemsOf(error: ValidationError, parent: string): FieldProblem[] {
  const field = parent + error.property;
  const constraints = error.constraints ?? {};
  // Several rules of one field usually share a message (`@IsString` and `@Matches` of a required text).
  const messages = 'whitelistValidation' in constraints ? ['is not a known field'] : [...new Set(Object.values(constraints))];
  const own = messages.length > 0 ? [{ field, problem: messages.join('; ') }] : [];
  return [...own, ...(error.children ?? []).flatMap((child) => problemsOf(child, `${field}.`))];
}
