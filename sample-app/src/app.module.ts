import { Module } from '@nestjs/common';
import { AlicomSmsModule } from 'nestjs-alicom-sms';
import { SampleConfigModule } from './sample-config.module.js';
import { SampleConfigService } from './sample-config.service.js';

@Module({
  imports: [
    SampleConfigModule,
    AlicomSmsModule.forRootAsync({
      imports: [SampleConfigModule],
      inject: [SampleConfigService],
      useFactory: (config: SampleConfigService) => config.alicomOptions(),
    }),
  ],
})
export class AppModule {}
