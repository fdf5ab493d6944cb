import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A test's own HTTP server for the answers no honest server gives: oversized, stalled, instant
// empty, more messages than asked, reflected secrets. It does not check signatures; the module
// under test talks to it over real HTTP.

/** One request as the server received it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type HostileRoute = (req: IncomingMessage, res: ServerResponse, body: string, seen: SeenRequest) => void;

export interface HostileServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** How every request is answered; replace it at any time. */
  route: HostileRoute;
  /** Requests whose URL contains `part`. */
  count(part: string): number;
  close(): Promise<void>;
}

export async function startHostileServer(route: HostileRoute = (_req, res) => res.writeHead(404).end()): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  let server!: Server;
  const hostile: HostileServer = {
    url: '',
    requests,
    route,
    count: (part) => requests.filter((r) => r.url.includes(part)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      hostile.route(req, res, seen.body, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (hostile as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hostile;
}

const XML = { 'content-type': 'text/xml;charset=utf-8' };

/** An MNS `<Error>` document. */
export function mnsErrorXml(code: string, message: string, requestId = '5F3A1B2C3D4E5F6071829300'): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message><RequestId>${escapeXml(requestId)}</RequestId><HostId>http://mns</HostId></Error>`
  );
}

/** The answer of an empty queue: 404 MessageNotExist, at once. */
export function answerEmpty(res: ServerResponse): void {
  res.writeHead(404, XML).end(mnsErrorXml('MessageNotExist', 'Message not exist.'));
}

let sequence = 0;

/** An SmsReport message as MNS delivers it (Base64 JSON body, its MD5, a fresh id and handle). */
export function reportMessage(overrides: Record<string, unknown> = {}): { messageId: string; receiptHandle: string; body: string } {
  const n = ++sequence;
  const json = {
    phone_number: `139${String(10000000 + n).padStart(8, '0')}`,
    send_time: '2026-11-24 10:00:00',
    report_time: '2026-11-24 10:00:05',
    success: true,
    err_code: 'DELIVERED',
    err_msg: '用户接收成功',
    sms_size: '1',
    biz_id: `${900000000000 + n}^0`,
    out_id: '',
    ...overrides,
  };
  return {
    messageId: `MSG${String(n).padStart(20, '0')}`,
    receiptHandle: `1-ODU4OTkzNDU5My0xNDM1MTk3NjAwLTItOA==${n}`,
    body: Buffer.from(JSON.stringify(json), 'utf8').toString('base64'),
  };
}

/** A BatchReceiveMessage 200 answer with these messages. */
export function messagesXml(messages: ReadonlyArray<{ messageId: string; receiptHandle: string; body: string }>): string {
  const now = Date.now();
  const items = messages.map(
    (m) =>
      `<Message><MessageId>${m.messageId}</MessageId><ReceiptHandle>${escapeXml(m.receiptHandle)}</ReceiptHandle>` +
      `<MessageBodyMD5>${createHash('md5').update(m.body).digest('hex').toUpperCase()}</MessageBodyMD5>` +
      `<MessageBody>${m.body}</MessageBody><EnqueueTime>${now}</EnqueueTime><NextVisibleTime>${now + 30_000}</NextVisibleTime>` +
      `<FirstDequeueTime>${now}</FirstDequeueTime><DequeueCount>1</DequeueCount><Priority>8</Priority></Message>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?><Messages xmlns="http://mns.aliyuncs.com/doc/v1/">${items.join('')}</Messages>`;
}

/** Answers with these messages. */
export function answerMessages(res: ServerResponse, messages: ReadonlyArray<{ messageId: string; receiptHandle: string; body: string }>): void {
  res.writeHead(200, XML).end(messagesXml(messages));
}

/** `numOfMessages` of a receive request. */
export function askedFor(url: string): number {
  return Number(/numOfMessages=(\d+)/.exec(url)?.[1] ?? NaN);
}

export function isReceive(req: IncomingMessage): boolean {
  return req.method === 'GET' && /\/messages\?numOfMessages=/.test(req.url ?? '');
}

function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
