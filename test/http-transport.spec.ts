// HttpTransport against a real HTTP server on 127.0.0.1: body decoding, deadline, caller abort and
// the "may the request have reached the server" fact that decides whether a SendSms may be resent.
// Every test has its own server and transport; a server that is "late" simply never answers, and
// its held responses are dropped when the test ends.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { until } from './support/until.js';
import type { Dispatcher } from 'undici';
import { AbortFanout } from '../lib/http/abort-fanout.js';
import { HttpExchange } from '../lib/http/http-exchange.js';
import { HttpTransport, HttpTransportError } from '../lib/http/http-transport.js';
import type { HttpResponse } from '../lib/http/http-transport.types.js';
import type { ResolvedAlicomSmsOptions } from '../lib/options/resolved-alicom-sms-options.js';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('HttpTransport', () => {
  let server: Server;
  let origin: string;
  let route: Route;
  let received: { method?: string; url?: string; body: string }[];
  let transport: HttpTransport;
  /** Answers nothing: the request stays open until the test ends. */
  const neverAnswer: Route = () => undefined;

  beforeEach(async () => {
    received = [];
    route = neverAnswer;
    // The transport reads only `dispatcher` from the options: none means it builds its own Agent.
    transport = new HttpTransport({} as ResolvedAlicomSmsOptions);
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, body });
        route(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await transport.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the request-target verbatim and decodes a UTF-8 body split inside a character', async () => {
    const text = '用户接收成功 ✓';
    const bytes = Buffer.from(text, 'utf8');
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-mns-request-id': 'R1' });
      // Cut in the middle of the first 3-byte character, flushed as separate writes.
      res.write(bytes.subarray(0, 1));
      setTimeout(() => res.end(bytes.subarray(1)), 10);
    };
    const path = '/queues/q/messages?waitseconds=1&receiptHandle=1-A%2B%2F%3D%3D';
    const response = await transport.send({ method: 'POST', url: origin + path, body: 'a=1&b=%20', timeoutMs: 5_000 });
    assert.equal(response.status, 200);
    assert.equal(response.body, text);
    assert.equal(response.headers['x-mns-request-id'], 'R1');
    assert.deepEqual(received, [{ method: 'POST', url: path, body: 'a=1&b=%20' }]);
  });

  it('a deadline is a timeout that may have reached the server', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const error = await transport.send({ method: 'POST', url: `${origin}/`, body: 'x', timeoutMs: 100, signal: controller.signal }).then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof HttpTransportError);
    assert.equal(error.kind, 'timeout');
    assert.equal(error.requestMayHaveBeenSent, true);
    assert.match(error.message, /timed out after 100 ms/);
    assert.ok(Date.now() - started < 1_500, 'the deadline did not wait for the server');
  });

  it('exchanges sharing one signal add one listener to it, and its abort stops them all', async () => {
    const controller = new AbortController();
    const pending = Array.from({ length: 20 }, () =>
      transport.send({ method: 'GET', url: `${origin}/poll`, timeoutMs: 5_000, signal: controller.signal }).catch((e: unknown) => e),
    );
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort();
    for (const error of await Promise.all(pending)) {
      assert.ok(error instanceof HttpTransportError);
      assert.equal(error.kind, 'aborted');
    }
  });

  it('a caller abort mid-exchange is "aborted"; an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    // Aborted once the server holds the request, before any answer.
    route = () => controller.abort(new Error('shutting down'));
    const midway = await transport.send({ method: 'GET', url: `${origin}/poll`, timeoutMs: 5_000, signal: controller.signal }).catch((e: unknown) => e);
    assert.ok(midway instanceof HttpTransportError);
    assert.equal(midway.kind, 'aborted');
    assert.deepEqual(received.map((r) => r.url), ['/poll'], 'the request had reached the server');

    const early = await transport.send({ method: 'GET', url: `${origin}/never`, timeoutMs: 5_000, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    assert.ok(early instanceof HttpTransportError);
    assert.equal(early.kind, 'aborted');
    // A request that reached the server shows up on the next exchange over the same connections.
    route = (_req, res) => res.writeHead(200).end('ok');
    await transport.send({ method: 'GET', url: `${origin}/after`, timeoutMs: 5_000 });
    assert.equal(received.filter((r) => r.url === '/never').length, 0, 'nothing reached the server');
  });

  it('a refused connection proves nothing was sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await transport.send({ method: 'POST', url: `http://127.0.0.1:${port}/`, body: 'x', timeoutMs: 5_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof HttpTransportError);
    assert.equal(error.kind, 'connect');
    assert.equal(error.requestMayHaveBeenSent, false);
    assert.match(error.message, /ECONNREFUSED/);
  });

  it('a connection dropped after the request was read may have reached the server', async () => {
    route = (req) => req.socket.destroy();
    const error = await transport.send({ method: 'POST', url: `${origin}/`, body: 'x', timeoutMs: 5_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof HttpTransportError);
    assert.equal(error.kind, 'network');
    assert.equal(error.requestMayHaveBeenSent, true);
  });

  it('refuses to send once closed', async () => {
    const closing = new HttpTransport({} as ResolvedAlicomSmsOptions);
    await closing.close();
    const error = await closing.send({ method: 'GET', url: `${origin}/`, timeoutMs: 1_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof HttpTransportError);
    assert.equal(error.kind, 'aborted');
    assert.equal(error.requestMayHaveBeenSent, false);
    assert.deepEqual(received, [], 'nothing reached the server');
  });

  describe('bounded bodies', () => {
    const LIMIT = 256 * 1024;
    const bounded = new HttpTransport({ maxResponseBytes: LIMIT } as ResolvedAlicomSmsOptions);
    after(() => bounded.close());

    it('fails an answer that declares a body past the cap before reading it', async () => {
      let closed = false;
      route = (_req, res) => {
        res.on('close', () => (closed = true));
        res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
        res.write(Buffer.alloc(1024));
      };
      const error = await bounded.send({ method: 'GET', url: `${origin}/declared`, timeoutMs: 5_000 }).catch((e: unknown) => e);
      assert.ok(error instanceof HttpTransportError, String(error));
      assert.equal(error.kind, 'too-large');
      assert.equal(error.requestMayHaveBeenSent, true);
      assert.match(error.message, /262144-byte limit .*declared 67108864 bytes.*maxResponseBytes/);
      await until(() => closed, 'the server to see the download aborted');
    });

    it('aborts an endless chunked body as soon as it passes the cap', async () => {
      let written = 0;
      let closed = false;
      route = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        res.on('close', () => (closed = true));
        const pump = () => {
          while (!closed && res.write(chunk)) written += chunk.length;
          if (!closed) res.once('drain', pump);
        };
        pump();
      };
      const error = await bounded.send({ method: 'GET', url: `${origin}/endless`, timeoutMs: 10_000 }).catch((e: unknown) => e);
      assert.ok(error instanceof HttpTransportError, String(error));
      assert.equal(error.kind, 'too-large');
      assert.match(error.message, /more than 262144 bytes received/);
      await until(() => closed, 'the server to see the connection closed');
      // What was written before the abort reached the socket buffers, not the client's heap.
      assert.ok(written < 32 * 1024 * 1024, `the server kept writing: ${written} bytes`);
    });

    it('accepts a body of exactly the cap', async () => {
      route = (_req, res) => res.writeHead(200).end(Buffer.alloc(LIMIT, 'a'));
      const response = await bounded.send({ method: 'GET', url: `${origin}/exact`, timeoutMs: 5_000 });
      assert.equal(response.body.length, LIMIT);
    });

    it('times out a body that stalls after the headers, and the socket is released', async () => {
      let closed = false;
      route = (_req, res) => {
        res.on('close', () => (closed = true));
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.write('<Messages>');
      };
      const error = await bounded.send({ method: 'GET', url: `${origin}/stalled`, timeoutMs: 80 }).catch((e: unknown) => e);
      assert.ok(error instanceof HttpTransportError, String(error));
      assert.equal(error.kind, 'timeout');
      await until(() => closed, 'the stalled connection to be closed');
    });

    it("keeps a parser error's raw bytes out of the cause chain", async () => {
      route = (req) => {
        // A chunk size that is not hex: undici's parser error keeps the rest of the bytes as `data`.
        req.socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZSECRET-TOKEN\r\n');
      };
      const error = await bounded.send({ method: 'GET', url: `${origin}/garbage`, timeoutMs: 5_000 }).catch((e: unknown) => e);
      assert.ok(error instanceof HttpTransportError, String(error));
      const chain: unknown[] = [];
      for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) chain.push(e);
      for (const link of chain) {
        assert.ok(!JSON.stringify(Object.entries(link as object)).includes('SECRET-TOKEN'), `raw server bytes in ${String(link)}`);
        assert.ok(!String((link as Error).message).includes('SECRET-TOKEN'));
      }
    });
  });
});

