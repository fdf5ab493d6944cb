import type { IncomingMessage } from 'node:http';
import { decodeFormParameters } from './pop-encoding.js';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * The decoded parameters of an RPC request: the query string, plus the body when it is a form
 * (PROTOCOL.md §2.6 step 1). Body values win over query values of the same name.
 */
export function readRpcParameters(req: IncomingMessage, rawBody: Buffer): Record<string, string> {
  const queryStart = (req.url ?? '').indexOf('?');
  const query = queryStart < 0 ? '' : (req.url ?? '').slice(queryStart + 1);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const form = req.method === 'POST' && contentType === FORM_CONTENT_TYPE ? rawBody.toString('utf8') : '';
  return { ...decodeFormParameters(query), ...decodeFormParameters(form) };
}
