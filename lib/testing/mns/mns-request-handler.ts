import type { IncomingMessage } from 'node:http';
import type { EmulatedQueue } from './emulated-queue.js';
import type { FaultInjector } from './fault-injector.js';
import { MnsErrors } from './mns-error.js';
import { parseMnsOperation } from './mns-operation-parser.js';
import { executeMnsOperation, type MnsOperationReply } from './mns-operations.js';
import { parseMnsQuery, splitRequestTarget } from './mns-query.js';
import { authenticateMnsRequest, type MnsCredentialLookup } from './mns-request-authenticator.js';

// One request from the wire to an answer: authenticate (§4.8 steps 1–5), scope to the queue
// (step 6), parse the operation, apply injected faults, execute.

/** What to do with the connection: answer it, or drop it without a word (injected reset). */
export type MnsRequestOutcome = ({ readonly kind: 'reply' } & MnsOperationReply) | { readonly kind: 'reset' };

const MESSAGES_PATH = /^\/queues\/([^/?]+)\/messages$/;

/** Dependencies of the request pipeline. */
export interface MnsRequestHandlerContext {
  readonly lookupCredential: MnsCredentialLookup;
  findQueue(name: string): EmulatedQueue | undefined;
  readonly faults: FaultInjector;
  /** The emulator's clock: token expiry. */
  now(): number;
  /** The time request dates are judged against. */
  requestDateNow(): number;
}

function queueNameOf(path: string): string {
  const match = MESSAGES_PATH.exec(path);
  if (!match) throw MnsErrors.invalidRequestUrl();
  try {
    return decodeURIComponent(match[1]);
  } catch {
    throw MnsErrors.invalidRequestUrl();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Serves one request; throws an `MnsError` for request-level failures. */
export async function serveMnsRequest(
  context: MnsRequestHandlerContext,
  req: IncomingMessage,
  body: Buffer,
  clientGone: AbortSignal,
): Promise<MnsRequestOutcome> {
  const principal = authenticateMnsRequest(req, body, context.lookupCredential, context.now(), context.requestDateNow());
  const { path, rawQuery } = splitRequestTarget(req.url ?? '/');
  const queueName = queueNameOf(path);
  if (principal.queueName !== undefined && principal.queueName !== queueName) throw MnsErrors.accessDenied();
  const queue = context.findQueue(queueName);
  if (!queue) throw MnsErrors.queueNotExist();
  const operation = parseMnsOperation(req.method ?? 'GET', parseMnsQuery(rawQuery), body);

  const { latencyMs } = context.faults.faults;
  if (latencyMs > 0) await delay(latencyMs);
  const fault = context.faults.decide();
  if (fault.kind === 'error') throw MnsErrors.internalError();
  if (fault.kind === 'reset') {
    if (fault.appliedBeforeReset) await executeMnsOperation(operation, queue, clientGone).catch(() => undefined);
    return { kind: 'reset' };
  }
  return { kind: 'reply', ...(await executeMnsOperation(operation, queue, clientGone)) };
}
