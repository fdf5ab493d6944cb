import { registerAs } from '@nestjs/config';
import { join } from 'node:path';
import { validateEnvironment } from './environment-variables.js';

/** Where the sample sends: Alibaba Cloud when an AccessKey is set, else the embedded emulator. */
export type SampleMode = 'alibaba' | 'emulator';

/** Signature, template and number the page pre-fills. */
export interface MessageDefaults {
  signName?: string;
  templateCode?: string;
  phoneNumber?: string;
}

/**
 * How receipts reach the sample: pulled from the Alicom MNS queues with this prefix (in emulator
 * mode, the emulator's own). One variant per way Alibaba hands receipts over; HTTP push would be
 * the second.
 */
export interface MnsReceipts {
  via: 'mns';
  queuePrefix?: string;
}

/** The sample's settings, typed and validated; inject with `@Inject(sampleConfig.KEY)`. */
export interface SampleConfig {
  mode: SampleMode;
  /** HTTP port (PORT, default 3000; 0 picks a free one). */
  port: number;
  /** Interface to listen on (HOST, default 127.0.0.1). */
  host: string;
  /** Alibaba mode only: the RAM user's AccessKey and region. */
  alibaba?: { accessKeyId: string; accessKeySecret: string; regionId?: string };
  /** `false`: receipts off (Alibaba mode without ALICOM_QUEUE_PREFIX). */
  receipts: MnsReceipts | false;
  messageDefaults: MessageDefaults;
}

/** Demo signature and template: any value works on the emulator (it approves everything by default). */
const EMULATOR_MESSAGE_DEFAULTS: MessageDefaults = { signName: '阿里云短信测试', templateCode: 'SMS_154950909', phoneNumber: '13800138000' };

/**
 * The `.env` files the sample reads, the first one found winning for a variable: `sample-app/.env`,
 * then `.env`, both under the working directory (the repo root under `npm start`). Variables set
 * in the real environment win over both.
 */
export function envFilePaths(cwd: string = process.cwd()): string[] {
  return [join(cwd, 'sample-app', '.env'), join(cwd, '.env')];
}

/** The sample's settings from `env` (throws naming every invalid variable). */
export function readSampleConfig(env: Readonly<Record<string, string | undefined>>): SampleConfig {
  const vars = validateEnvironment(env);
  const { ALICOM_ACCESS_KEY_ID: accessKeyId, ALICOM_ACCESS_KEY_SECRET: accessKeySecret } = vars;
  const alibaba = accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret, regionId: vars.ALICOM_REGION_ID } : undefined;
  const emulator = alibaba === undefined;
  const fallback = emulator ? EMULATOR_MESSAGE_DEFAULTS : {};
  const queuePrefix = vars.ALICOM_QUEUE_PREFIX;
  return {
    mode: emulator ? 'emulator' : 'alibaba',
    port: vars.PORT,
    host: vars.HOST,
    alibaba,
    receipts: emulator ? { via: 'mns' } : queuePrefix ? { via: 'mns', queuePrefix } : false,
    messageDefaults: {
      signName: vars.ALICOM_SIGN_NAME ?? fallback.signName,
      templateCode: vars.ALICOM_TEMPLATE_CODE ?? fallback.templateCode,
      phoneNumber: vars.ALICOM_TEST_PHONE ?? fallback.phoneNumber,
    },
  };
}

/** The `sample` configuration namespace, read once `ConfigModule` has loaded the `.env` files. */
export const sampleConfig = registerAs('sample', (): SampleConfig => readSampleConfig(process.env));
