import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { sampleConfig, type SampleConfig } from '../config/sample.config.js';
import { EMBEDDED_EMULATOR } from './embedded-emulator.provider.js';
import { EMULATOR_TIMING, type EmulatorTiming } from './emulator-timing.js';

/**
 * Push mode on the emulator: once the app listens, points the emulator's HTTP batch push at the
 * app's own receiving URL, as you would enter it in the SMS console ("HTTP 批量推送").
 */
@Injectable()
export class EmulatorPushTarget implements OnModuleInit {
  private readonly logger = new Logger('EmulatorScenario');

  constructor(
    @Inject(EMBEDDED_EMULATOR) private readonly emulator: AlicomEmulator | null,
    @Inject(sampleConfig.KEY) private readonly config: SampleConfig,
    @Inject(EMULATOR_TIMING) private readonly timing: EmulatorTiming,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const emulator = this.emulator;
    const receipts = this.config.receipts;
    if (!emulator || !receipts || receipts.via !== 'push') return;
    this.adapterHost.listen$.subscribe(() => {
      const address = this.adapterHost.httpAdapter.getHttpServer().address() as AddressInfo;
      const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      emulator.push.configure({ url: `${origin}${receipts.path}/${receipts.secret}`, retryDelaysMs: this.timing.pushRetryDelaysMs });
      this.logger.log(`The emulator pushes SmsReport and SmsUp to ${origin}${receipts.path}/<secret>.`);
    });
  }
}
