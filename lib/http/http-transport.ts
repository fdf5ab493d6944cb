import { inspect } from 'node:util';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../options/response-size.js';
import type { ResolvedAlicomSmsOptions } from '../options/resolved-alicom-sms-options.js';
import { AbortFanout } from './abort-fanout.js';
import { HttpExchange } from './http-exchange.js';
import { HttpTransportError, type HttpRequest, type HttpResponse } from './http-transport.types.js';

export { HttpTransportError, type HttpFailureKind, type HttpRequest, type HttpResponse } from './http-transport.types.js';

/**
 * The module's HTTP client: one keep-alive undici `Agent` per module instance (so two apps in one
 * process never share sockets), a deadline, an abort signal and a body size cap on every
 * exchange, and a classification of failures by whether the request may have reached the server.
 *
 * It speaks undici's low-level `dispatch()` (see {@link HttpExchange}) rather than `request()`:
 * every SendSms and every MNS receive/delete pays this path, and `request()` adds a Readable body
 * stream plus `AbortSignal.timeout`/`AbortSignal.any` per call, which the send benchmark showed
 * as a large share of the client's CPU per send.
 */
@Injectable()
export class HttpTransport implements OnApplicationShutdown {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly maxResponseBytes: number;
  private readonly aborts = new AbortFanout();
  private closed = false;

  constructor(@Inject(ALICOM_SMS_RESOLVED_OPTIONS) options: ResolvedAlicomSmsOptions) {
    this.ownsDispatcher = !options.dispatcher;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
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

  /** Sends one request and reads the whole response body (at most `maxResponseBytes`). Never retries. */
  send(req: HttpRequest): Promise<HttpResponse> {
    if (this.closed) {
      return Promise.reject(new HttpTransportError('HTTP client is closed (the application is shutting down)', 'aborted', false));
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      new HttpExchange(req, this.aborts, this.maxResponseBytes, resolve, reject).start(this.dispatcher);
    });
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

  /**
   * The pool's sockets hold the requests in flight, whose headers and bodies carry security
   * tokens: inspecting the transport shows its settings only.
   */
  [inspect.custom](): string {
    const dispatcher = this.ownsDispatcher ? 'own keep-alive Agent' : `${this.dispatcher.constructor?.name ?? 'Dispatcher'} (supplied)`;
    return `HttpTransport { dispatcher: ${dispatcher}, maxResponseBytes: ${this.maxResponseBytes}, closed: ${this.closed} }`;
  }
}
