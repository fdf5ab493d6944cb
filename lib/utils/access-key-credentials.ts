import { inspect } from 'node:util';

/**
 * An AccessKey pair (long-term, or STS with a security token) that keeps its secret out of
 * `util.inspect`, `console.log`, `JSON.stringify` and error output: the secret lives in private
 * fields and is read only by the signers.
 */
export class AccessKeyCredentials {
  readonly #accessKeySecret: string;
  readonly #securityToken: string | undefined;

  constructor(
    readonly accessKeyId: string,
    accessKeySecret: string,
    securityToken?: string,
  ) {
    this.#accessKeySecret = accessKeySecret;
    this.#securityToken = securityToken;
  }

  /** The secret, for signing only. */
  get accessKeySecret(): string {
    return this.#accessKeySecret;
  }

  /** The STS security token, when these are temporary credentials. */
  get securityToken(): string | undefined {
    return this.#securityToken;
  }

  toJSON(): Record<string, string> {
    return { accessKeyId: this.accessKeyId, accessKeySecret: '<redacted>' };
  }

  [inspect.custom](): string {
    return `AccessKeyCredentials { accessKeyId: '${this.accessKeyId}', accessKeySecret: <redacted>${this.#securityToken ? ', securityToken: <redacted>' : ''} }`;
  }
}
