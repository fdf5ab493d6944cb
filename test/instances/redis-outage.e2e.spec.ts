// The multi-process scenario with Redis down for 10 s in the middle of the run (a Redis of the
// test's own, killed and started again on the same port; append-only file fsynced on every write,
// as the README asks of a production Redis): nothing lost, nothing handled twice.
import { after, before, it } from 'node:test';
import { TestRedisServer } from '../support/redis-server.js';
import { describeResult, runScenario } from './scenario.js';

let server: TestRedisServer;
before(async () => {
  server = await TestRedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always']);
});
after(async () => {
  await server?.dispose();
});

it('every send still ends with exactly one final report when Redis is down for 10 s mid-run', async () => {
  const result = await runScenario({
    title: 'outage',
    sends: 1_000,
    redis: { url: server.url },
    events: [{ at: 300, kind: 'redis-down', ms: 10_000, stop: () => server.stop(), start: () => server.start() }],
    expectCorrelation: true,
  });
  console.log(describeResult('Redis down 10 s', result));
});
