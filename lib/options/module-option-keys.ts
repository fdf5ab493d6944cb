/** The fields of `AlicomSmsModuleOptions` (the resolver rejects any other). */
export const MODULE_OPTION_KEYS = [
  'accessKeyId',
  'accessKeySecret',
  'securityToken',
  'regionId',
  'endpoints',
  'requestTimeoutMs',
  'maxQueryRetries',
  'maxResponseBytes',
  'receipts',
  'push',
  'compensation',
  'dispatcher',
] as const;
