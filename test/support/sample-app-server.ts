// Starts the sample app (sample-app/src, importing the package by its own name) on a free
// loopback port in emulator mode, whatever .env or ALICOM_* variables the machine has.
import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AlicomSmsClock } from 'nestjs-alicom-sms';
import type { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { fileURLToPath } from 'node:url';
import { AppModule } from '../../sample-app/src/app.module.js';
import { readSampleConfig, sampleConfig } from '../../sample-app/src/config/sample.config.js';
import { EMBEDDED_EMULATOR } from '../../sample-app/src/emulator/embedded-emulator.provider.js';
import { EMULATOR_TIMING, type EmulatorTiming } from '../../sample-app/src/emulator/emulator-timing.js';

/** What `main.ts` serves the page from; this file runs from `.test-dist/test/support/`. */
const PUBLIC_DIR = fileURLToPath(new URL('../../../sample-app/public', import.meta.url));

/**
 * The emulated account without the demo's pauses: outcomes and replies at once, and compensation
 * left to the test (it calls `CompensationSweeper#sweep()`; the job would wait an hour).
 */
export const TEST_TIMING: EmulatorTiming = {
  reportDelayMs: 0,
  replyDelayMs: 0,
  pushRetryDelaysMs: [20, 50, 100],
  compensation: { queryAfterMs: 1_000, recheckIntervalMs: 1_000, sweepIntervalMs: 3_600_000 },
};

/** A running sample app. */
export interface SampleAppServer {
  app: NestExpressApplication;
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  emulator: AlicomEmulator;
  close(): Promise<void>;
}

export interface SampleAppOptions {
  /** The only configuration variables the sample sees. @default {} (emulator mode) */
  env?: Record<string, string>;
  /** @default TEST_TIMING */
  timing?: EmulatorTiming;
  /** The module's clock, e.g. a `ManualClock`. @default the wall clock */
  clock?: AlicomSmsClock;
}

/** Starts the sample as `main.ts` does, with `env` as its only configuration. */
export async function startSampleApp({ env = {}, timing = TEST_TIMING, clock = new AlicomSmsClock() }: SampleAppOptions = {}): Promise<SampleAppServer> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(sampleConfig.KEY)
    .useValue(readSampleConfig(env))
    .overrideProvider(EMULATOR_TIMING)
    .useValue(timing)
    .overrideProvider(AlicomSmsClock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ forceCloseConnections: true });
  app.useStaticAssets(PUBLIC_DIR);
  await app.listen(0, '127.0.0.1');
  const emulator = app.get<AlicomEmulator | null>(EMBEDDED_EMULATOR);
  if (!emulator) throw new Error('the sample did not start its emulator');
  return { app, url: await app.getUrl(), emulator, close: () => app.close() };
}
