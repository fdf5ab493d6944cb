import { SetMetadata } from '@nestjs/common';
import { ON_SMS_UP_METADATA } from '../alicom-sms.constants.js';
import type { SmsUp } from '../interfaces/sms-receipt.interface.js';

/**
 * Marks a method as a handler of replies (mobile-originated SMS, {@link SmsUp}).
 *
 * The method receives the typed reply and may be `async`. Every handler of a reply runs
 * concurrently; the MNS message is deleted only after **all** of them resolved. A throw or a
 * rejection leaves the message in the queue, so Alibaba delivers it again later: delivery is
 * at-least-once, and handlers must tolerate seeing the same reply twice (e.g. dedupe by
 * `sequenceId`).
 *
 * The method must live on a singleton provider or controller: handlers on request-scoped or
 * transient classes are skipped at startup with a warning.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class Unsubscriber {
 *   @OnSmsUp()
 *   async onReply(reply: SmsUp): Promise<void> {
 *     if (reply.content.trim().toUpperCase() === 'TD') await this.optOut(reply.phoneNumber);
 *   }
 * }
 * ```
 *
 * @publicApi
 */
export function OnSmsUp(): MethodDecorator {
  return SetMetadata(ON_SMS_UP_METADATA, true);
}
