import type { PushBodyError } from '../../errors/push-body.error.js';

// The answers of the push receiver. Alibaba reads only HTTP 200 with a numeric `code` of 0 as
// "received"; anything else is pushed again later (PROTOCOL.md §5.6). Non-zero codes repeat the
// HTTP status. No answer repeats anything of the request.

/**
 * The answer to one push request: the HTTP status and the JSON body Alibaba reads
 * (`{"code":0,...}` = received; anything else = push again later).
 *
 * @publicApi
 */
export interface SmsPushAnswer {
  status: number;
  body: { code: number; msg: string };
}

function answer(status: number, msg: string): SmsPushAnswer {
  return { status, body: { code: status === 200 ? 0 : status, msg } };
}

/** What became of the items of one request by the time it is answered. */
export interface PushTally {
  handled: number;
  duplicates: number;
  invalid: number;
  failed: number;
  busy: number;
  /** Not finished when the deadline passed. */
  unfinished: number;
}

/** The answer a request's tally calls for: a retry when any valid receipt is not safely handled. */
export function answerFor(tally: PushTally, answerTimeoutMs: number): SmsPushAnswer {
  if (tally.failed > 0) return answer(500, `${tally.failed} receipt(s) failed in their handlers; push again`);
  if (tally.unfinished > 0) return answer(503, `${tally.unfinished} receipt(s) not handled within ${answerTimeoutMs} ms; push again`);
  if (tally.busy > 0) return answer(503, `${tally.busy} receipt(s) being handled by another delivery; push again later`);
  const invalid = tally.invalid > 0 ? `, ${tally.invalid} invalid item(s) ignored` : '';
  return answer(200, `OK: ${tally.handled} handled, ${tally.duplicates} duplicate(s)${invalid}`);
}

export const FORBIDDEN_ANSWER = answer(403, 'forbidden');
export const BUSY_ANSWER = answer(503, 'too many push requests at once; push again later');
export const SHUTTING_DOWN_ANSWER = answer(503, 'shutting down; push again later');
export const INTERNAL_ERROR_ANSWER = answer(500, 'internal error; push again');

/** The answer to a body that cannot be read. */
export function invalidBodyAnswer(error: PushBodyError, maxBodyBytes: number, answerTimeoutMs: number): SmsPushAnswer {
  switch (error.reason) {
    case 'too-large':
      return answer(413, `body larger than ${maxBodyBytes} bytes`);
    case 'incomplete':
      return answer(408, `body not complete within ${answerTimeoutMs} ms`);
    case 'utf8':
      return answer(400, 'body is not valid UTF-8');
    case 'json':
      return answer(400, 'body is not valid JSON');
    default:
      return answer(400, 'body is not a JSON array of receipts');
  }
}
