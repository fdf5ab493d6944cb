/** One HTTP exchange, as the protocol clients see it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute URL. The path + query are sent byte for byte as given (MNS signs the raw request-target). */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whole-exchange deadline in ms (connect + send + response body). */
  timeoutMs: number;
  /** Caller's cancellation (e.g. shutdown aborting a long-poll). */
  signal?: AbortSignal;
}

/** A complete HTTP response with its body read as UTF-8. Header names are lower-case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Why an exchange produced no (usable) HTTP response. `too-large`: the body passed the size cap
 * and its download was aborted.
 */
export type HttpFailureKind = 'connect' | 'timeout' | 'aborted' | 'network' | 'too-large';

/**
 * An exchange that produced no response. `requestMayHaveBeenSent` is the fact that decides
 * whether a non-idempotent request (SendSms) may be repeated: only a failure to connect proves
 * that nothing reached the server.
 */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly kind: HttpFailureKind,
    readonly requestMayHaveBeenSent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpTransportError';
  }
}
