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
  for (let e: any = error, depth = 0; e && depth < 8; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unreadable error';
  }
}

/**
 * The underlying error as a plain `Error` with only its name, code and message: undici's parser
 * errors carry the raw bytes the server sent (`data`), which must not travel on in a cause chain.
 */
function sanitizedCause(error: unknown): Error {
  const cause = new Error(errorText(error));
  try {
    if (error instanceof Error) cause.name = error.name;
  } catch {
    // keep the default name
  }
  const code = errorCode(error);
  if (code) Object.assign(cause, { code });
  return cause;
}

/** `https://host:port/path?query` → origin and the request-target, verbatim (no re-encoding). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash < 0 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

function decodeUtf8(chunks: readonly Buffer[]): string {
  if (chunks.length === 0) return '';
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/**
 * One request/response over undici's `dispatch()`: collects the body chunks up to a size cap,
 * enforces the deadline with one plain timer, follows the caller's signal, and settles exactly
 * once with an {@link HttpResponse} or a classified {@link HttpTransportError}.
 *
 * Every way out settles: each undici callback runs guarded, so a throw inside one (a body that
 * cannot be turned into a string, a dispatcher that throws) rejects the exchange instead of
 * leaving its promise pending forever.
 */
export class HttpExchange implements Dispatcher.DispatchHandler, AbortTarget {
  private controller?: Dispatcher.DispatchController;
  private timer?: NodeJS.Timeout;
  private settled = false;
  private headersReceived = false;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private chunks: Buffer[] = [];
  private receivedBytes = 0;

  /**
   * @param maxBodyBytes the largest response body accepted; past it the download is aborted and
   *   the exchange fails with kind `too-large`
   */
  constructor(
    private readonly req: HttpRequest,
    private readonly aborts: AbortFanout,
    private readonly maxBodyBytes: number,
    private readonly resolve: (response: HttpResponse) => void,
    private readonly reject: (error: HttpTransportError) => void,
  ) {}

  start(dispatcher: Dispatcher): void {
    this.guard(() => {
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
    });
  }

  /** The caller's signal aborted. */
  onAbort(): void {
    this.stop('aborted');
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Stopped while queued for a socket: abort before a byte is written.
    if (this.settled) this.abortRequest(new Error('exchange already settled'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.guard(() => {
      if (this.settled) return;
      this.headersReceived = true;
      this.status = statusCode;
      this.headers = headers;
      // A declared length past the cap fails before a byte of the body is read.
      const declared = Number(Array.isArray(headers['content-length']) ? headers['content-length'][0] : headers['content-length']);
      if (declared > this.maxBodyBytes) this.tooLarge(`declared ${declared} bytes`);
    });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.guard(() => {
      if (this.settled) return;
      this.receivedBytes += chunk.length;
      if (this.receivedBytes > this.maxBodyBytes) return this.tooLarge(`more than ${this.maxBodyBytes} bytes received`);
      this.chunks.push(chunk);
    });
  }

  onResponseEnd(): void {
    this.guard(() => {
      if (this.settled) return;
      const body = decodeUtf8(this.chunks);
      this.chunks = [];
      if (!this.finish()) return;
      this.resolve({ status: this.status, headers: this.headers, body });
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(() => this.networkFailure(error));
  }

  /** Deadline or caller abort: settle now, and abort the request if undici has started it. */
  private stop(kind: 'timeout' | 'aborted'): void {
    this.fail(() => {
      const target = this.target();
      return kind === 'timeout'
        ? new HttpTransportError(`${target} timed out after ${this.req.timeoutMs} ms`, 'timeout', true)
        : new HttpTransportError(`${target} aborted by caller`, 'aborted', true, { cause: this.req.signal?.reason });
    });
  }

  /** The body outgrew the cap: stop buffering at once and abort the download. */
  private tooLarge(detail: string): void {
    this.fail(
      () =>
        new HttpTransportError(
          `${this.target()} answered a body larger than the ${this.maxBodyBytes}-byte limit (${detail}); the download was aborted (option maxResponseBytes)`,
          'too-large',
          true,
        ),
    );
  }

  /** Runs one step; whatever it throws settles the exchange as a failure. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.fail(() => this.networkFailure(error));
    }
  }

  /** Settles with the error `build` makes (once), drops the buffered body and aborts the request. */
  private fail(build: () => HttpTransportError): void {
    if (!this.finish()) return;
    this.chunks = [];
    let error: HttpTransportError;
    try {
      error = build();
    } catch (buildError) {
      error = new HttpTransportError(`${this.req.method} request failed (${errorText(buildError)})`, 'network', true);
    }
    this.abortRequest(error);
    this.reject(error);
  }

  private abortRequest(reason: Error): void {
    try {
      this.controller?.abort(reason);
    } catch {
      // Already finished on undici's side: nothing left to stop.
    }
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
    const cause = sanitizedCause(error);
    if (!this.headersReceived && code && CONNECT_ERROR_CODES.has(code)) {
      return new HttpTransportError(`${target} could not connect (${code})`, 'connect', false, { cause });
    }
    const detail = code ?? errorText(error);
    return new HttpTransportError(`${target} failed (${detail})`, 'network', true, { cause });
  }

  private target(): string {
    return `${this.req.method} ${splitUrl(this.req.url).origin}`;
  }
}
