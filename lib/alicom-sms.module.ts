import { Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ALICOM_SMS_RESOLVED_OPTIONS } from './alicom-sms.constants.js';
import { ALICOM_SMS_MODULE_OPTIONS, AlicomSmsConfigurableModule } from './alicom-sms.module-definition.js';
import { resolveAlicomSmsOptions } from './alicom-sms-options.resolver.js';
import { HttpTransport } from './http/http-transport.js';
import type { AlicomSmsModuleOptions } from './interfaces/alicom-sms-module-options.interface.js';
import { CompensationSweeper } from './compensation/compensation.sweeper.js';
import { InFlightSends } from './compensation/in-flight-sends.js';
import { receiptStoreProvider } from './compensation/receipt-store.provider.js';
import { ReportWaiters } from './compensation/report-waiters.js';
import { SendTracker } from './compensation/send-tracker.js';
import { ReceiptDelivery } from './receipts/receipt-delivery.js';
import { QueueTokenProvider } from './receipts/queue-token.provider.js';
import { ReceiptDispatcher } from './receipts/receipt-dispatcher.js';
import { SmsHandlersExplorer } from './receipts/sms-handlers.explorer.js';
import { SmsReceiptListener } from './receipts/sms-receipt.listener.js';
import { PopRpcClient } from './rpc/pop-rpc.client.js';
import { SmsService } from './sms.service.js';

// A factory, so validation runs for forRoot and forRootAsync alike and fails app.init().
const resolvedOptionsProvider: Provider = {
  provide: ALICOM_SMS_RESOLVED_OPTIONS,
  useFactory: (options: AlicomSmsModuleOptions) => resolveAlicomSmsOptions(options),
  inject: [ALICOM_SMS_MODULE_OPTIONS],
};

/**
 * Alibaba Cloud SMS for NestJS.
 *
 * @example
 * AlicomSmsModule.forRoot({ accessKeyId, accessKeySecret })
 * AlicomSmsModule.forRootAsync({ inject: [ConfigService], useFactory: (c: ConfigService) => ({ ... }) })
 *
 * Global by default (`isGlobal: false` to scope it). Options are validated at bootstrap: a missing
 * key, a bad endpoint or region fails `app.init()` with one message naming every bad field.
 *
 * @publicApi
 */
@Module({
  imports: [
    DiscoveryModule,
    // Provides a SchedulerRegistry for the compensation sweep when the app has none; discovering
    // decorated jobs stays with the app's own ScheduleModule.forRoot(), so none run twice.
    ScheduleModule.forRoot({ cronJobs: false, intervals: false, timeouts: false }),
  ],
  providers: [
    resolvedOptionsProvider,
    HttpTransport,
    PopRpcClient,
    SmsService,
    QueueTokenProvider,
    SmsHandlersExplorer,
    ReceiptDispatcher,
    SmsReceiptListener,
    receiptStoreProvider,
    InFlightSends,
    ReportWaiters,
    ReceiptDelivery,
    SendTracker,
    CompensationSweeper,
  ],
  exports: [SmsService, SmsReceiptListener, CompensationSweeper],
})
export class AlicomSmsModule extends AlicomSmsConfigurableModule {}
