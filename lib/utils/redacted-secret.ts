import { inspect } from 'node:util';

// Where the values live: a module-private WeakMap, reachable from no object, so no inspect depth,
// no showHidden and no JSON.stringify of a holder can reach it.
const values = new WeakMap<RedactedSecret, string>();

/**
 * A secret (AccessKey secret, STS token) held so that it prints as `<redacted>` everywhere:
 * `util.inspect` at any depth, `JSON.stringify`, string conversion. The module reads the value
 * internally; nothing public hands it out.
 *
 * The options stored under `ALICOM_SMS_MODULE_OPTIONS` hold their secrets this way.
 *
 * @publicApi
 */
export class RedactedSecret {
  constructor(value: string) {
    values.set(this, value);
    Object.freeze(this);
  }

  toString(): string {
    return '<redacted>';
  }

  toJSON(): string {
    return '<redacted>';
  }

  [inspect.custom](): string {
    return '<redacted>';
  }
}

/** The value of a {@link RedactedSecret} (internal: only the options resolver reads it). */
export function revealSecret(secret: RedactedSecret): string | undefined {
  return values.get(secret);
}
