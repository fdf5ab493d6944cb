// FailureStreakLog: one line when a failure starts, a summary a minute, one on recovery — also when
// the failure flaps (the soak's 5 % MNS errors once gave two lines per failed receive).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '@nestjs/common';
import { FailureStreakLog } from '../lib/utils/failure-streak-log.js';

function harness() {
  let now = 0;
  const lines: string[] = [];
  const logger = { error: (m: string) => lines.push(`error ${m}`), warn: (m: string) => lines.push(`warn ${m}`), log: (m: string) => lines.push(`log ${m}`) } as unknown as Logger;
  const log = new FailureStreakLog(
    {
      started: (error, earlier) => `started ${error} earlier=${earlier}`,
      ongoing: (failures, seconds, error) => `ongoing ${failures} in ${seconds}s ${error}`,
      recovered: (failures, seconds) => `recovered after ${failures} over ${seconds}s`,
    },
    logger,
    () => now,
  );
  return { log, lines, at: (ms: number) => (now = ms) };
}

describe('FailureStreakLog', () => {
  it('logs the start at once, a summary a minute, and the recovery', () => {
    const { log, lines, at } = harness();
    for (let t = 0; t <= 150_000; t += 1_000) {
      at(t);
      log.failed(`e${t}`);
    }
    at(151_000);
    log.succeeded();
    log.succeeded();
    assert.deepEqual(lines, ['error started e0 earlier=0', 'error ongoing 60 in 60s e60000', 'error ongoing 60 in 60s e120000', 'log recovered after 151 over 151s']);
  });

  it('stays at a line or two a minute when the failure flaps, and counts every failure', () => {
    const { log, lines, at } = harness();
    let failures = 0;
    for (let t = 0; t < 600_000; t += 500) {
      at(t);
      if (t % 1_000 === 0) {
        log.failed('flap');
        failures++;
      } else log.succeeded();
    }
    assert.ok(lines.length <= 2 * 10 + 2, `${lines.length} lines for 600 flaps in 10 minutes:\n${lines.join('\n')}`);
    const starts = lines.filter((l) => l.startsWith('error started'));
    const recoveries = lines.filter((l) => l.startsWith('log recovered'));
    assert.equal(starts.length, recoveries.length);
    // Each recovery line counts the failures since the previous one, brief ones included: only the
    // last minute's, not followed by a line yet, are missing.
    const counted = recoveries.reduce((n, l) => n + Number(/after (\d+) over/.exec(l)?.[1]), 0);
    assert.ok(counted <= failures && counted >= failures - 60, `${counted} of ${failures} failures counted`);
  });
});
