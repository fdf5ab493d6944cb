import { Module } from '@nestjs/common';
import { SampleConfigService } from './sample-config.service.js';

@Module({ providers: [SampleConfigService], exports: [SampleConfigService] })
export class SampleConfigModule {}
