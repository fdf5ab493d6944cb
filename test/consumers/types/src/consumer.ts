// Uses every entry point the way an app does; compiled as CommonJS (this package has no "type")
// under node10, node16 and nodenext, and as bundler input. The @ts-expect-error lines fail the
// check if an import resolved to `any` instead of the package's declarations.
import { type DynamicModule, Injectable } from '@nestjs/common';
import {
  ALICOM_SMS_MODULE_OPTIONS,
  AlicomSmsError,
  AlicomSmsModule,
  COMPENSATION_SWEEP_JOB,
  OnSmsReport,
  SmsService,
  type SmsReport,
} from 'nestjs-alicom-sms';
import { AlicomEmulator, emulatorModuleOptions } from 'nestjs-alicom-sms/testing';
import { AlicomSmsHealthIndicator, type AlicomSmsHealthOptions } from 'nestjs-alicom-sms/terminus';

@Injectable()
export class Codes {
  constructor(
    private readonly sms: SmsService,
    readonly health: AlicomSmsHealthIndicator,
  ) {}

  async send(phoneNumbers: string): Promise<string> {
    const { bizId } = await this.sms.sendSms({ phoneNumbers, signName: 'sign', templateCode: 'SMS_1' });
    return bizId;
  }

  @OnSmsReport()
  onReport(report: SmsReport): boolean {
    return report.success;
  }
}

export async function testingModule(): Promise<DynamicModule> {
  const emulator: AlicomEmulator = await AlicomEmulator.start();
  return AlicomSmsModule.forRoot(emulatorModuleOptions(emulator, { receipts: { waitSeconds: 1 } }));
}

export const names: string[] = [String(ALICOM_SMS_MODULE_OPTIONS), COMPENSATION_SWEEP_JOB];
export const isAlicomError = (error: unknown): boolean => error instanceof AlicomSmsError;
export const healthOptions: AlicomSmsHealthOptions = {};

// @ts-expect-error accessKeyId must be a string
AlicomSmsModule.forRoot({ accessKeyId: 1, accessKeySecret: 'secret' });
// @ts-expect-error AlicomEmulator.start takes an options object
void AlicomEmulator.start('port');
// @ts-expect-error the health options have no such field
export const badHealth: AlicomSmsHealthOptions = { noSuchOption: true };
