import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

// One emulated Alibaba host: an HTTP server on 127.0.0.1 with its own origin, because Alibaba
// serves each product on a host of its own (PROTOCOL.md §1.1) and a client must be able to tell
// them apart exactly as it would in production.

/** What one endpoint serves, once the request body is complete. */
export interface EndpointRoute {
  /** Whether the endpoint serves this path (without the query). */
  serves(path: string): boolean;
  /** Sentence naming what the endpoint serves, for the 404 of any other path. */
  readonly description: string;
  /** Answers a served request; `arrivedAtMs` is `performance.now()` of the request's arrival. */
  handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer, arrivedAtMs: number): Promise<void>;
}

/** A listening endpoint. */
export interface LoopbackEndpoint {
  readonly server: Server;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
}

/** Listens on 127.0.0.1 (`port` 0 picks a free one). */
export async function startLoopbackEndpoint(port: number): Promise<LoopbackEndpoint> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Starts one endpoint per port, all or none: when one cannot listen, the others are closed again. */
export async function startLoopbackEndpoints(ports: readonly number[]): Promise<LoopbackEndpoint[]> {
  const started = await Promise.allSettled(ports.map(startLoopbackEndpoint));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure === undefined) return started.map((result) => (result as PromiseFulfilledResult<LoopbackEndpoint>).value);
  await Promise.all(
    started.map((result) => (result.status === 'fulfilled' ? closeLoopbackEndpoint(result.value) : undefined)),
  );
  throw failure.reason;
}

/** Routes every request of the endpoint to `route` once its body has been read. */
export function serveEndpoint(endpoint: LoopbackEndpoint, route: EndpointRoute): void {
  endpoint.server.on('request', (req: IncomingMessage, res: ServerResponse) => void serve(req, res, route, performance.now()));
}

/** Closes the server, keep-alive connections included. */
export function closeLoopbackEndpoint(endpoint: LoopbackEndpoint): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    endpoint.server.close((error) => (error ? reject(error) : resolve()));
    endpoint.server.closeAllConnections();
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, route: EndpointRoute, arrivedAtMs: number): Promise<void> {
  try {
    const rawBody = await readBody(req);
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    if (route.serves(path)) {
      await route.handle(req, res, rawBody, arrivedAtMs);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain;charset=utf-8' });
    res.end(`${route.description} Nothing is served at ${path}.`);
  } catch (error) {
    // Never leave the client hanging on an emulator bug.
    if (res.headersSent) res.destroy();
    else {
      res.writeHead(500, { 'Content-Type': 'text/plain;charset=utf-8' });
      res.end(`Emulator failure: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The whole request body; rejects when the request is aborted before its end. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  // NOTE: plain 'data'/'end' listeners cost a fraction of `for await` (an async iterator and a
  // promise per chunk), and a body usually arrives in one chunk.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('The request was aborted before its body ended.'));
    });
  });
}
