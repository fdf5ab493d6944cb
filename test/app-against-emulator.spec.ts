// Testing a whole app against the emulator without a second module instance: the app's own
// AlicomSmsModule (forRoot or forRootAsync, configured for "Alibaba") gets the emulator's options
// through overrideProvider(ALICOM_SMS_MODULE_OPTIONS). The app's "Alibaba" endpoints point at a
// local server that records every request: it must see none.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { type DynamicModule, Inject, Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ALICOM_SMS_MODULE_OPTIONS,
  AlicomSmsModule,
  type AlicomSmsModuleOptions,
  OnSmsReport,
  type SmsReport,
  SmsService,
} from '../lib/index.js';
import { AlicomEmulator, emulatorModuleOptions } from '../lib/testing/index.js';
import { until } from './support/until.js';

/** Stands in for Alibaba's real hosts: records every request and refuses it. */
interface RecordingServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

async function startRecordingServer(): Promise<RecordingServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push(`${request.method} ${request.url} ${body}`);
      response.writeHead(503).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The app's production configuration, aimed at `realUrl` instead of Alibaba. */
function productionOptions(realUrl: string): AlicomSmsModuleOptions {
  return {
    accessKeyId: 'LTAI5tProductionKeyId',
    accessKeySecret: 'production-secret',
    endpoints: { sms: realUrl, token: realUrl, mns: realUrl },
    receipts: { queuePrefix: 'Alicom-Queue-1092397003988387-' },
  };
}

const PHONE = '13800138000';

/** The app's own code: sends through the injected SmsService and handles reports. */
@Injectable()
class VerificationCodes {
  readonly reports: SmsReport[] = [];

  constructor(readonly sms: SmsService) {}

  send(phoneNumbers: string) {
    return this.sms.sendSms({ phoneNumbers, signName: '阿里云短信测试', templateCode: 'SMS_154950909', templateParam: { code: '1234' } });
  }

  @OnSmsReport()
  onReport(report: SmsReport): void {
    this.reports.push(report);
  }
}

const APP_CONFIG = 'APP_CONFIG';

/** An app-side configuration module, as `@nestjs/config` would be. */
function appConfigModule(realUrl: string): DynamicModule {
  return { module: class AppConfigModule {}, providers: [{ provide: APP_CONFIG, useValue: productionOptions(realUrl) }], exports: [APP_CONFIG] };
}

@Injectable()
class AlicomOptionsFromConfig {
  constructor(@Inject(APP_CONFIG) private readonly config: AlicomSmsModuleOptions) {}

  create(): AlicomSmsModuleOptions {
    return this.config;
  }
}

/** The app's root module, built with each way of configuring AlicomSmsModule. */
const appModules: Record<string, (realUrl: string) => DynamicModule> = {
  forRoot: (realUrl) => ({
    module: class AppModule {},
    imports: [AlicomSmsModule.forRoot(productionOptions(realUrl))],
    providers: [VerificationCodes],
  }),
  'forRootAsync (useFactory)': (realUrl) => ({
    module: class AppModule {},
    imports: [
      AlicomSmsModule.forRootAsync({
        imports: [appConfigModule(realUrl)],
        inject: [APP_CONFIG],
        useFactory: (config: AlicomSmsModuleOptions) => config,
      }),
    ],
    providers: [VerificationCodes],
  }),
  'forRootAsync (useClass)': (realUrl) => ({
    module: class AppModule {},
    imports: [AlicomSmsModule.forRootAsync({ imports: [appConfigModule(realUrl)], useClass: AlicomOptionsFromConfig })],
    providers: [VerificationCodes],
  }),
};

/** Boots `app`, sends one SMS through the app's own code and waits for its report there. */
async function sendAndReceive(moduleRef: TestingModule, emulator: AlicomEmulator): Promise<void> {
  await moduleRef.init();
  const codes = moduleRef.get(VerificationCodes);
  const { bizId } = await codes.send(PHONE);
  assert.equal(emulator.findSends({ bizId }).length, 1, 'the send reached the emulator');
  await until(() => codes.reports.some((report) => report.bizId === bizId), "the report in the app's handler");
  assert.equal(codes.reports.find((report) => report.bizId === bizId)?.success, true);
}

describe('testing a whole app against the emulator', () => {
  for (const [configuredWith, appModule] of Object.entries(appModules)) {
    it(`overrideProvider(ALICOM_SMS_MODULE_OPTIONS) redirects an app configured with ${configuredWith}`, async () => {
      const real = await startRecordingServer();
      const emulator = await AlicomEmulator.start();
      try {
        const moduleRef = await Test.createTestingModule({ imports: [appModule(real.url)] })
          .overrideProvider(ALICOM_SMS_MODULE_OPTIONS)
          .useValue(emulatorModuleOptions(emulator, { receipts: { waitSeconds: 1 } }))
          .compile();
        try {
          await sendAndReceive(moduleRef, emulator);
          assert.equal(emulator.requestCount('SendSms'), 1);
        } finally {
          await moduleRef.close();
        }
      } finally {
        await emulator.close();
        await real.close();
      }
      assert.deepEqual(real.requests, [], 'no request reached the app’s production endpoints');
    });
  }

  it('a second module instance beside the app does not redirect the app (the mistake the override avoids)', async () => {
    const real = await startRecordingServer();
    const emulator = await AlicomEmulator.start();
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [AlicomSmsModule.forRoot(emulatorModuleOptions(emulator)), appModules.forRoot!(real.url)],
      }).compile();
      try {
        await moduleRef.init();
        await assert.rejects(moduleRef.get(VerificationCodes).send(PHONE));
        await until(() => real.requests.some((request) => request.includes('Action=SendSms')), 'the send at the production endpoint');
      } finally {
        await moduleRef.close();
      }
    } finally {
      await emulator.close();
      await real.close();
    }
    assert.equal(emulator.requestCount('SendSms'), 0);
  });

  it('emulatorModuleOptions takes the emulator’s credentials, endpoints and queue prefix over any override', async () => {
    const emulator = await AlicomEmulator.start();
    try {
      const untyped = { accessKeyId: 'LTAI-other', endpoints: { sms: 'https://example.com' }, regionId: 'cn-shanghai' };
      const options = emulatorModuleOptions(emulator, { ...untyped, receipts: { waitSeconds: 3 } } as object);
      assert.deepEqual(options, {
        regionId: 'cn-shanghai',
        accessKeyId: emulator.credentials.accessKeyId,
        accessKeySecret: emulator.credentials.accessKeySecret,
        endpoints: emulator.endpoints,
        receipts: { waitSeconds: 3, queuePrefix: emulator.queuePrefix },
      });
      assert.equal(emulatorModuleOptions(emulator, { receipts: false }).receipts, false);
    } finally {
      await emulator.close();
    }
  });
});
