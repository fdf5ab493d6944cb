// Starts the sample app (sample-app/src, importing the package by its own name) on a free
// loopback port in emulator mode, whatever .env or ALICOM_* variables the machine has.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { AppModule } from '../../sample-app/src/app.module.js';
import { SampleConfigService } from '../../sample-app/src/config/sample-config.service.js';
import { SAMPLE_ENVIRONMENT } from '../../sample-app/src/config/sample-environment.js';

/** A running sample app. */
export interface SampleAppServer {
  app: INestApplication;
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  emulator: AlicomEmulator;
  close(): Promise<void>;
}

/** Starts the sample with `env` as its only configuration (default: none, i.e. the emulator). */
export async function startSampleApp(env: Record<string, string> = {}): Promise<SampleAppServer> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(SAMPLE_ENVIRONMENT)
    .useValue(env)
    .compile();
  const app = moduleRef.createNestApplication();
  await app.listen(0, '127.0.0.1');
  const emulator = app.get(SampleConfigService).emulator;
  if (!emulator) throw new Error('the sample did not start its emulator');
  return { app, url: await app.getUrl(), emulator, close: () => app.close() };
}
