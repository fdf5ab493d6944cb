import { BadRequestException } from '@nestjs/common';

/** One invalid field of a request, e.g. `{ field: 'templateParam.code', problem: 'must be a string or a number' }`. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/**
 * A 400 naming every invalid field at once:
 * `{ statusCode: 400, error: 'Bad Request', message: 'phoneNumber: is required', problems: [...] }`.
 */
export function invalidRequest(problems: readonly FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
    problems,
  });
}

/** `true` for `{...}` objects (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
