import { Controller, Get, Inject } from '@nestjs/common';
import { sampleConfig, type MessageDefaults, type SampleConfig, type SampleMode } from '../config/sample.config.js';

/** How receipts reach the app: pulled from the MNS queues, pushed over HTTP, or not at all. */
export type ReceiptsMode = 'mns' | 'push' | 'off';

/** `GET /info`: what the page needs to pre-fill its form and show the modes. */
@Controller('info')
export class SampleInfoController {
  constructor(@Inject(sampleConfig.KEY) private readonly config: SampleConfig) {}

  @Get()
  info(): { mode: SampleMode; receipts: ReceiptsMode; defaults: MessageDefaults } {
    const receipts = this.config.receipts ? this.config.receipts.via : 'off';
    return { mode: this.config.mode, receipts, defaults: this.config.messageDefaults };
  }
}
