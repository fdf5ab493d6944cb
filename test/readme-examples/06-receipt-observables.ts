import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SmsReceiptListener } from 'nestjs-alicom-sms';
import { filter } from 'rxjs';

@Injectable()
export class DeliveryAlerts implements OnModuleInit {
  private readonly logger = new Logger(DeliveryAlerts.name);

  constructor(private readonly listener: SmsReceiptListener) {}

  onModuleInit(): void {
    // Published after the handlers succeeded; subscribers must not throw.
    this.listener.reports$
      .pipe(filter((report) => !report.success))
      .subscribe((report) => this.logger.warn(`Undelivered ${report.bizId}: ${report.errCode}`));
    this.listener.ups$.subscribe((reply) => this.logger.log(`Reply from ${reply.phoneNumber}`));
    this.listener.errors$.subscribe((failure) => this.logger.error(`${failure.kind} failure on ${failure.queue}`));
  }
}
