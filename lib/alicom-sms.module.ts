import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ALICOM_SMS_RESOLVED_OPTIONS } from './alicom-sms.constants.js';
import {
  ALICOM_SMS_ASYNC_OPTIONS_TYPE,
  ALICOM_SMS_MODULE_OPTIONS,
  ALICOM_SMS_OPTIONS_TYPE,
  AlicomSmsConfigurableModule,
} from './alicom-sms.module-definition.js';
import { withProtectedOptions } from './options/protected-options.js';
import { AlicomSmsClock } from './clock/alicom-sms.clock.js';
import { CompensationSchedule } from './compensation/compensation-schedule.js';
import { CompensationSweeper } from './compensation/compensation.sweeper.js';
import { HttpTransport } from './http/http-transport.js';
import type { AlicomSmsModuleOptions } from './options/alicom-sms-module-options.interface.js';
import { resolveAlicomSmsOptions } from './options/alicom-sms-options.resolver.js';
import { InFlightSends } from './receipts/delivery/in-flight-sends.js';
import { ReceiptDelivery } from './receipts/delivery/receipt-delivery.js';
import { ReceiptDispatcher } from './receipts/delivery/receipt-dispatcher.js';
import { ReportWaiters } from './receipts/delivery/report-waiters.js';
import { SmsHandlersExplorer } from './receipts/delivery/sms-handlers.explorer.js';
import { QueueTokenProvider } from './receipts/mns/queue-token.provider.js';
import { PushIntake } from './receipts/push/push-intake.js';
import { PushRoutesRegistrar } from './receipts/push/push-routes.registrar.js';
import { SmsPushReceiver } from './receipts/push/sms-push.receiver.js';
import { ReceiptStreams } from './receipts/receipt-streams.js';
import { SmsReceiptListener } from './receipts/sms-receipt.listener.js';
import { ReceiptStoreHealth } from './receipts/store/receipt-store-health.js';
import { ReceiptStoreCloser, receiptStoreProvider } from './receipts/store/receipt-store.provider.js';
import { PopRpcClient } from './rpc/pop-rpc.client.js';
import { SendTracker } from './sms/send-tracker.js';
import { SmsService } from './sms/sms.service.js';

// A factory, so validation runs for forRoot and forRootAsync alike, while Nest builds the module.
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
 * Global by default (`isGlobal: false` to scope it). Options are validated while Nest builds the
 * module: a missing key, a bad endpoint or region fails `NestFactory.create()` (or a testing
 * module's `compile()`) with one message naming every bad field.
 *
 * @publicApi
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    resolvedOptionsProvider,
    AlicomSmsClock,
    HttpTransport,
    PopRpcClient,
    SmsService,
    SendTracker,
    QueueTokenProvider,
    SmsHandlersExplorer,
    ReceiptDispatcher,
    ReceiptStreams,
    SmsReceiptListener,
    PushIntake,
    SmsPushReceiver,
    PushRoutesRegistrar,
    receiptStoreProvider,
    ReceiptStoreHealth,
    ReceiptStoreCloser,
    InFlightSends,
    ReportWaiters,
    ReceiptDelivery,
    CompensationSweeper,
    CompensationSchedule,
  ],
  exports: [SmsService, SmsReceiptListener, SmsPushReceiver, CompensationSweeper, AlicomSmsClock],
})
export class AlicomSmsModule extends AlicomSmsConfigurableModule {
  /**
   * The module with these options. The value kept under {@link ALICOM_SMS_MODULE_OPTIONS} is a
   * copy whose `accessKeySecret` and `securityToken` print as `<redacted>`.
   */
  static override forRoot(options: typeof ALICOM_SMS_OPTIONS_TYPE): DynamicModule {
    return withProtectedOptions(super.forRoot(options), ALICOM_SMS_MODULE_OPTIONS);
  }

  /**
   * The module with options from a factory, class or existing provider (`useFactory` / `useClass`
   * / `useExisting`); what it returns is kept with its secrets redacted, as with {@link forRoot}.
   */
  static override forRootAsync(options: typeof ALICOM_SMS_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withProtectedOptions(super.forRootAsync(options), ALICOM_SMS_MODULE_OPTIONS);
  }
}
