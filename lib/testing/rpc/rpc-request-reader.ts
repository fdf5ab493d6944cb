import type { IncomingMessage } from 'node:http';
import { decodeFormParameters } from './pop-encoding.js';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * The decoded parameters of an RPC request: the query string, plus the body when it is a form
 * (PROTOCOL.md §2.6 step 1). Body values win over query values of the same name.
 */
export function readRpcParameters(req: IncomingMessage, rawBody: Buffer): Record<string, string> {
  const url = req.url ?? '';
  const queryStart = url.indexOf('?');
  const query = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const form = req.method === 'POST' && isForm(req.headers['content-type']) ? rawBody.toString('utf8') : '';
  // NOTE: clients put everything in one of the two; merging only when both carry text saves a copy.
  if (query === '') return decodeFormParameters(form);
  if (form === '') return decodeFormParameters(query);
  return { ...decodeFormParameters(query), ...decodeFormParameters(form) };
}

function isForm(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === FORM_CONTENT_TYPE;
}