describe('HttpExchange settles exactly once', () => {
  const controller = { abort: () => {}, pause: () => {}, resume: () => {}, paused: false, aborted: false, reason: null } as unknown as Dispatcher.DispatchController;

  function exchange(dispatch: (handler: HttpExchange) => void): { settled: Promise<HttpResponse | HttpTransportError>; settlements: () => number } {
    let settlements = 0;
    let done!: (value: HttpResponse | HttpTransportError) => void;
    const settled = new Promise<HttpResponse | HttpTransportError>((resolve) => (done = resolve));
    const handler = new HttpExchange(
      { method: 'GET', url: 'http://127.0.0.1:9/q', timeoutMs: 5_000 },
      new AbortFanout(),
      1024,
      (response) => {
        settlements++;
        done(response);
      },
      (error) => {
        settlements++;
        done(error);
      },
    );
    handler.start({ dispatch: () => dispatch(handler) } as unknown as Dispatcher);
    return { settled, settlements: () => settlements };
  }

  it('rejects when turning the body into a string throws, even at the very end', async () => {
    const { settled, settlements } = exchange((handler) => {
      handler.onRequestStart(controller);
      handler.onResponseStart(controller, 200, {});
      // What a body past the JS string limit does inside Buffer#toString.
      const unconvertible = { length: 10, toString: () => { throw new Error('Cannot create a string longer than 0x1fffffe8 characters'); } };
      handler.onResponseData(controller, unconvertible as unknown as Buffer);
      handler.onResponseEnd();
      handler.onResponseError(controller, new Error('late error'));
      handler.onResponseEnd();
    });
    const outcome = await settled;
    assert.ok(outcome instanceof HttpTransportError, 'rejected');
    assert.equal(outcome.kind, 'network');
    assert.match(outcome.message, /0x1fffffe8/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settlements(), 1);
  });

  it('rejects when the dispatcher throws instead of calling back', async () => {
    const { settled, settlements } = exchange(() => {
      throw new Error('dispatcher exploded');
    });
    const outcome = await settled;
    assert.ok(outcome instanceof HttpTransportError);
    assert.match(outcome.message, /dispatcher exploded/);
    assert.equal(settlements(), 1);
  });

  it('ignores everything undici says after a settlement', async () => {
    const { settled, settlements } = exchange((handler) => {
      handler.onRequestStart(controller);
      handler.onResponseStart(controller, 200, {});
      handler.onResponseData(controller, Buffer.from('ok'));
      handler.onResponseEnd();
      handler.onResponseStart(controller, 500, {});
      handler.onResponseData(controller, Buffer.alloc(4096));
      handler.onResponseError(controller, new Error('after the end'));
    });
    const outcome = await settled;
    assert.ok(!(outcome instanceof HttpTransportError));
    assert.equal(outcome.body, 'ok');
    assert.equal(settlements(), 1);
  });
});
