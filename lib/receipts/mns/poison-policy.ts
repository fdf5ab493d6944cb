import type { Logger } from '@nestjs/common';
import { poisonDeletedMessage, poisonHookFailedMessage } from '../../alicom-sms.messages.js';
import type { PoisonMessage } from '../../interfaces/receipt-events.interface.js';
import type { MnsMessage } from '../../mns/mns.types.js';
import type { AlicomMessageType } from '../../options/alicom-sms-module-options.interface.js';
import type { ResolvedReceiptOptions } from '../../options/resolved-alicom-sms-options.js';

/** What the policy does to the message on the queue. */
export interface PoisonActions {
  /** Deletes the message for good. */
  delete(message: MnsMessage): Promise<void>;
  /** Leaves the message to come back after `seconds`. */
  postpone(message: MnsMessage, seconds: number): Promise<void>;
}

/**
 * What happens to a message that cannot be handled (undecodable, or its handlers failed on the
 * last allowed delivery): `onPoisonMessage` sees it first, then `poisonPolicy` deletes it or keeps
 * it coming back. A failing hook keeps it whatever the policy, so nothing is lost silently.
 */
export class PoisonPolicy {
  constructor(
    private readonly type: AlicomMessageType,
    private readonly queue: string,
    private readonly options: ResolvedReceiptOptions,
    private readonly actions: PoisonActions,
    private readonly logger: Logger,
  ) {}

  async apply(message: MnsMessage, reason: PoisonMessage['reason'], error: unknown): Promise<void> {
    const { onPoisonMessage, poisonPolicy, maxRetryBackoffSeconds } = this.options;
    try {
      await onPoisonMessage?.({
        reason,
        type: this.type,
        queue: this.queue,
        messageId: message.messageId,
        dequeueCount: message.dequeueCount,
        body: message.body,
        error,
      });
    } catch (hookError) {
      this.logger.error(poisonHookFailedMessage(this.queue, message.messageId, (hookError as Error)?.message ?? String(hookError)));
      await this.actions.postpone(message, maxRetryBackoffSeconds);
      return;
    }
    if (poisonPolicy === 'delete') {
      this.logger.warn(poisonDeletedMessage(this.queue, message.messageId, reason, message.dequeueCount));
      await this.actions.delete(message);
    } else {
      await this.actions.postpone(message, maxRetryBackoffSeconds);
    }
  }
}
