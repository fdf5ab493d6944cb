import type { EmulatedQueue } from './emulated-queue.js';
import { MnsErrors } from './mns-error.js';
import type { MnsOperation } from './mns-operation-parser.js';
import {
  renderBatchDeleteErrorsDocument,
  renderChangeVisibilityDocument,
  renderMessageDocument,
  renderMessagesDocument,
  type MnsBatchDeleteFailure,
} from './mns-xml.js';

// Executes a parsed operation against a queue and produces the HTTP answer (PROTOCOL.md §4.5).

/** Status and optional XML body of a successful (or batch partially failed) operation. */
export interface MnsOperationReply {
  readonly status: number;
  readonly xml?: string;
}

/** Runs one operation; throws an `MnsError` for request-level failures. */
export async function executeMnsOperation(
  operation: MnsOperation,
  queue: EmulatedQueue,
  clientGone: AbortSignal,
): Promise<MnsOperationReply> {
  switch (operation.kind) {
    case 'receive': {
      const waitSeconds = operation.waitSeconds ?? queue.pollingWaitSeconds;
      const messages = await queue.receive(operation.max, waitSeconds * 1000, clientGone);
      if (messages.length === 0) throw MnsErrors.messageNotExist();
      return { status: 200, xml: operation.batch ? renderMessagesDocument(messages) : renderMessageDocument(messages[0]) };
    }
    case 'peek': {
      const messages = queue.peek(operation.max);
      if (messages.length === 0) throw MnsErrors.messageNotExist();
      return { status: 200, xml: operation.batch ? renderMessagesDocument(messages) : renderMessageDocument(messages[0]) };
    }
    case 'delete': {
      const outcome = queue.delete(operation.receiptHandle);
      if (outcome === 'ReceiptHandleError') throw MnsErrors.receiptHandleError();
      if (outcome === 'MessageNotExist') throw MnsErrors.messageNotExist();
      return { status: 204 };
    }
    case 'batchDelete': {
      const failures: MnsBatchDeleteFailure[] = [];
      for (const receiptHandle of operation.receiptHandles) {
        const outcome = queue.delete(receiptHandle);
        if (outcome !== 'deleted') failures.push({ receiptHandle, code: outcome });
      }
      // The handles that did work stay deleted even when the answer is a 404.
      return failures.length === 0 ? { status: 204 } : { status: 404, xml: renderBatchDeleteErrorsDocument(failures) };
    }
    case 'changeVisibility': {
      const changed = queue.changeVisibility(operation.receiptHandle, operation.visibilityTimeoutSeconds);
      return { status: 200, xml: renderChangeVisibilityDocument(changed.receiptHandle, changed.nextVisibleTime) };
    }
  }
}
