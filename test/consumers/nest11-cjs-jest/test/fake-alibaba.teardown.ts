import type { Server } from 'node:http';

export default async function stopFakeAlibaba(): Promise<void> {
  const { server, requests } = (globalThis as Record<string, unknown>).__FAKE_ALIBABA__ as { server: Server; requests: string[] };
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  if (requests.length > 0) {
    throw new Error(`The app's production Alibaba endpoint received ${requests.length} request(s) during the tests: ${requests.join(', ')}`);
  }
}
