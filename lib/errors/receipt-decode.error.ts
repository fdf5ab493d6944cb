import type { AlicomMessageType } from '../interfaces/alicom-sms-module-options.interface.js';

/**
 * Why a receipt body could not be decoded, in the order the checks run: `MessageBodyMD5` does not
 * match the body, the body is not strict Base64, not UTF-8, not JSON, or JSON of the wrong shape.
 */
export type ReceiptDecodeFailure = 'md5-mismatch' | 'base64' | 'utf8' | 'json' | 'shape';

/**
 * An MNS message whose body is not a valid receipt of its queue's type. Redelivering it will not
 * help: it is a poison message. The message names the check (and field) at fault, never the body.
 *
 * @publicApi
 */
export class ReceiptDecodeError extends Error {
  /** Which decoding step failed. */
  readonly reason: ReceiptDecodeFailure;
  /** MNS `MessageId` of the message. */
  readonly messageId: string;
  /** The queue's message type the body was decoded as. */
  readonly messageType: AlicomMessageType;

  constructor(reason: ReceiptDecodeFailure, messageType: AlicomMessageType, messageId: string, problem: string) {
    super(`Cannot decode ${messageType} MNS message ${messageId}: ${problem}`);
    this.name = 'ReceiptDecodeError';
    this.reason = reason;
    this.messageId = messageId;
    this.messageType = messageType;
  }
}
