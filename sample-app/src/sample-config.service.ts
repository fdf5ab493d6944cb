import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AlicomSmsModuleOptions } from 'nestjs-alicom-sms';
import { AlicomEmulator } from 'nestjs-alicom-sms/testing';

/** Where the sample sends: Alibaba Cloud when credentials are set, else an in-process emulator. */
export type SampleMode = 'alibaba' | 'emulator';

/**
 * The sample's configuration provider. A real app would use @nestjs/config's ConfigService; this
 * one reads the same environment variables and, when none are set, starts the emulator so the
 * sample runs with zero setup.
 */
@Injectable()
export class SampleConfigService implements OnApplicationShutdown {
  private readonly logger = new Logger('SampleConfig');
  private emulator?: AlicomEmulator;
  mode: SampleMode = 'emulator';

  /** Builds the module options, starting the emulator when no credentials are configured. */
  async alicomOptions(): Promise<AlicomSmsModuleOptions> {
    const env = process.env;
    if (env.ALICOM_ACCESS_KEY_ID && env.ALICOM_ACCESS_KEY_SECRET) {
      this.mode = 'alibaba';
      this.logger.log(`Mode: ALIBABA CLOUD (AccessKey ${env.ALICOM_ACCESS_KEY_ID}); real SMS will be sent.`);
      return {
        accessKeyId: env.ALICOM_ACCESS_KEY_ID,
        accessKeySecret: env.ALICOM_ACCESS_KEY_SECRET,
        regionId: env.ALICOM_REGION_ID || undefined,
      };
    }
    this.emulator = await AlicomEmulator.start();
    this.mode = 'emulator';
    this.logger.log(`Mode: EMULATOR at ${this.emulator.url} (set ALICOM_ACCESS_KEY_ID / ALICOM_ACCESS_KEY_SECRET to use Alibaba Cloud).`);
    return {
      accessKeyId: this.emulator.credentials.accessKeyId,
      accessKeySecret: this.emulator.credentials.accessKeySecret,
      endpoints: this.emulator.endpoints,
    };
  }

  /** What to send in the demo: from ALICOM_SIGN_NAME / ALICOM_TEMPLATE_CODE / ALICOM_TEST_PHONE, or demo values on the emulator. */
  demoMessage(): { signName: string; templateCode: string; phoneNumber: string } | undefined {
    const env = process.env;
    if (this.mode === 'emulator') {
      return { signName: env.ALICOM_SIGN_NAME ?? '阿里云短信测试', templateCode: env.ALICOM_TEMPLATE_CODE ?? 'SMS_154950909', phoneNumber: env.ALICOM_TEST_PHONE ?? '13800138000' };
    }
    if (env.ALICOM_SIGN_NAME && env.ALICOM_TEMPLATE_CODE && env.ALICOM_TEST_PHONE) {
      return { signName: env.ALICOM_SIGN_NAME, templateCode: env.ALICOM_TEMPLATE_CODE, phoneNumber: env.ALICOM_TEST_PHONE };
    }
    return undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.emulator?.close();
  }
}
