import type {
  AlicomSmsModuleOptions,
  AlicomSmsReceiptOptions,
} from '../options/alicom-sms-module-options.interface.js';
import type { AlicomEmulator } from './alicom-emulator.js';

/**
 * Module options to keep when pointing the module at the emulator: anything but the credentials,
 * the endpoints and the queue prefix, which always come from the emulator.
 *
 * @publicApi
 */
export type EmulatorModuleOptionsOverrides = Omit<
  Partial<AlicomSmsModuleOptions>,
  'accessKeyId' | 'accessKeySecret' | 'securityToken' | 'endpoints' | 'receipts'
> & {
  /**
   * Receipt options besides the queue prefix, or `false` to consume no receipts.
   * @default {} (receipts on, with the module's defaults)
   */
  receipts?: Omit<AlicomSmsReceiptOptions, 'queuePrefix'> | false;
};

/**
 * Complete `AlicomSmsModule` options that point at `emulator`: its credentials, its endpoints
 * (SMS, token and MNS) and its receipt queue prefix, plus any `overrides`.
 *
 * Meant for testing a whole app against the emulator without a second module instance: override
 * the options provider of the app's own module, whether the app used `forRoot` or `forRootAsync`.
 *
 * @example
 * Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(ALICOM_SMS_MODULE_OPTIONS)
 *   .useValue(emulatorModuleOptions(emulator))
 *   .compile();
 *
 * @publicApi
 */
export function emulatorModuleOptions(
  emulator: Pick<AlicomEmulator, 'credentials' | 'endpoints' | 'queuePrefix'>,
  overrides: EmulatorModuleOptionsOverrides = {},
): AlicomSmsModuleOptions {
  const { receipts = {}, ...rest } = overrides;
  return {
    ...rest,
    accessKeyId: emulator.credentials.accessKeyId,
    accessKeySecret: emulator.credentials.accessKeySecret,
    endpoints: { ...emulator.endpoints },
    receipts: receipts === false ? false : { ...receipts, queuePrefix: emulator.queuePrefix },
  };
}
