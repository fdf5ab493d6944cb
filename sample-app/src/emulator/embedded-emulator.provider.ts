import type { FactoryProvider } from '@nestjs/common';
import { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { sampleConfig, type SampleConfig } from '../config/sample.config.js';

/**
 * Token of the in-process emulator the sample runs on when no AccessKey is configured, so
 * `npm start` needs no setup: an `AlicomEmulator`, or `null` in Alibaba mode.
 */
export const EMBEDDED_EMULATOR = Symbol('EMBEDDED_EMULATOR');

export const embeddedEmulatorProvider: FactoryProvider<AlicomEmulator | null> = {
  provide: EMBEDDED_EMULATOR,
  inject: [sampleConfig.KEY],
  useFactory: (config: SampleConfig) => (config.mode === 'emulator' ? AlicomEmulator.start() : null),
};
