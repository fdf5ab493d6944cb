import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AlicomSmsModuleOptions, AlicomSmsReceiptOptions } from 'nestjs-alicom-sms';
import { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { SAMPLE_ENVIRONMENT, type SampleEnvironment } from './sample-environment.js';

/** Where the sample sends: Alibaba Cloud when credentials are set, else an in-process emulator. */
export type SampleMode = 'alibaba' | 'emulator';

/** Signature, template and number the page pre-fills. */
export interface MessageDefaults {
  signName?: string;
  templateCode?: string;
  phoneNumber?: string;
}

/** Demo signature and template: any value works on the emulator (it approves everything by default). */
const EMULATOR_DEFAULTS = { signName: '阿里云短信测试', templateCode: 'SMS_154950909', phoneNumber: '13800138000' };

/**
 * The sample's configuration provider. A real app would use @nestjs/config's ConfigService; this
 * one reads the same variables (environment, or a `.env` file) and, when no AccessKey is set,
 * starts the emulator so the sample runs with zero setup.
 */
@Injectable()
export class SampleConfigService implements OnApplicationShutdown {
  private readonly logger = new Logger('SampleConfig');
  private startedEmulator?: AlicomEmulator;
  /** `alibaba` when ALICOM_ACCESS_KEY_ID and ALICOM_ACCESS_KEY_SECRET are set. */
  readonly mode: SampleMode;

  constructor(@Inject(SAMPLE_ENVIRONMENT) private readonly env: SampleEnvironment) {
    this.mode = env.ALICOM_ACCESS_KEY_ID && env.ALICOM_ACCESS_KEY_SECRET ? 'alibaba' : 'emulator';
  }

  /** The in-process emulator (emulator mode, once {@link alicomOptions} ran). */
  get emulator(): AlicomEmulator | undefined {
    return this.startedEmulator;
  }

  /** HTTP port: PORT, default 3000 (0 picks a free one). */
  get port(): number {
    const raw = this.env.PORT;
    if (raw === undefined || raw === '') return 3000;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got "${raw}"`);
    return port;
  }

  /** Interface to listen on: HOST, default 127.0.0.1 (the sample is not meant to be exposed). */
  get host(): string {
    return this.env.HOST || '127.0.0.1';
  }

  /** Form defaults: ALICOM_SIGN_NAME / ALICOM_TEMPLATE_CODE / ALICOM_TEST_PHONE, or demo values on the emulator. */
  get messageDefaults(): MessageDefaults {
    const fallback: MessageDefaults = this.mode === 'emulator' ? EMULATOR_DEFAULTS : {};
    return {
      signName: this.env.ALICOM_SIGN_NAME || fallback.signName,
      templateCode: this.env.ALICOM_TEMPLATE_CODE || fallback.templateCode,
      phoneNumber: this.env.ALICOM_TEST_PHONE || fallback.phoneNumber,
    };
  }

  /** Builds the module options (the `forRootAsync` factory), starting the emulator in emulator mode. */
  async alicomOptions(): Promise<AlicomSmsModuleOptions> {
    return this.mode === 'alibaba' ? this.alibabaOptions() : this.emulatorOptions();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.startedEmulator?.close();
  }

  private alibabaOptions(): AlicomSmsModuleOptions {
    const env = this.env;
    const accessKeyId = env.ALICOM_ACCESS_KEY_ID!;
    this.logger.log(`Mode: ALIBABA CLOUD with AccessKey ${maskAccessKeyId(accessKeyId)}: real SMS are sent and billed.`);
    const queuePrefix = env.ALICOM_QUEUE_PREFIX;
    const receipts: AlicomSmsReceiptOptions | false = queuePrefix ? { queuePrefix } : false;
    if (receipts) this.logger.log(`Receipts: consuming ${queuePrefix}SmsReport and ${queuePrefix}SmsUp.`);
    else this.logger.warn('Receipts: OFF. Set ALICOM_QUEUE_PREFIX (e.g. Alicom-Queue-1092397003988387-, from the SMS console) to receive reports and replies.');
    return {
      accessKeyId,
      accessKeySecret: env.ALICOM_ACCESS_KEY_SECRET!,
      regionId: env.ALICOM_REGION_ID || undefined,
      receipts,
      // Compensation uses its production defaults here (first query 10 min after a send).
    };
  }

  private async emulatorOptions(): Promise<AlicomSmsModuleOptions> {
    const emulator = await AlicomEmulator.start();
    this.startedEmulator = emulator;
    this.logger.log(
      `Mode: EMULATOR at ${emulator.url} (no AccessKey configured; set ALICOM_ACCESS_KEY_ID, ALICOM_ACCESS_KEY_SECRET and ALICOM_QUEUE_PREFIX to use Alibaba Cloud).`,
    );
    return {
      ...emulator.credentials,
      endpoints: emulator.endpoints,
      receipts: { queuePrefix: emulator.queuePrefix },
      // Short delays so the demo shows back-filled reports within seconds, not the default 10 min.
      compensation: { queryAfterMs: 5_000, recheckIntervalMs: 5_000, sweepIntervalMs: 2_000 },
    };
  }
}

/** `LTAI5tAb...wxyz`: enough to tell keys apart in a log, not the whole id. */
function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 4)}****${id.slice(-4)}`;
}
