import { MnsErrors } from './mns-error.js';
import type { MnsQueryParameters } from './mns-query.js';
import { parseReceiptHandlesDocument } from './mns-xml.js';

// Maps method + query + body of a `/queues/<q>/messages` request to one operation
// (PROTOCOL.md §4.5), validating ranges the way MNS does (400 InvalidArgument).

/** Most messages one BatchReceiveMessage / BatchDeleteMessage may carry. */
export const MNS_MAX_BATCH_SIZE = 16;
/** Longest allowed `waitseconds`. */
export const MNS_MAX_WAIT_SECONDS = 30;
/** Allowed `visibilityTimeout` range of ChangeMessageVisibility. */
export const MNS_VISIBILITY_TIMEOUT_RANGE = { min: 1, max: 43200 } as const;

/** A parsed queue-message operation. */
export type MnsOperation =
  | { readonly kind: 'receive'; readonly batch: boolean; readonly max: number; readonly waitSeconds?: number }
  | { readonly kind: 'peek'; readonly batch: boolean; readonly max: number }
  | { readonly kind: 'delete'; readonly receiptHandle: string }
  | { readonly kind: 'batchDelete'; readonly receiptHandles: readonly string[] }
  | { readonly kind: 'changeVisibility'; readonly receiptHandle: string; readonly visibilityTimeoutSeconds: number };

function integerInRange(text: string, name: string, min: number, max: number, unit: string): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw MnsErrors.invalidArgument(`The value of ${name} should between ${min} and ${max}${unit}.`);
  }
  return value;
}

/** Parses the operation; throws an `MnsError` for anything MNS would refuse. */
export function parseMnsOperation(method: string, params: MnsQueryParameters, body: Buffer): MnsOperation {
  switch (method) {
    case 'GET': {
      const count = params.get('numofmessages');
      const batch = count !== undefined;
      const max = count === undefined ? 1 : integerInRange(count, 'numOfMessages', 1, MNS_MAX_BATCH_SIZE, '');
      // PeekMessage / BatchPeekMessage never wait: they look at what is receivable right now.
      if (params.get('peekonly') === 'true') return { kind: 'peek', batch, max };
      const wait = params.get('waitseconds');
      return {
        kind: 'receive',
        batch,
        max,
        waitSeconds: wait === undefined ? undefined : integerInRange(wait, 'waitseconds', 0, MNS_MAX_WAIT_SECONDS, ' seconds'),
      };
    }
    case 'DELETE': {
      const handle = params.get('receipthandle');
      if (handle !== undefined) {
        if (handle === '') throw MnsErrors.missingReceiptHandle();
        return { kind: 'delete', receiptHandle: handle };
      }
      if (body.length === 0) throw MnsErrors.missingReceiptHandle();
      const receiptHandles = parseReceiptHandlesDocument(body);
      if (receiptHandles.length === 0) throw MnsErrors.missingReceiptHandle();
      if (receiptHandles.length > MNS_MAX_BATCH_SIZE) {
        throw MnsErrors.invalidArgument(`The count of ReceiptHandle should between 1 and ${MNS_MAX_BATCH_SIZE}.`);
      }
      return { kind: 'batchDelete', receiptHandles };
    }
    case 'PUT': {
      const handle = params.get('receipthandle');
      if (handle === undefined || handle === '') throw MnsErrors.missingReceiptHandle();
      const timeout = params.get('visibilitytimeout');
      if (timeout === undefined || timeout === '') throw MnsErrors.missingVisibilityTimeout();
      const { min, max } = MNS_VISIBILITY_TIMEOUT_RANGE;
      return {
        kind: 'changeVisibility',
        receiptHandle: handle,
        visibilityTimeoutSeconds: integerInRange(timeout, 'VisibilityTimeout', min, max, ' seconds'),
      };
    }
    default:
      // SendMessage (POST) and queue management are not part of a receipt consumer's job.
      throw MnsErrors.invalidRequestUrl();
  }
}
