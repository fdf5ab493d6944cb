import { Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ALICOM_SMS_RESOLVED_OPTIONS } from './alicom-sms.constants.js';
import { ALICOM_SMS_MODULE_OPTIONS, AlicomSmsConfigurableModule } from './alicom-sms.module-definition.js';
import { resolveAlicomSmsOptions } from './alicom-sms-options.resolver.js';
import { HttpTransport } from './http/http-transport.js';
import type { AlicomSmsModuleOptions } from './interfaces/alicom-sms-module-options.interface.js';
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
  imports: [DiscoveryModule],
  providers: [
    resolvedOptionsProvider,
    HttpTransport,
    PopRpcClient,
    SmsService,
    QueueTokenProvider,
    SmsHandlersExplorer,
    ReceiptDispatcher,
    SmsReceiptListener,
  ],
  exports: [SmsService, SmsReceiptListener],
})
export class AlicomSmsModule extends AlicomSmsConfigurableModule {}
