// Three app processes on one Redis: 2,000 sends, 30 % of reports dropped, 5 % duplicated, one
// process SIGKILLed mid-stream and restarted, the other two restarted with SIGTERM one after the other.
// The processes reach Redis with 10 ms each way, as across a network.
import { it } from 'node:test';
import { REDIS_URL } from '../support/redis.js';
import { describeResult, runScenario } from './scenario.js';

it('every send ends with exactly one final report across three processes, through a SIGKILL and two SIGTERM restarts', async () => {
  const result = await runScenario({
    title: 'standalone',
    sends: 2_000,
    redis: { url: REDIS_URL },
    events: [
      { at: 600, kind: 'kill', name: 'P1' },
      { at: 1_100, kind: 'restart', name: 'P0' },
      { at: 1_500, kind: 'restart', name: 'P2' },
    ],
    waitEvery: 40,
    expectCorrelation: true,
    redisLatencyMs: 10,
  });
  console.log(describeResult('standalone Redis', result));
});
