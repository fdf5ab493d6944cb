// Malformed Beijing times through the real receive path: a receipt whose send_time or report_time
// is not a real `yyyy-MM-dd HH:mm:ss` instant never reaches a handler with a wrong instant; it is
// undecodable and goes to the poison policy like any other. The emulator plays Alibaba; a queue
// token with a malformed ExpireTime (from a token endpoint of the test's own) is refused.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AlicomSmsModule, OnSmsReport, type PoisonMessage, ReceiptDecodeError, SmsReceiptListener, type SmsReport } from '../lib/index.js';
import { AlicomEmulator } from '../lib/testing/index.js';
import { startHostileServer, type HostileServer } from './support/hostile-server.js';
import { waitFor } from './support/stepping-clock.js';

@Injectable()
class Reports {
  readonly seen: SmsReport[] = [];
  @OnSmsReport()
  onReport(report: SmsReport): void {
    this.seen.push(report);
  }
}

const open: Array<{ moduleRef: TestingModule; emulator: AlicomEmulator; gateway?: HostileServer }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.moduleRef.close();
    await o.gateway?.close();
    await o.emulator.close();
  }
});

const report = (overrides: Record<string, unknown>) => ({
  phone_number: '13912345678',
  send_time: '2026-11-24 10:00:00',
  report_time: '2026-11-24 10:00:05',
  success: true,
  err_code: 'DELIVERED',
  err_msg: '用户接收成功',
  sms_size: '1',
  biz_id: `900619746936498440^${Math.random()}`,
  out_id: '',
  ...overrides,
});

describe('malformed receipt times through the receive path (emulator over HTTP)', () => {
  it('sends receipts with impossible times to the poison policy, never to a handler', async () => {
    const emulator = await AlicomEmulator.start();
    const poisoned: PoisonMessage[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        AlicomSmsModule.forRoot({
          ...emulator.credentials,
          endpoints: emulator.endpoints,
          receipts: { queuePrefix: emulator.queuePrefix, types: ['SmsReport'], waitSeconds: 1, onPoisonMessage: (m) => void poisoned.push(m) },
        }),
      ],
      providers: [Reports],
    }).compile();
    open.push({ moduleRef, emulator });
    await moduleRef.init();
    const queue = emulator.queues.SmsReport;
    const bad = [
      { send_time: '2026-11-24 10:61:99' }, // once read as 11:02:39
      { send_time: '0099-06-15 10:00:00' }, // once read as 1999-06-15
      { report_time: '2026-02-30 10:00:00' },
      { report_time: '2026-11-24 24:00:00' },
      { send_time: '2026-11-24T10:00:00Z' },
    ];
    for (const fields of bad) emulator.mns.enqueueJson(queue, report(fields));
    emulator.mns.enqueueJson(queue, report({ biz_id: 'good^0' }));

    await waitFor(() => poisoned.length === bad.length && moduleRef.get(Reports).seen.length === 1, 'five poison messages and one report', 15_000);
    await emulator.mns.whenDrained(queue, 10_000);
    assert.equal(moduleRef.get(Reports).seen[0].bizId, 'good^0');
    assert.equal(moduleRef.get(Reports).seen[0].sendTime.toISOString(), '2026-11-24T02:00:00.000Z', 'a good time is a correct instant');
    for (const message of poisoned) {
      assert.equal(message.reason, 'undecodable');
      assert.ok(message.error instanceof ReceiptDecodeError);
      assert.match(String((message.error as Error).message), /field "(send|report)_time" must be a valid "yyyy-MM-dd HH:mm:ss" time/);
    }
    assert.equal(moduleRef.get(SmsReceiptListener).health().poisoned, bad.length);
  });

  it('refuses a queue token whose ExpireTime is not a real time', async () => {
    const emulator = await AlicomEmulator.start();
    const gateway = await startHostileServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          Code: 'OK',
          RequestId: 'R-T',
          MessageTokenDTO: { AccessKeyId: 'STS.x', AccessKeySecret: 'queue-secret-x', SecurityToken: 'CAIS-x', CreateTime: '2026-11-24 10:00:00', ExpireTime: '2026-11-24 10:61:99' },
        }),
      ),
    );
    const moduleRef = await Test.createTestingModule({
      imports: [
        AlicomSmsModule.forRoot({
          ...emulator.credentials,
          endpoints: { sms: emulator.endpoints.sms, token: gateway.url, mns: emulator.endpoints.mns },
          receipts: { queuePrefix: emulator.queuePrefix, types: ['SmsReport'], pollersPerQueue: 1 },
          compensation: false,
        }),
      ],
    }).compile();
    open.push({ moduleRef, emulator, gateway });
    await moduleRef.init();
    const listener = moduleRef.get(SmsReceiptListener);
    await waitFor(() => listener.health().queues[0].consecutiveErrors >= 1, 'the token to be refused');
    assert.match(listener.health().queues[0].lastError ?? '', /without a usable MessageTokenDTO/);
    assert.equal(emulator.mns.stats(emulator.queues.SmsReport).received, 0, 'no receive was made with it');
  });
});
