import { Controller, Get } from '@nestjs/common';
import { SampleConfigService, type MessageDefaults, type SampleMode } from '../config/sample-config.service.js';

/** `GET /info`: what the page needs to pre-fill its form and show the mode. */
@Controller('info')
export class SampleInfoController {
  constructor(private readonly config: SampleConfigService) {}

  @Get()
  info(): { mode: SampleMode; defaults: MessageDefaults } {
    return { mode: this.config.mode, defaults: this.config.messageDefaults };
  }
}
