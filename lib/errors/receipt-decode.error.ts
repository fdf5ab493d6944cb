import type { AlicomMessageType } from '../options/alicom-sms-module-options.interface.js';
import { AlicomSmsError } from './alicom-sms.error.js';

/**
 * Why a receipt body could not be decoded, in the order the checks run: `MessageBodyMD5` does not
 * match the body, the body is not strict Base64, not UTF-8, not JSON, or JSON of the wrong shape.
 */
export type ReceiptDecodeFailure = 'md5-mismatch' | 'base64' | 'utf8' | 'json' | 'shape';

/**
 * A receipt whose body is not a valid receipt of its type. Delivering it again will not help: it
 * is a poison message. The message names the check (and field) at fault, never the body.
 *
 * @publicApi
 */
export class ReceiptDecodeError extends AlicomSmsError {
  /** Which decoding step failed. */
  readonly reason: ReceiptDecodeFailure;
  /** MNS `MessageId`, for a receipt from the queue. */
  readonly messageId?: string;
  /** The message type the body was decoded as. */
  readonly messageType: AlicomMessageType;

  constructor(reason: ReceiptDecodeFailure, messageType: AlicomMessageType, problem: string, messageId?: string) {
    super(`Cannot decode ${messageType}${messageId === undefined ? '' : ` MNS message ${messageId}`}: ${problem}`, {
      code: 'UndecodableReceipt',
    });
    this.reason = reason;
    this.messageId = messageId;
    this.messageType = messageType;
  }
}
