import type { AlicomMessageType } from '../options/alicom-sms-module-options.interface.js';
import { AlicomSmsError } from './alicom-sms.error.js';

/**
 * What is wrong with a pushed request body or item: larger than `push.maxBodyBytes`, not complete
 * within `push.answerTimeoutMs`, not UTF-8, not JSON, not a JSON array, or an item that is not a
 * receipt of a type this receiver takes.
 */
export type PushBodyFailure = 'too-large' | 'incomplete' | 'utf8' | 'json' | 'not-array' | 'item';

/**
 * A pushed request body, or one item of it, that is not what Alibaba's HTTP batch push sends.
 * Pushing it again would not help. The message names the check at fault, never the body.
 * Items whose type is known but whose fields are wrong are reported as {@link ReceiptDecodeError}.
 *
 * @publicApi
 */
export class PushBodyError extends AlicomSmsError {
  /** Which check failed. */
  readonly reason: PushBodyFailure;
  /** For an item: its position in the request's array. */
  readonly itemIndex?: number;
  /** For an item whose type could be told: that type. */
  readonly messageType?: AlicomMessageType;

  constructor(reason: PushBodyFailure, problem: string, item?: { index: number; type?: AlicomMessageType }) {
    super(`Cannot read pushed receipts: ${item === undefined ? '' : `item ${item.index}: `}${problem}`, { code: 'InvalidPushBody' });
    this.reason = reason;
    this.itemIndex = item?.index;
    this.messageType = item?.type;
  }
}
