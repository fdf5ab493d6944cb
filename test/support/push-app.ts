// A Nest HTTP app (Express or Fastify) with AlicomSmsModule's push receiver, the emulator pushing
// to it, recording handlers and every log line (Nest's and Fastify's).
import 'reflect-metadata';
import { Injectable, type INestApplication, type Provider, type Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CapturingLogger, Test, type TestingModule } from '@nestjs/testing';
import {
  AlicomSmsClock,
  AlicomSmsModule,
  type AlicomSmsModuleOptions,
  type AlicomSmsPushOptions,
  OnSmsReport,
  OnSmsUp,
  type ReceiptFailure,
  SmsReceiptListener,
  type SmsReport,
  SmsService,
  type SmsUp,
} from '../../lib/index.js';
import { AlicomEmulator, type AlicomEmulatorOptions, type EmulatedPushSettings, type ManualClock } from '../../lib/testing/index.js';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];

/** The receiver's secret in these tests. */
export const PUSH_SECRET = 'Push-s3cr3t_0123456789abcdef';
export const PUSH_PATH = '/alicom/receipts';

/**
 * Fast for tests: the emulator gathers 20 ms, allows 2 s per answer (a loaded machine never turns
 * a local answer into a timeout) and retries quickly.
 */
export const QUICK_PUSH: EmulatedPushSettings = { batchWindowMs: 20, timeoutMs: 2_000, retryDelaysMs: [20, 40, 60, 80, 100] };

/** Handlers that record what they got and do what the test says. */
@Injectable()
export class RecordingHandlers {
  reports: SmsReport[] = [];
  ups: SmsUp[] = [];
  /** Handler runs that started, successful or not. */
  reportCalls = 0;
  upCalls = 0;
  onReport: (report: SmsReport) => Promise<void> | void = () => {};
  onUp: (up: SmsUp) => Promise<void> | void = () => {};

  @OnSmsReport()
  async handleReport(report: SmsReport): Promise<void> {
    this.reportCalls++;
    await this.onReport(report);
    this.reports.push(report);
  }

  @OnSmsUp()
  async handleUp(up: SmsUp): Promise<void> {
    this.upCalls++;
    await this.onUp(up);
    this.ups.push(up);
  }
}

export interface PushApp {
  platform: Platform;
  emulator: AlicomEmulator;
  moduleRef: TestingModule;
  app: INestApplication;
  origin: string;
  sms: SmsService;
  listener: SmsReceiptListener;
  handlers: RecordingHandlers;
  observed: { reports: SmsReport[]; ups: SmsUp[]; errors: ReceiptFailure[] };
  /** Nest's log lines. */
  logger: CapturingLogger;
  /** Fastify's own log lines (JSON), empty on Express. */
  platformLog: string[];
  /** Points the emulator's push at the app, secret in the URL as configured. */
  pushTo(settings?: EmulatedPushSettings, secret?: string): void;
  /** POSTs a body to the app; `target` is a path with query. */
  post(target: string, body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export interface PushAppOptions {
  push?: Partial<AlicomSmsPushOptions>;
  /** More module options; a function gets the emulator (e.g. for its queue prefix). */
  module?: Partial<AlicomSmsModuleOptions> | ((emulator: AlicomEmulator) => Partial<AlicomSmsModuleOptions>);
  emulator?: AlicomEmulatorOptions;
  clock?: ManualClock;
  providers?: Provider[];
  controllers?: Type[];
  /** Nest's `rawBody` option (for a controller that hands `req.rawBody` to the receiver). */
  rawBody?: boolean;
}

/** Starts the emulator and the app listening on 127.0.0.1. */
export async function startPushApp(platform: Platform, options: PushAppOptions = {}): Promise<PushApp> {
  const emulator = await AlicomEmulator.start(options.emulator);
  const logger = new CapturingLogger();
  const platformLog: string[] = [];
  const push = { path: PUSH_PATH, secret: PUSH_SECRET, ...options.push };
  let builder = Test.createTestingModule({
    imports: [
      AlicomSmsModule.forRoot({
        ...emulator.credentials,
        endpoints: emulator.endpoints,
        push,
        ...(typeof options.module === 'function' ? options.module(emulator) : options.module),
      }),
    ],
    providers: [RecordingHandlers, ...(options.providers ?? [])],
    controllers: options.controllers ?? [],
  }).setLogger(logger);
  if (options.clock) builder = builder.overrideProvider(AlicomSmsClock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app =
    platform === 'express'
      ? moduleRef.createNestApplication({ rawBody: options.rawBody ?? false })
      : moduleRef.createNestApplication(
          new FastifyAdapter({ logger: { level: 'trace', stream: { write: (line: string) => void platformLog.push(line) } } }),
          { rawBody: options.rawBody ?? false },
        );
  const listener = moduleRef.get(SmsReceiptListener);
  const observed = { reports: [] as SmsReport[], ups: [] as SmsUp[], errors: [] as ReceiptFailure[] };
  listener.reports$.subscribe((r) => observed.reports.push(r));
  listener.ups$.subscribe((u) => observed.ups.push(u));
  listener.errors$.subscribe((e) => observed.errors.push(e));
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const secretIn = options.push?.secretIn ?? 'path';
  return {
    platform,
    emulator,
    moduleRef,
    app,
    origin,
    sms: moduleRef.get(SmsService),
    listener,
    handlers: moduleRef.get(RecordingHandlers),
    observed,
    logger,
    platformLog,
    pushTo(settings = QUICK_PUSH, secret = PUSH_SECRET) {
      const path = options.push?.path ?? PUSH_PATH;
      const url = secretIn === 'path' ? `${origin}${path}/${secret}` : `${origin}${path}?secret=${secret}`;
      emulator.push.configure({ ...settings, url });
    },
    async post(target, body, headers = { 'content-type': 'application/json' }) {
      const response = await fetch(`${origin}${target}`, { method: 'POST', body, headers });
      return { status: response.status, body: await response.text() };
    },
    async close() {
      await app.close();
      await emulator.close();
    },
  };
}
