import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { EMBEDDED_EMULATOR, embeddedEmulatorProvider } from './embedded-emulator.provider.js';
import { EmulatorPushTarget } from './emulator-push-target.js';
import { EmulatorScenario } from './emulator-scenario.js';
import { DEMO_TIMING, EMULATOR_TIMING } from './emulator-timing.js';

/**
 * The embedded emulator (emulator mode only), the scenario that makes it behave like a real
 * account, and (push mode) where it pushes receipts. Closes the emulator once the app, receipt
 * listener included, has stopped.
 */
@Module({
  providers: [embeddedEmulatorProvider, { provide: EMULATOR_TIMING, useValue: DEMO_TIMING }, EmulatorScenario, EmulatorPushTarget],
  exports: [EMBEDDED_EMULATOR, EMULATOR_TIMING, EmulatorScenario],
})
export class EmulatorModule implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_EMULATOR) private readonly emulator: AlicomEmulator | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.emulator?.close();
  }
}
