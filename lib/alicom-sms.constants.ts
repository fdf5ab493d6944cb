/** Injection token of the validated options with every default filled in (internal). */
export const ALICOM_SMS_RESOLVED_OPTIONS = Symbol('ALICOM_SMS_RESOLVED_OPTIONS');

/** API version shared by Dysmsapi and Dybaseapi (PROTOCOL.md §1.1). */
export const POP_API_VERSION = '2017-05-25';

/** MNS REST API version header value (PROTOCOL.md §4.1). */
export const MNS_API_VERSION = '2015-06-06';

/** Alibaba-owned MNS account that hosts the mainland Alicom receipt queues (PROTOCOL.md §1.4). */
export const ALICOM_MNS_ACCOUNT_ID = '1943695596114318';

/** Region used when `regionId` is not given. */
export const DEFAULT_REGION_ID = 'cn-hangzhou';

/**
 * Regions this module knows endpoints for. Mainland regions share the single Dysmsapi host;
 * the others have their own (PROTOCOL.md §1.2).
 */
export const SMS_ENDPOINT_BY_REGION: Readonly<Record<string, string>> = {
  'cn-hangzhou': 'https://dysmsapi.aliyuncs.com',
  'cn-shanghai': 'https://dysmsapi.aliyuncs.com',
  'cn-beijing': 'https://dysmsapi.aliyuncs.com',
  'cn-shenzhen': 'https://dysmsapi.aliyuncs.com',
  'cn-qingdao': 'https://dysmsapi.aliyuncs.com',
  'cn-zhangjiakou': 'https://dysmsapi.aliyuncs.com',
  'cn-huhehaote': 'https://dysmsapi.aliyuncs.com',
  'cn-chengdu': 'https://dysmsapi.aliyuncs.com',
  'cn-hongkong': 'https://dysmsapi.aliyuncs.com',
  'ap-southeast-1': 'https://dysmsapi.ap-southeast-1.aliyuncs.com',
  'ap-southeast-5': 'https://dysmsapi.ap-southeast-5.aliyuncs.com',
  'eu-central-1': 'https://dysmsapi.eu-central-1.aliyuncs.com',
  'us-east-1': 'https://dysmsapi.us-east-1.aliyuncs.com',
};

/** Dybaseapi (receipt-queue token) host per region; mainland shares one host. */
export function defaultTokenEndpoint(regionId: string): string {
  return regionId === 'ap-southeast-1'
    ? 'https://dybaseapi.ap-southeast-1.aliyuncs.com'
    : 'https://dybaseapi.aliyuncs.com';
}

/**
 * MNS host of the Alicom receipt queues. The queues only exist in the four mainland regions the
 * official Alicom SDK supports; every other region falls back to cn-hangzhou, where the queues
 * of the mainland SMS service live.
 */
export function defaultMnsEndpoint(regionId: string): string {
  const mnsRegions = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen'];
  const region = mnsRegions.includes(regionId) ? regionId : 'cn-hangzhou';
  return `https://${ALICOM_MNS_ACCOUNT_ID}.mns.${region}.aliyuncs.com`;
}

/** Metadata key set by `@OnSmsReport()`. */
export const ON_SMS_REPORT_METADATA = 'alicom-sms:on_sms_report';
/** Metadata key set by `@OnSmsUp()`. */
export const ON_SMS_UP_METADATA = 'alicom-sms:on_sms_up';
