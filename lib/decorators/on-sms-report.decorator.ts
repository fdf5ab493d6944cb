import { SetMetadata } from '@nestjs/common';
import { ON_SMS_REPORT_METADATA } from '../alicom-sms.constants.js';
import type { SmsReport } from '../interfaces/sms-receipt.interface.js';

/**
 * Marks a method as a handler of delivery receipts ({@link SmsReport}).
 *
 * The method receives the typed receipt and may be `async`. Every handler of a receipt runs
 * concurrently; the MNS message is deleted only after **all** of them resolved. A throw or a
 * rejection leaves the message in the queue, so Alibaba delivers it again later: delivery is
 * at-least-once, and handlers must tolerate seeing the same receipt twice (e.g. upsert by
 * `bizId` + `phoneNumber`).
 *
 * The method must live on a singleton provider or controller: handlers on request-scoped or
 * transient classes are skipped at startup with a warning.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class DeliveryTracker {
 *   @OnSmsReport()
 *   async onReport(report: SmsReport): Promise<void> {
 *     await this.repo.markDelivered(report.bizId, report.phoneNumber, report.success);
 *   }
 * }
 * ```
 *
 * @publicApi
 */
export function OnSmsReport(): MethodDecorator {
  return SetMetadata(ON_SMS_REPORT_METADATA, true);
}
