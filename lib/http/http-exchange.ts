import type { Dispatcher } from 'undici';
import type { AbortFanout, AbortTarget } from './abort-fanout.js';
import { HttpTransportError, type HttpRequest, type HttpResponse } from './http-transport.types.js';

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

/** `https://host:port/path?query` → origin and the request-target, verbatim (no re-encoding). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash < 0 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/**
 * One request/response over undici's `dispatch()`: collects the body chunks, enforces the
 * deadline with one plain timer, follows the caller's signal, and settles exactly once with an
 * {@link HttpResponse} or a classified {@link HttpTransportError}.
 */
export class HttpExchange implements Dispatcher.DispatchHandler, AbortTarget {
  private controller?: Dispatcher.DispatchController;
  private timer?: NodeJS.Timeout;
  private settled = false;
  private headersReceived = false;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly req: HttpRequest,
    private readonly aborts: AbortFanout,
    private readonly resolve: (response: HttpResponse) => void,
    private readonly reject: (error: HttpTransportError) => void,
  ) {}

  start(dispatcher: Dispatcher): void {
    const { req } = this;
    if (req.signal) {
      if (req.signal.aborted) return this.stop('aborted');
      this.aborts.add(req.signal, this);
    }
    this.timer = setTimeout(() => this.stop('timeout'), req.timeoutMs);
    const { origin, path } = splitUrl(req.url);
    dispatcher.dispatch(
      {
        origin,
        // Passed verbatim: URL parsing would re-encode it and break MNS signatures.
        path,
        method: req.method,
        headers: req.headers,
        body: req.body,
        // undici closes the socket after a request with a body unless the method is PUT/POST/PATCH
        // (client-h1 writeBuffer), i.e. after every BatchDeleteMessage (DELETE + XML body): a new
        // TCP (TLS in production) connection per batch delete. MNS reads DELETE bodies fine.
        reset: false,
      },
      this,
    );
  }

  /** The caller's signal aborted. */
  onAbort(): void {
    this.stop('aborted');
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Stopped while queued for a socket: abort before a byte is written.
    if (this.settled) controller.abort(new Error('exchange already settled'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.headersReceived = true;
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (!this.finish()) return;
    const body = this.chunks.length === 1 ? this.chunks[0].toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.finish()) return;
    this.reject(this.networkFailure(error));
  }

  /** Deadline or caller abort: settle now, and abort the request if undici has started it. */
  private stop(kind: 'timeout' | 'aborted'): void {
    if (!this.finish()) return;
    const target = this.target();
    const error =
      kind === 'timeout'
        ? new HttpTransportError(`${target} timed out after ${this.req.timeoutMs} ms`, 'timeout', true)
        : new HttpTransportError(`${target} aborted by caller`, 'aborted', true, { cause: this.req.signal?.reason });
    this.controller?.abort(error);
    this.reject(error);
  }

  /** Marks the exchange settled and releases its timer and listener; false if it already was. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.req.signal) this.aborts.remove(this.req.signal, this);
    return true;
  }

  private networkFailure(error: unknown): HttpTransportError {
    const target = this.target();
    const code = errorCode(error);
    if (!this.headersReceived && code && CONNECT_ERROR_CODES.has(code)) {
      return new HttpTransportError(`${target} could not connect (${code})`, 'connect', false, { cause: error });
    }
    const detail = code ?? (error instanceof Error ? error.message : String(error));
    return new HttpTransportError(`${target} failed (${detail})`, 'network', true, { cause: error });
  }

  private target(): string {
    return `${this.req.method} ${splitUrl(this.req.url).origin}`;
  }
}
