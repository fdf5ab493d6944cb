import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import type { ResolvedAlicomSmsOptions } from '../interfaces/alicom-sms-module-options.interface.js';

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

/** A complete HTTP response with its body read as UTF-8. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Why an exchange produced no HTTP response. */
export type HttpFailureKind = 'connect' | 'timeout' | 'aborted' | 'network';

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

// Errors raised before any byte of the request was written.
const CONNECT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: any = error; e; e = e.cause) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/**
 * The module's HTTP client: one keep-alive undici `Agent` per module instance (so two apps in one
 * process never share sockets), a deadline and an abort signal on every exchange, and a
 * classification of failures by whether the request may have reached the server.
 */
@Injectable()
export class HttpTransport implements OnApplicationShutdown {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private closed = false;

  constructor(@Inject(ALICOM_SMS_RESOLVED_OPTIONS) options: ResolvedAlicomSmsOptions) {
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 30_000,
        connectTimeout: 10_000,
        // Long-polls hold a response open for up to 30 s; the per-request deadline governs instead.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
  }

  /** Sends one request and reads the whole response body. Never retries. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    if (this.closed) {
      throw new HttpTransportError('HTTP client is closed (the application is shutting down)', 'aborted', false);
    }
    const deadline = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const url = new URL(req.url);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: url.origin,
        // Pass the request-target verbatim: URL parsing would re-encode it and break MNS signatures.
        path: req.url.slice(url.origin.length) || '/',
        method: req.method,
        headers: req.headers,
        body: req.body,
        // undici closes the socket after a request with a body unless the method is PUT/POST/PATCH
        // (client-h1 writeBuffer), i.e. after every BatchDeleteMessage (DELETE + XML body): a new
        // TCP (TLS in production) connection per batch delete. MNS reads DELETE bodies fine.
        reset: false,
        signal,
      });
    } catch (error) {
      throw this.classify(error, req, deadline, 'request');
    }
    try {
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      throw this.classify(error, req, deadline, 'response');
    }
  }

  private classify(
    error: unknown,
    req: HttpRequest,
    deadline: AbortSignal,
    phase: 'request' | 'response',
  ): HttpTransportError {
    const target = `${req.method} ${new URL(req.url).origin}`;
    if (req.signal?.aborted) {
      return new HttpTransportError(`${target} aborted by caller`, 'aborted', true, { cause: error });
    }
    if (deadline.aborted) {
      return new HttpTransportError(`${target} timed out after ${req.timeoutMs} ms`, 'timeout', true, { cause: error });
    }
    const code = errorCode(error);
    if (phase === 'request' && code && CONNECT_ERROR_CODES.has(code)) {
      return new HttpTransportError(`${target} could not connect (${code})`, 'connect', false, { cause: error });
    }
    const detail = code ?? (error instanceof Error ? error.message : String(error));
    return new HttpTransportError(`${target} failed (${detail})`, 'network', true, { cause: error });
  }

  /** Closes the module's own keep-alive pool (not a user-supplied dispatcher). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
