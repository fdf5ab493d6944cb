import { registerAs } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
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
 * mode, the emulator's own), or pushed by Alibaba to this app (ALICOM_RECEIPTS=push).
 */
export interface MnsReceipts {
  via: 'mns';
  queuePrefix?: string;
}

/** Receipts pushed by Alibaba ("HTTP 批量推送") to `<public origin><path>/<secret>`. */
export interface PushReceipts {
  via: 'push';
  path: string;
  /** Never shown on the page or in the log. */
  secret: string;
}

/** The path the sample receives pushed receipts on. */
export const PUSH_PATH = '/alicom/receipts';

/** The sample's settings, typed and validated; inject with `@Inject(sampleConfig.KEY)`. */
export interface SampleConfig {
  mode: SampleMode;
  /** HTTP port (PORT, default 3000; 0 picks a free one). */
  port: number;
  /** Interface to listen on (HOST, default 127.0.0.1). */
  host: string;
  /** Alibaba mode only: the RAM user's AccessKey and region. */
  alibaba?: { accessKeyId: string; accessKeySecret: string; regionId?: string };
  /** `false`: receipts off (Alibaba mode, MNS, without ALICOM_QUEUE_PREFIX). */
  receipts: MnsReceipts | PushReceipts | false;
  /** A Redis receipt store shared by every instance (ALICOM_REDIS_URL), else the in-memory one. */
  redis?: { url: string; keyPrefix: string };
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
  const receipts: SampleConfig['receipts'] =
    vars.ALICOM_RECEIPTS === 'push'
      ? { via: 'push', path: PUSH_PATH, secret: vars.ALICOM_PUSH_SECRET ?? randomBytes(24).toString('base64url') }
      : emulator
        ? { via: 'mns' }
        : queuePrefix
          ? { via: 'mns', queuePrefix }
          : false;
  return {
    mode: emulator ? 'emulator' : 'alibaba',
    port: vars.PORT,
    host: vars.HOST,
    alibaba,
    receipts,
    redis: vars.ALICOM_REDIS_URL ? { url: vars.ALICOM_REDIS_URL, keyPrefix: vars.ALICOM_REDIS_KEY_PREFIX ?? 'alicom-sample' } : undefined,
    messageDefaults: {
      signName: vars.ALICOM_SIGN_NAME ?? fallback.signName,
      templateCode: vars.ALICOM_TEMPLATE_CODE ?? fallback.templateCode,
      phoneNumber: vars.ALICOM_TEST_PHONE ?? fallback.phoneNumber,
    },
  };
}

/** The `sample` configuration namespace, read once `ConfigModule` has loaded the `.env` files. */
export const sampleConfig = registerAs('sample', (): SampleConfig => readSampleConfig(process.env));
