// The app's own ScheduleModule.forRoot() and @Interval job next to AlicomSmsModule, whichever
// module the app imports first: both jobs are in the app's SchedulerRegistry and the app can
// stop the library's sweep there.
import { Module } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { ALICOM_SMS_MODULE_OPTIONS, AlicomSmsModule, COMPENSATION_SWEEP_JOB } from 'nestjs-alicom-sms';
import { AlicomEmulator, emulatorModuleOptions } from 'nestjs-alicom-sms/testing';
import { alicomOptionsFromEnv } from '../src/alicom.config';
import { AppModule } from '../src/app.module';
import { UserTicker } from '../src/user-ticker';
import { VerificationService } from '../src/verification.service';

/** The same app with its scheduler imported after AlicomSmsModule. */
@Module({
  imports: [AlicomSmsModule.forRootAsync({ useFactory: () => alicomOptionsFromEnv() }), ScheduleModule.forRoot()],
  providers: [UserTicker, VerificationService],
})
class SchedulerLastAppModule {}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each([
  ['imported before AlicomSmsModule', AppModule],
  ['imported after AlicomSmsModule', SchedulerLastAppModule],
])("the app's own ScheduleModule %s", (_order, appModule) => {
  let emulator: AlicomEmulator;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    emulator = await AlicomEmulator.start();
    moduleRef = await Test.createTestingModule({ imports: [appModule] })
      .overrideProvider(ALICOM_SMS_MODULE_OPTIONS)
      .useValue(emulatorModuleOptions(emulator))
      .compile();
    await moduleRef.init();
  });

  afterEach(async () => {
    await moduleRef.close();
    await emulator.close();
  });

  it("shows the app's user-ticker and the library's sweep in the app's SchedulerRegistry", async () => {
    const registry = moduleRef.get(SchedulerRegistry);
    expect([...registry.getIntervals()].sort()).toEqual([COMPENSATION_SWEEP_JOB, 'user-ticker'].sort());
    const ticker = moduleRef.get(UserTicker);
    await waitFor('the app job to run twice', () => ticker.ticks >= 2);
  });

  it('lets the app stop the sweep with deleteInterval(COMPENSATION_SWEEP_JOB), keeping its own job', async () => {
    const registry = moduleRef.get(SchedulerRegistry);
    registry.deleteInterval(COMPENSATION_SWEEP_JOB);
    expect(registry.getIntervals()).toEqual(['user-ticker']);
    const ticker = moduleRef.get(UserTicker);
    const ticks = ticker.ticks;
    await waitFor('the app job to keep running', () => ticker.ticks >= ticks + 2);
  });
});
