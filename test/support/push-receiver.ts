// A plain node:http server standing in for a user's push receiver, so the emulator's push side is
// tested on the wire without the product's own receiver.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One request the receiver got. */
export interface ReceivedPush {
  readonly method: string;
  /** Path and query as requested. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** `performance.now()` when the whole body had arrived. */
  readonly arrivedAt: number;
}

/** A status and body, sent after an optional delay. */
export interface PushReply {
  readonly status: number;
  readonly body: string;
  readonly delayMs?: number;
}

/** How to answer one request: a reply, or a destroyed connection. */
export type PushAnswerPlan = PushReply | 'destroy';

/** Alibaba's "received" answer. */
export const RECEIVED: PushReply = { status: 200, body: '{"code":0,"msg":"接收成功"}' };

/** A running receiver; `answer` decides each reply from the request and its 0-based index. */
export interface TestPushReceiver {
  readonly origin: string;
  readonly received: ReceivedPush[];
  answer: (push: ReceivedPush, index: number) => PushAnswerPlan;
  /** The received bodies parsed as JSON. */
  bodies(): unknown[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 answering `RECEIVED` unless told otherwise. */
export async function startPushReceiver(): Promise<TestPushReceiver> {
  const received: ReceivedPush[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const receiver = {
    origin: '',
    received,
    answer: (() => RECEIVED) as TestPushReceiver['answer'],
    bodies: () => received.map((push) => JSON.parse(push.body) as unknown),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const push: ReceivedPush = {
        method: req.method ?? '',
        target: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        arrivedAt: performance.now(),
      };
      received.push(push);
      const plan = receiver.answer(push, received.length - 1);
      if (plan === 'destroy') {
        req.socket.destroy();
        return;
      }
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(plan.status, { 'Content-Type': 'application/json' });
        res.end(plan.body);
      };
      if (!plan.delayMs) return reply();
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply();
      }, plan.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
