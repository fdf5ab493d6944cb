import { MnsErrors } from './mns-error.js';

// Query-string decoding for MNS operations (PROTOCOL.md §4.4): names are case-insensitive and
// values are percent-decoded WITHOUT turning `+` into a space, because the official SDKs paste
// receipt handles (which contain `+`) into the query unencoded.

/** Query parameters keyed by lower-cased name; the first occurrence of a name wins. */
export type MnsQueryParameters = ReadonlyMap<string, string>;

/** Splits a raw request-target into its path and raw query (without the `?`). */
export function splitRequestTarget(target: string): { path: string; rawQuery: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, rawQuery: '' } : { path: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

/** Parses a raw query string; throws `InvalidQueryString` on broken percent-escapes. */
export function parseMnsQuery(rawQuery: string): MnsQueryParameters {
  const params = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName).toLowerCase();
      value = decodeURIComponent(rawValue);
    } catch {
      throw MnsErrors.invalidQueryString();
    }
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}
