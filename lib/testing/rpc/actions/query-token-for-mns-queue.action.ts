import type { EmulatedMns } from '../../mns/emulated-mns.js';
import type { RpcAction, RpcActionRequest } from '../rpc-action.interface.js';
import { businessErrors } from '../rpc-error-catalog.js';
import { optionalParameter, requireParameter } from '../rpc-parameters.js';

/** Message types whose queues QueryTokenForMnsQueue grants access to. */
export const ALICOM_MESSAGE_TYPES: readonly string[] = ['SmsReport', 'SmsUp'];

/**
 * Dybaseapi `QueryTokenForMnsQueue` (PROTOCOL.md §3.4): temporary credentials for one of the
 * account's receipt queues, issued by the emulated MNS.
 */
export class QueryTokenForMnsQueueAction implements RpcAction {
  readonly name = 'QueryTokenForMnsQueue';
  readonly product = 'Dybaseapi';
  readonly version = '2017-05-25';

  constructor(
    private readonly mns: EmulatedMns,
    private readonly queuePrefix: string,
  ) {}

  execute({ parameters }: RpcActionRequest): Record<string, unknown> {
    const messageType = requireParameter(parameters, 'MessageType');
    if (!ALICOM_MESSAGE_TYPES.includes(messageType)) {
      throw businessErrors.invalidParameters(`MessageType must be one of ${ALICOM_MESSAGE_TYPES.join(', ')}`);
    }
    const queueName = `${this.queuePrefix}${messageType}`;
    const requestedQueue = optionalParameter(parameters, 'QueueName');
    if (requestedQueue !== undefined && requestedQueue !== queueName) {
      throw businessErrors.invalidParameters(`QueueName ${requestedQueue} is not this account's ${messageType} queue`);
    }
    return { MessageTokenDTO: this.mns.issueToken(messageType, queueName) };
  }
}
