import { Injectable, Logger } from '@nestjs/common';
import { OnSmsReport, OnSmsUp, type SmsReport, type SmsUp } from 'nestjs-alicom-sms';

@Injectable()
export class DeliveryTracker {
  private readonly logger = new Logger(DeliveryTracker.name);
  /** Stands in for your database. */
  private readonly outcomes = new Map<string, boolean>();

  @OnSmsReport()
  async onReport(report: SmsReport): Promise<void> {
    // An upsert keyed by bizId + phoneNumber: handling the same report twice is harmless.
    this.outcomes.set(`${report.bizId}:${report.phoneNumber}`, report.success);
    if (!report.success) this.logger.warn(`${report.phoneNumber}: ${report.errCode} ${report.errMsg} (outId ${report.outId})`);
  }

  @OnSmsUp()
  async onReply(reply: SmsUp): Promise<void> {
    if (reply.content.trim().toUpperCase() === 'TD') this.logger.log(`${reply.phoneNumber} unsubscribed`);
  }
}
