import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { App } from 'supertest/types';
import { ALICOM_SMS_MODULE_OPTIONS } from 'nestjs-alicom-sms';
import { AlicomEmulator, emulatorModuleOptions } from 'nestjs-alicom-sms/testing';
import { AppModule } from './../src/app.module.js';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('AppController (e2e)', () => {
  let emulator: AlicomEmulator;
  let app: INestApplication<App>;
  // Stands in for Alibaba's hosts in the app's production configuration: records every request.
  let fakeAlibaba: Server;
  const requestsToFakeAlibaba: string[] = [];

  beforeAll(async () => {
    fakeAlibaba = createServer((req, res) => {
      requestsToFakeAlibaba.push(`${req.method} ${req.url}`);
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => fakeAlibaba.listen(0, '127.0.0.1', resolve));
    const fakeAlibabaUrl = `http://127.0.0.1:${(fakeAlibaba.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      ALICOM_ACCESS_KEY_ID: 'LTAI5tProductionKeyId',
      ALICOM_ACCESS_KEY_SECRET: 'production-secret',
      ALICOM_SMS_ENDPOINT: fakeAlibabaUrl,
      ALICOM_TOKEN_ENDPOINT: fakeAlibabaUrl,
      ALICOM_MNS_ENDPOINT: fakeAlibabaUrl,
      ALICOM_QUEUE_PREFIX: 'Alicom-Queue-1092397003988387-',
    });
    emulator = await AlicomEmulator.start();
  });

  afterAll(async () => {
    await emulator.close();
    fakeAlibaba.closeAllConnections();
    await new Promise((resolve) => fakeAlibaba.close(resolve));
    expect(requestsToFakeAlibaba).toEqual([]);
  });

  beforeEach(async () => {
    // The app's own AlicomSmsModule (forRootAsync), pointed at the emulator: no second instance.
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    })
      .overrideProvider(ALICOM_SMS_MODULE_OPTIONS)
      .useValue(emulatorModuleOptions(emulator))
      .compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });

  afterEach(async () => {
    await app.close();
  });

  it('/ (GET)', () => {
    return request(app.getHttpServer())
      .get('/')
      .expect(200)
      .expect('Hello World!');
  });

  it('/verification (POST) sends through the emulator and the report reaches the app', async () => {
    const { body } = await request(app.getHttpServer())
      .post('/verification')
      .send({ phoneNumber: '13800138000' })
      .expect(201);
    expect(emulator.findSends({ bizId: body.bizId })).toHaveLength(1);

    const report = await waitFor('the report in the app handler', async () => {
      const response = await request(app.getHttpServer()).get(`/verification/${encodeURIComponent(body.bizId)}/report`);
      return response.status === 200 ? response.body : undefined;
    });
    expect(report).toEqual(expect.objectContaining({ success: true, phoneNumber: '13800138000' }));
  });

  it('loads one copy of nestjs-alicom-sms: the ESM build', () => {
    const copies = (globalThis as Record<symbol, unknown>)[Symbol.for('nestjs-alicom-sms.loaded-copies')];
    expect(copies).toEqual([{ format: 'esm', path: expect.stringMatching(/nestjs-alicom-sms[\\/]dist[\\/]esm$/) }]);
  });
});
