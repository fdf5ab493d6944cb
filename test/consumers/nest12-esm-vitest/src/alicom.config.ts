import type { AlicomSmsModuleOptions } from 'nestjs-alicom-sms';

/**
 * The app's production configuration of nestjs-alicom-sms, from the environment.
 * ALICOM_SMS_ENDPOINT, ALICOM_TOKEN_ENDPOINT and ALICOM_MNS_ENDPOINT (optional) replace Alibaba's
 * hosts, e.g. by VPC endpoints.
 */
export function alicomOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AlicomSmsModuleOptions {
  return {
    accessKeyId: env.ALICOM_ACCESS_KEY_ID ?? '',
    accessKeySecret: env.ALICOM_ACCESS_KEY_SECRET ?? '',
    endpoints: { sms: env.ALICOM_SMS_ENDPOINT, token: env.ALICOM_TOKEN_ENDPOINT, mns: env.ALICOM_MNS_ENDPOINT },
    receipts: { queuePrefix: env.ALICOM_QUEUE_PREFIX ?? '' },
  };
}
