import { Module, ValidationPipe } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AlicomSmsModule } from 'nestjs-alicom-sms';
import { AlicomSmsHealthIndicator } from 'nestjs-alicom-sms/terminus';
import { alicomSmsOptions } from './config/alicom-sms-options.factory.js';
import { envFilePaths, sampleConfig } from './config/sample.config.js';
import { EMBEDDED_EMULATOR } from './emulator/embedded-emulator.provider.js';
import { EmulatorModule } from './emulator/emulator.module.js';
import { EMULATOR_TIMING } from './emulator/emulator-timing.js';
import { EventsController } from './events/events.controller.js';
import { RecentEventsStore } from './events/recent-events.store.js';
import { SmsReceiptHandlers } from './events/sms-receipt.handlers.js';
import { HealthController } from './health/health.controller.js';
import { SampleInfoController } from './info/sample-info.controller.js';
import { AppShutdown } from './lifecycle/app-shutdown.js';
import { AlicomSmsExceptionFilter } from './sms/alicom-sms-exception.filter.js';
import { validationFailed } from './sms/invalid-request.js';
import { SmsController } from './sms/sms.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, envFilePath: envFilePaths(), load: [sampleConfig] }),
    EmulatorModule,
    AlicomSmsModule.forRootAsync({
      imports: [EmulatorModule],
      inject: [sampleConfig.KEY, EMBEDDED_EMULATOR, EMULATOR_TIMING],
      useFactory: alicomSmsOptions,
    }),
    TerminusModule,
  ],
  controllers: [SampleInfoController, SmsController, EventsController, HealthController],
  providers: [
    AppShutdown,
    RecentEventsStore,
    SmsReceiptHandlers,
    AlicomSmsHealthIndicator,
    { provide: APP_FILTER, useClass: AlicomSmsExceptionFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        transform: true,
        whitelist: true,
        forbidNonWhitelisted: true,
        // The target lets the exception factory tell a JSON array from an object.
        validationError: { target: true },
        exceptionFactory: validationFailed,
      }),
    },
  ],
})
export class AppModule {}
