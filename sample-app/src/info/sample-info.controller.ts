import { Controller, Get, Inject } from '@nestjs/common';
import { sampleConfig, type MessageDefaults, type SampleConfig, type SampleMode } from '../config/sample.config.js';

/** `GET /info`: what the page needs to pre-fill its form and show the mode. */
@Controller('info')
export class SampleInfoController {
  constructor(@Inject(sampleConfig.KEY) private readonly config: SampleConfig) {}

  @Get()
  info(): { mode: SampleMode; defaults: MessageDefaults } {
    return { mode: this.config.mode, defaults: this.config.messageDefaults };
  }
}
