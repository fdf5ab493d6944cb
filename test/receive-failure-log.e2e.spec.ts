// When Alibaba cannot be reached, 8 poll loops (2 queues × 4) must not flood the log: one line
// when a queue's receives start failing, a summary a minute while they keep failing, one line when
// they recover — and health still shows every queue's state. Real connections to a closed port,
// the module's time on a ManualClock moved through four minutes.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { Test, type TestingModule } from '@nestjs/testing';
import { AlicomSmsClock, AlicomSmsModule, SmsReceiptListener } from '../lib/index.js';
import { AlicomEmulator } from '../lib/testing/index.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { SteppingClock, waitFor } from './support/stepping-clock.js';

/** `count` distinct ports free right now (all held open while probing, so none repeats). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Moves the clock from timer to timer for `ms`, giving each wake-up's (refused) connections time to fail. */
async function runFor(clock: SteppingClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  while (clock.now() < end) {
    await waitFor(() => clock.nextDueIn() !== undefined, 'a timer to be pending');
    await new Promise((resolve) => setTimeout(resolve, 2));
    await clock.advance(Math.min(clock.nextDueIn() ?? 0, end - clock.now()));
  }
}

describe('receive failures with 8 poll loops against an unreachable host', () => {
  let moduleRef: TestingModule | undefined;
  let emulator: AlicomEmulator | undefined;
  after(async () => {
    await moduleRef?.close();
    await emulator?.close();
  });

  it('logs one line per queue when failing starts, a summary a minute, one on recovery; health shows both queues', async () => {
    // The emulator's coordinates, for a host that is down now and comes up later on the same port.
    const probe = await AlicomEmulator.start();
    const { credentials, queuePrefix } = probe;
    await probe.close();
    const [sms, token, mns] = await freePorts(3);
    const ports = { sms, token, mns };
    const origin = (port: number) => `http://127.0.0.1:${port}`;

    const clock = new SteppingClock();
    const logger = new CapturingLogger();
    moduleRef = await Test.createTestingModule({
      imports: [
        AlicomSmsModule.forRoot({
          ...credentials,
          endpoints: { sms: origin(ports.sms), token: origin(ports.token), mns: origin(ports.mns) },
          receipts: { queuePrefix, pollersPerQueue: 4, waitSeconds: 1 },
          compensation: false,
        }),
      ],
    })
      .overrideProvider(AlicomSmsClock)
      .useValue(clock)
      .setLogger(logger)
      .compile();
    await moduleRef.init();
    const listener = moduleRef.get(SmsReceiptListener);

    await runFor(clock, 4 * 60_000);
    const problems = logger.matching(['warn', 'error']);
    const starts = logger.matching(['warn', 'error'], /is failing|^Retrying /);
    const summaries = logger.matching(['warn', 'error'], /still failing/);
    // 2 queues and the token call: one start each, then about one summary a minute each.
    assert.equal(starts.length, 3, logger.text());
    assert.ok(summaries.length >= 3 * 3 && summaries.length <= 3 * 4, `${summaries.length} summaries in 4 minutes:\n${logger.text()}`);
    assert.equal(problems.length, starts.length + summaries.length, `nothing else was logged:\n${logger.text()}`);
    for (const line of problems) assert.ok(!/\.\./.test(line.message), `doubled period: ${line.message}`);
    for (const line of starts) assert.match(line.message, /could not connect \(ECONNREFUSED\)/);

    const failing = listener.health().queues;
    assert.deepEqual(failing.map((q) => q.type).sort(), ['SmsReport', 'SmsUp']);
    for (const queue of failing) {
      assert.ok(queue.consecutiveErrors > 0, `${queue.queue} shows its failures`);
      assert.match(queue.lastError ?? '', /QueryTokenForMnsQueue failed: .*could not connect \(ECONNREFUSED\)/);
    }

    // The host comes up: each queue and the token call log their recovery once.
    emulator = await AlicomEmulator.start({ ports });
    // Each loop retries when its backoff ends (at most 30 s of module time), then long-polls for real.
    await clock.advance(31_000);
    await waitFor(() => listener.health().queues.every((q) => q.consecutiveErrors === 0), 'both queues to recover');
    const recoveries = logger.matching(['log'], /recovered after|answers again after/);
    assert.equal(recoveries.length, 3, logger.text());
    const afterwards = logger.matching(['warn', 'error']).slice(problems.length);
    assert.ok(afterwards.length <= 3 && afterwards.every((line) => /still failing/.test(line.message)), `after the host came up:\n${logger.text()}`);
  });
});
