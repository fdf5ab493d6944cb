import { createHmac } from 'node:crypto';

// POP RPC "signature v1" (HMAC-SHA1), PROTOCOL.md §2.

const RESERVED_AFTER_URI_COMPONENT = /[!'()*]/g;
const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;

/**
 * POP percent-encoding: UTF-8 bytes, unreserved `A-Za-z0-9-_.~` kept, everything else `%XX`
 * upper-case (space is `%20`, never `+`; `*` is `%2A`).
 */
export function popPercentEncode(value: string): string {
  // Most names and values (Action, AccessKeyId, nonces, codes) need no encoding at all.
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(
    RESERVED_AFTER_URI_COMPONENT,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** `name=value` pairs sorted by name (code-unit order), POP-encoded and joined with `&`. */
export function canonicalizeRpcParameters(params: Readonly<Record<string, string>>): string {
  // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as POP requires.
  const names = Object.keys(params).sort();
  let query = '';
  for (const name of names) {
    if (name === 'Signature') continue;
    query += `${query === '' ? '' : '&'}${popPercentEncode(name)}=${popPercentEncode(params[name])}`;
  }
  return query;
}

/** `METHOD&%2F&enc(canonicalQuery)`. */
export function rpcStringToSign(method: 'GET' | 'POST', canonicalQuery: string): string {
  return `${method}&${popPercentEncode('/')}&${popPercentEncode(canonicalQuery)}`;
}

/** Base64 HMAC-SHA1 with key `secret + "&"`. */
export function rpcSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/**
 * Signs a parameter set and returns the wire form: `<canonicalQuery>&Signature=<enc(sig)>`,
 * usable as a GET query string or a POST form body.
 */
export function signRpcParameters(
  method: 'GET' | 'POST',
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): { canonicalQuery: string; stringToSign: string; signature: string; encoded: string } {
  const canonicalQuery = canonicalizeRpcParameters(params);
  const stringToSign = rpcStringToSign(method, canonicalQuery);
  const signature = rpcSignature(stringToSign, accessKeySecret);
  return { canonicalQuery, stringToSign, signature, encoded: `${canonicalQuery}&Signature=${popPercentEncode(signature)}` };
}
