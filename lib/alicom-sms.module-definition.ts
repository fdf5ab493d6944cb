import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AlicomSmsModuleOptions } from './options/alicom-sms-module-options.interface.js';

const definition = new ConfigurableModuleBuilder<AlicomSmsModuleOptions>({ moduleName: 'AlicomSms' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The builder's module class, with `forRoot()` / `forRootAsync()` (internal). */
export const AlicomSmsConfigurableModule = definition.ConfigurableModuleClass;
/** The builder's option types (type-only proxies: never read them at run time; internal). */
export const ALICOM_SMS_OPTIONS_TYPE = definition.OPTIONS_TYPE;
export const ALICOM_SMS_ASYNC_OPTIONS_TYPE = definition.ASYNC_OPTIONS_TYPE;

/**
 * Injection token of the module options as given to `forRoot()` / returned by the `forRootAsync()`
 * factory, with `accessKeySecret`, `securityToken` and the push secret held as `RedactedSecret`s
 * (they print as `<redacted>`). Override it (`overrideProvider(ALICOM_SMS_MODULE_OPTIONS)`) with a
 * plain options object to point an app's tests at the emulator (see `emulatorModuleOptions()` in
 * `nestjs-alicom-sms/testing`).
 *
 * @publicApi
 */
export const ALICOM_SMS_MODULE_OPTIONS = definition.MODULE_OPTIONS_TOKEN;
