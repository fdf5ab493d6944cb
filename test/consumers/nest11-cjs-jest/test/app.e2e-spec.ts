import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types';
import { ALICOM_SMS_MODULE_OPTIONS } from 'nestjs-alicom-sms';
import { AlicomEmulator, emulatorModuleOptions } from 'nestjs-alicom-sms/testing';
import { AppModule } from './../src/app.module';

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

  beforeAll(async () => {
    emulator = await AlicomEmulator.start();
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    // The app's own AlicomSmsModule, pointed at the emulator: no second module instance.
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

  it('loads one copy of nestjs-alicom-sms: the CommonJS build', () => {
    const copies = (globalThis as Record<symbol, unknown>)[Symbol.for('nestjs-alicom-sms.loaded-copies')];
    expect(copies).toEqual([{ format: 'commonjs', path: expect.stringMatching(/nestjs-alicom-sms[\\/]dist[\\/]cjs$/) }]);
  });
});
