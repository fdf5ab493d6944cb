import { mnsRequestHeaders, type MnsRequestToSign } from './mns-signature.js';
import type { MnsCredentials } from './mns.types.js';

interface SignedRequest {
  method: MnsRequestToSign['method'];
  credentials: MnsCredentials;
  headers: Readonly<Record<string, string>>;
}

/**
 * Signs one MnsClient's requests, reusing what repeats within a second (the resolution of the
 * `Date` header): the formatted date, and the headers of a body-less request made again. The
 * pollers send the same receive many times a second, and its HMAC was most of the cost of
 * sending it. Headers are reused only for the same method, request-target, second and
 * credentials object, i.e. exactly what signing again would produce; a request with a body
 * (BatchDeleteMessage) is always signed afresh.
 */
export class MnsRequestSigner {
  private second = Number.NaN;
  private date = '';
  /** This second's body-less requests, by request-target. */
  private signed = new Map<string, SignedRequest>();

  /** @param now the clock for the `Date` header */
  constructor(private readonly now: () => Date) {}

  /** The signed header set of one request (a new object each time; `body` '' or absent: none). */
  sign(method: MnsRequestToSign['method'], resource: string, body: string | undefined, credentials: MnsCredentials): Record<string, string> {
    const date = this.dateHeader();
    if (body) return mnsRequestHeaders(method, resource, body, credentials, date);
    const known = this.signed.get(resource);
    if (known && known.method === method && known.credentials === credentials) return { ...known.headers };
    const headers = mnsRequestHeaders(method, resource, '', credentials, date);
    this.signed.set(resource, { method, credentials, headers });
    return { ...headers };
  }

  /** `Date` header value, formatted once per second (and the reuse window starting again). */
  private dateHeader(): string {
    const now = this.now();
    const second = Math.floor(now.getTime() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.date = now.toUTCString();
      this.signed = new Map();
    }
    return this.date;
  }
}
