import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AlicomSmsModuleOptions } from './options/alicom-sms-module-options.interface.js';

/**
 * `ALICOM_SMS_MODULE_OPTIONS` is the options as given to `forRoot()` / returned by the
 * `forRootAsync()` factory, with `accessKeySecret` and `securityToken` held as `RedactedSecret`s
 * (they print as `<redacted>`). Override it (`overrideProvider(ALICOM_SMS_MODULE_OPTIONS)`) with a
 * plain options object to point an app's tests at the emulator.
 *
 * @internal
 */
export const {
  ConfigurableModuleClass: AlicomSmsConfigurableModule,
  MODULE_OPTIONS_TOKEN: ALICOM_SMS_MODULE_OPTIONS,
  OPTIONS_TYPE: ALICOM_SMS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ALICOM_SMS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AlicomSmsModuleOptions>({ moduleName: 'AlicomSms' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
