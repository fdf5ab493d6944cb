// The multi-process scenario through a three-node Redis Cluster of the test's own (started on free
// ports, joined with redis-cli --cluster create, stopped afterwards), with fewer sends.
import { after, before, it } from 'node:test';
import { TestRedisCluster } from '../support/redis-server.js';
import { describeResult, runScenario } from './scenario.js';

let cluster: TestRedisCluster;
before(async () => {
  cluster = await TestRedisCluster.start();
});
after(async () => {
  await cluster?.dispose();
});

it('every send ends with exactly one final report across three processes on a Redis Cluster, through a SIGKILL and two SIGTERM restarts', async () => {
  const result = await runScenario({
    title: 'cluster',
    sends: 600,
    redis: { cluster: cluster.startupNodes },
    events: [
      { at: 200, kind: 'kill', name: 'P1' },
      { at: 350, kind: 'restart', name: 'P0' },
      { at: 450, kind: 'restart', name: 'P2' },
    ],
    waitEvery: 20,
    expectCorrelation: true,
  });
  console.log(describeResult('3-node Redis Cluster', result));
});
