import type { Dispatcher } from 'undici';
import type { AccessKeyCredentials } from '../utils/access-key-credentials.js';
import type { PushSecret } from '../receipts/push/push-secret.js';
import type { SourceAllowList } from '../receipts/push/source-address.js';
import type {
  AlicomMessageType,
  AlicomSmsCompensationOptions,
  AlicomSmsEndpoints,
  AlicomSmsReceiptOptions,
} from './alicom-sms-module-options.interface.js';

// The options as the module's providers read them: validated, every default applied. Internal.

/** Receipt options with every default applied (internal). */
export type ResolvedReceiptOptions = Required<Omit<AlicomSmsReceiptOptions, 'onPoisonMessage'>> &
  Pick<AlicomSmsReceiptOptions, 'onPoisonMessage'>;

/** Options with every default applied (internal). */
export interface ResolvedAlicomSmsOptions {
  credentials: AccessKeyCredentials;
  regionId: string;
  endpoints: Required<AlicomSmsEndpoints>;
  requestTimeoutMs: number;
  maxQueryRetries: number;
  maxResponseBytes: number;
  receipts: ResolvedReceiptOptions | false;
  push: ResolvedPushOptions | false;
  compensation: ResolvedCompensationOptions | false;
  dispatcher?: Dispatcher;
}

/** Compensation options with every default applied (internal). */
export type ResolvedCompensationOptions = Required<Omit<AlicomSmsCompensationOptions, 'store'>> &
  Pick<AlicomSmsCompensationOptions, 'store'>;

/** A receiving path and the type it takes (`undefined`: every pushed type, told per item) (internal). */
export interface ResolvedPushRoute {
  path: string;
  type?: AlicomMessageType;
}

/** Push options with every default applied (internal). */
export interface ResolvedPushOptions {
  routes: ResolvedPushRoute[];
  types: AlicomMessageType[];
  secret?: PushSecret;
  secretIn: 'path' | 'query';
  allowFrom?: SourceAllowList;
  trustProxy: number;
  maxBodyBytes: number;
  answerTimeoutMs: number;
  maxConcurrentRequests: number;
  registerRoutes: boolean;
  shutdownTimeoutMs: number;
}
