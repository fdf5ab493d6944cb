// Jest globalSetup: the app's production configuration for the e2e run, aimed at a local server
// that stands in for Alibaba's hosts and records every request (fake-alibaba.teardown.ts checks
// that there were none: the tests must talk to the emulator only).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export default async function startFakeAlibaba(): Promise<void> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(process.env, {
    ALICOM_ACCESS_KEY_ID: 'LTAI5tProductionKeyId',
    ALICOM_ACCESS_KEY_SECRET: 'production-secret',
    ALICOM_SMS_ENDPOINT: `http://127.0.0.1:${port}`,
    ALICOM_TOKEN_ENDPOINT: `http://127.0.0.1:${port}`,
    ALICOM_MNS_ENDPOINT: `http://127.0.0.1:${port}`,
    ALICOM_QUEUE_PREFIX: 'Alicom-Queue-1092397003988387-',
  });
  (globalThis as Record<string, unknown>).__FAKE_ALIBABA__ = { server, requests };
}
