import type { AlicomSmsModuleOptions } from 'nestjs-alicom-sms';

/**
 * The app's production configuration of nestjs-alicom-sms, from the environment.
 * ALICOM_ENDPOINT (optional) replaces Alibaba's SMS, token and MNS hosts, e.g. by a VPC endpoint.
 */
export function alicomOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AlicomSmsModuleOptions {
  const endpoint = env.ALICOM_ENDPOINT;
  return {
    accessKeyId: env.ALICOM_ACCESS_KEY_ID ?? '',
    accessKeySecret: env.ALICOM_ACCESS_KEY_SECRET ?? '',
    endpoints: endpoint ? { sms: endpoint, token: endpoint, mns: endpoint } : undefined,
    receipts: { queuePrefix: env.ALICOM_QUEUE_PREFIX ?? '' },
  };
}
