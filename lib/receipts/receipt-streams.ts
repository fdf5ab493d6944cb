import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { ReceiptFailure } from '../interfaces/receipt-events.interface.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import { InspectsAs } from '../utils/inspects-as.js';

/**
 * The three receipt Observables and the one place that feeds them: handled reports, handled
 * replies, and failures of single receipts. `SmsReceiptListener` exposes them to the app.
 */
@Injectable()
@InspectsAs()
export class ReceiptStreams implements OnApplicationShutdown {
  private readonly reportsSubject = new Subject<SmsReport>();
  private readonly upsSubject = new Subject<SmsUp>();
  private readonly errorsSubject = new Subject<ReceiptFailure>();

  readonly reports$: Observable<SmsReport> = this.reportsSubject.asObservable();
  readonly ups$: Observable<SmsUp> = this.upsSubject.asObservable();
  readonly errors$: Observable<ReceiptFailure> = this.errorsSubject.asObservable();

  /** A receipt whose handlers succeeded. */
  publish(receipt: SmsReport | SmsUp): void {
    if (receipt.type === 'SmsReport') this.reportsSubject.next(receipt);
    else this.upsSubject.next(receipt);
  }

  /** A receipt that could not be decoded, handled or deleted. */
  reportFailure(failure: ReceiptFailure): void {
    this.errorsSubject.next(failure);
  }

  onApplicationShutdown(): void {
    this.reportsSubject.complete();
    this.upsSubject.complete();
    this.errorsSubject.complete();
  }
}
