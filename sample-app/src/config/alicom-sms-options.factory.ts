import { Logger } from '@nestjs/common';
import { type AlicomSmsModuleOptions, RedisReceiptStore } from 'nestjs-alicom-sms';
import type { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import type { EmulatorTiming } from '../emulator/emulator-timing.js';
import type { SampleConfig } from './sample.config.js';

const logger = new Logger('SampleConfig');

/**
 * The `AlicomSmsModule.forRootAsync()` factory: Alibaba Cloud with the configured AccessKey, or
 * the embedded emulator (started in emulator mode only). Logs which one, since the first is billed.
 */
export function alicomSmsOptions(config: SampleConfig, emulator: AlicomEmulator | null, timing: EmulatorTiming): AlicomSmsModuleOptions {
  const options = modeOptions(config, emulator, timing);
  if (!config.redis || (!options.receipts && !options.push)) return options;
  logger.log(`Receipt store: Redis at ${new URL(config.redis.url).host} (key prefix ${config.redis.keyPrefix}), shared by every instance.`);
  const store = new RedisReceiptStore({ connection: config.redis.url, keyPrefix: config.redis.keyPrefix });
  return { ...options, compensation: { ...(options.compensation || {}), store } };
}

function modeOptions(config: SampleConfig, emulator: AlicomEmulator | null, timing: EmulatorTiming): AlicomSmsModuleOptions {
  const push = config.receipts && config.receipts.via === 'push' ? { path: config.receipts.path, secret: config.receipts.secret } : false;
  if (config.alibaba) {
    const { accessKeyId, accessKeySecret, regionId } = config.alibaba;
    logger.log(`Mode: ALIBABA CLOUD with AccessKey ${maskAccessKeyId(accessKeyId)}: real SMS are sent and billed.`);
    if (push) {
      logger.log(
        `Receipts: by HTTP push. In the SMS console, set "HTTP 批量推送" for SmsReport and SmsUp to https://<this app's public host>${push.path}/<ALICOM_PUSH_SECRET>.`,
      );
      return { accessKeyId, accessKeySecret, regionId, push };
    }
    const queuePrefix = config.receipts && config.receipts.via === 'mns' ? config.receipts.queuePrefix : undefined;
    if (queuePrefix) logger.log(`Receipts: consuming ${queuePrefix}SmsReport and ${queuePrefix}SmsUp.`);
    else logger.warn('Receipts: OFF. Set ALICOM_QUEUE_PREFIX (e.g. Alicom-Queue-1092397003988387-, from the SMS console) to receive reports and replies.');
    // Compensation keeps its production defaults here (first query 10 min after a send).
    return { accessKeyId, accessKeySecret, regionId, receipts: queuePrefix ? { queuePrefix } : false };
  }
  if (!emulator) throw new Error('Emulator mode without an embedded emulator');
  logger.log(
    `Mode: EMULATOR at ${emulator.url} (no AccessKey configured; set ALICOM_ACCESS_KEY_ID, ALICOM_ACCESS_KEY_SECRET and ALICOM_QUEUE_PREFIX to use Alibaba Cloud).`,
  );
  if (push) logger.log('Receipts: pushed by the emulator to this app over HTTP (ALICOM_RECEIPTS=push).');
  return {
    ...emulator.credentials,
    endpoints: emulator.endpoints,
    ...(push ? { push } : { receipts: { queuePrefix: emulator.queuePrefix } }),
    compensation: timing.compensation,
  };
}

/** `LTAI5tAb...wxyz`: enough to tell keys apart in a log, not the whole id. */
function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 4)}****${id.slice(-4)}`;
}
