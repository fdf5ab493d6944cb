import { Injectable, Logger } from '@nestjs/common';
import { OnSmsReport, OnSmsUp, type SmsReport, type SmsUp } from 'nestjs-alicom-sms';
import { RecentEventsStore } from './recent-events.store.js';
import { replyEvent, reportEvent } from './sms-event.mapper.js';

/**
 * The decorated handlers: where a real app would update its database. A receipt's MNS message
 * is deleted only after these return, so throwing here means "deliver it again later".
 */
@Injectable()
export class SmsReceiptHandlers {
  private readonly logger = new Logger('Receipts');

  constructor(private readonly store: RecentEventsStore) {}

  @OnSmsReport()
  onReport(report: SmsReport): void {
    const outcome = report.success ? 'delivered' : `FAILED ${report.errCode} ${report.errMsg}`;
    this.logger.log(`Report (${report.source}) bizId=${report.bizId} to ${report.phoneNumber}: ${outcome}`);
    this.store.add(reportEvent(report));
  }

  @OnSmsUp()
  onReply(up: SmsUp): void {
    this.logger.log(`Reply (${up.source}) from ${up.phoneNumber}: "${up.content}"`);
    this.store.add(replyEvent(up));
  }
}
