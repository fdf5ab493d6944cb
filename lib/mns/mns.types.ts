/**
 * Credentials for one MNS call: the STS triple from `QueryTokenForMnsQueue` (or a long-term
 * AccessKey without a token). Passed per call because the queue token is refreshed while the
 * client lives on.
 */
export interface MnsCredentials {
  accessKeyId: string;
  /** Signs the request; never sent, logged or put into an error. */
  accessKeySecret: string;
  /** Sent as the `security-token` header; never logged or put into an error. */
  securityToken?: string;
}

/** One message of a (Batch)ReceiveMessage response, numbers already converted. */
export interface MnsMessage {
  messageId: string;
  /** Handle of this delivery; single-use, replaced by every redelivery and ChangeMessageVisibility. */
  receiptHandle: string;
  /** The `MessageBody` text exactly as transported: Base64 of the UTF-8 JSON for Alicom queues. */
  body: string;
  /** `MessageBodyMD5`: hex MD5 of {@link MnsMessage.body} ('' when the server sent none). */
  bodyMd5: string;
  /** Epoch milliseconds. */
  enqueueTime: number;
  /** Epoch milliseconds of the first receive of this message. */
  firstDequeueTime: number;
  /** Epoch milliseconds at which the message becomes visible again unless deleted. */
  nextVisibleTime: number;
  /** How many times the message has been received, this delivery included. */
  dequeueCount: number;
  priority: number;
}

/** The `<Error>` document MNS returns for a failed request. */
export interface MnsErrorDocument {
  code: string;
  message: string;
  requestId?: string;
  hostId?: string;
}

/** One receipt handle that BatchDeleteMessage could not delete (the others were deleted). */
export interface MnsDeleteFailure {
  receiptHandle: string;
  /** `MessageNotExist` (handle stale: redelivered or already deleted) or `ReceiptHandleError`. */
  code: string;
  message: string;
}

/** Result of ChangeMessageVisibility. */
export interface MnsVisibilityChange {
  /** The new handle; the old one stops working. */
  receiptHandle: string;
  nextVisibleTime: Date;
}
