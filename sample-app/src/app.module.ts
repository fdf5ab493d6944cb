import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AlicomSmsModule } from 'nestjs-alicom-sms';
import { AlicomSmsHealthIndicator } from 'nestjs-alicom-sms/terminus';
import { SampleConfigModule } from './config/sample-config.module.js';
import { SampleConfigService } from './config/sample-config.service.js';
import { EmulatorScenario } from './demo/emulator-scenario.js';
import { EventsController } from './events/events.controller.js';
import { RecentEventsStore } from './events/recent-events.store.js';
import { SmsReceiptHandlers } from './events/sms-receipt.handlers.js';
import { HealthController } from './health/health.controller.js';
import { AppShutdown } from './lifecycle/app-shutdown.js';
import { PageController } from './page/page.controller.js';
import { SampleInfoController } from './page/sample-info.controller.js';
import { AlicomSmsExceptionFilter } from './sms/alicom-sms-exception.filter.js';
import { SmsController } from './sms/sms.controller.js';

@Module({
  imports: [
    SampleConfigModule,
    // Options from a config provider, as a real app does with @nestjs/config's ConfigService.
    AlicomSmsModule.forRootAsync({
      imports: [SampleConfigModule],
      inject: [SampleConfigService],
      useFactory: (config: SampleConfigService) => config.alicomOptions(),
    }),
    TerminusModule,
  ],
  controllers: [PageController, SampleInfoController, SmsController, EventsController, HealthController],
  providers: [
    AppShutdown,
    RecentEventsStore,
    SmsReceiptHandlers,
    EmulatorScenario,
    AlicomSmsHealthIndicator,
    { provide: APP_FILTER, useClass: AlicomSmsExceptionFilter },
  ],
})
export class AppModule {}
