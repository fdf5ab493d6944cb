import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatedRpcFailure } from './alicom-emulator-options.interface.js';
import type { RpcAction, RpcProduct } from './rpc-action.interface.js';
import type { RpcRequestAuthenticator } from './rpc-request-authenticator.js';
import { gatewayErrors } from './rpc-error-catalog.js';
import { RpcBusinessError, RpcGatewayError } from './rpc-errors.js';
import type { RpcFault, RpcFaultInjector } from './rpc-fault-injector.js';
import type { RpcRequestLog } from './rpc-request-log.js';
import { readRpcParameters } from './rpc-request-reader.js';
import {
  businessErrorReply,
  gatewayErrorReply,
  newRequestId,
  responseFormatOf,
  successReply,
  writeReply,
  type RpcReply,
} from './rpc-responses.js';

/** Everything the RPC side needs, owned by the emulator. */
export interface RpcRequestHandlerOptions {
  readonly authenticator: RpcRequestAuthenticator;
  /** Served actions by name. */
  readonly actions: ReadonlyMap<string, RpcAction>;
  readonly faults: RpcFaultInjector;
  readonly requestLog: RpcRequestLog;
  readonly clock: () => Date;
  /** Current extra delay before answering, read per request. */
  readonly latencyMs: () => number;
}

/**
 * Serves one POP RPC request (path `/`) on the endpoint of one product: logs it, authenticates it
 * like Alibaba's gateway, finds the action among that product's own (one product per host,
 * PROTOCOL.md §1.1), applies an injected fault if one is queued, runs the action and answers in
 * the format asked for (JSON, or XML when `Format` is absent).
 */
export class RpcRequestHandler {
  constructor(private readonly options: RpcRequestHandlerOptions) {}

  /**
   * Answers the request (or drops its connection when a drop fault says so). `product` is the one
   * whose endpoint received it; `arrivedAtMs` is the `performance.now()` of the server's 'request'
   * event, the start of `answeredAfterMs`.
   */
  async handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer, arrivedAtMs: number, product: RpcProduct): Promise<void> {
    const parameters = readRpcParameters(req, rawBody);
    const action = parameters.Action ?? '';
    const entry = this.options.requestLog.add(product, action, req.method ?? '', parameters, this.options.clock());
    const { reply, fault } = this.process(req, parameters, product);

    const latencyMs = this.options.latencyMs();
    if (latencyMs > 0) await delayAtLeast(latencyMs);
    if (fault?.kind === 'drop') {
      entry.dropped = true;
      req.socket.destroy();
      return;
    }
    entry.httpStatus = reply.httpStatus;
    entry.code = reply.body.Code;
    entry.requestId = reply.body.RequestId;
    if (res.destroyed) return;
    writeReply(res, reply, responseFormatOf(parameters), action);
    entry.answeredAfterMs = performance.now() - arrivedAtMs;
  }

  private process(
    req: IncomingMessage,
    parameters: Readonly<Record<string, string>>,
    product: RpcProduct,
  ): { reply: RpcReply; fault?: RpcFault } {
    const requestId = newRequestId();
    const hostId = req.headers.host ?? '127.0.0.1';
    const action = this.options.actions.get(parameters.Action ?? '');
    let fault: RpcFault | undefined;
    try {
      const method = req.method;
      if (method !== 'GET' && method !== 'POST') throw gatewayErrors.unsupportedHttpMethod(method ?? '');
      this.options.authenticator.authenticate(method, parameters);
      // Another product's action is as unknown here as a made-up one: it never reaches that product.
      if (action?.product !== product) throw gatewayErrors.actionNotFound();
      // Faults apply to requests that pass authentication, as a real outage would.
      fault = this.options.faults.take(action.name);
      if (fault?.kind === 'fail') return { reply: injectedFailureReply(fault.failure, requestId, hostId, product), fault };
      // The placeholder reply is never written: handle() drops the connection instead.
      if (fault?.kind === 'drop' && !fault.afterProcessing) return { reply: successReply(requestId, {}), fault };
      if (parameters.Version !== action.version) throw gatewayErrors.invalidVersion();
      return { reply: successReply(requestId, action.execute({ parameters, requestId })), fault };
    } catch (error) {
      return { reply: errorReply(error, requestId, hostId, product), fault };
    }
  }
}

/**
 * Waits `ms` or more by the high-resolution clock. NOTE: node's timers count whole ms of a loop
 * time that can be stale, so one alone may fire up to 1 ms early; the rare early wake waits again.
 */
async function delayAtLeast(ms: number): Promise<void> {
  const due = performance.now() + ms;
  // NOTE: unref'd so a pending delay never keeps a test process alive after close().
  for (let left = ms; left > 0; left = due - performance.now()) await sleep(Math.ceil(left), undefined, { ref: false });
}

function injectedFailureReply(failure: EmulatedRpcFailure, requestId: string, hostId: string, product: RpcProduct): RpcReply {
  const { code, httpStatus = 200 } = failure;
  const message = failure.message ?? `Injected failure ${code} (AlicomEmulator.failNext).`;
  return httpStatus >= 400
    ? gatewayErrorReply(requestId, hostId, product, new RpcGatewayError(httpStatus, code, message))
    : businessErrorReply(requestId, new RpcBusinessError(code, message));
}

function errorReply(error: unknown, requestId: string, hostId: string, product: RpcProduct): RpcReply {
  if (error instanceof RpcBusinessError) return businessErrorReply(requestId, error);
  if (error instanceof RpcGatewayError) return gatewayErrorReply(requestId, hostId, product, error);
  // An emulator bug or a throwing `delivery` callback: answer like Alibaba, but say what broke.
  const internal = gatewayErrors.internalError();
  const cause = error instanceof Error ? error.message : String(error);
  return gatewayErrorReply(
    requestId,
    hostId,
    product,
    new RpcGatewayError(internal.httpStatus, internal.code, `${internal.message} (emulator: ${cause})`),
  );
}
