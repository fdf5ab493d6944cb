import type { Dispatcher } from 'undici';
import type { AccessKeyCredentials } from '../utils/access-key-credentials.js';
import type {
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
  compensation: ResolvedCompensationOptions | false;
  dispatcher?: Dispatcher;
}

/** Compensation options with every default applied (internal). */
export type ResolvedCompensationOptions = Required<Omit<AlicomSmsCompensationOptions, 'store'>> &
  Pick<AlicomSmsCompensationOptions, 'store'>;
