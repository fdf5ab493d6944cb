import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { SmsEvent } from './sms-event.interface.js';

/** How many events a freshly opened page gets replayed. */
const CAPACITY = 200;

/**
 * The latest events in memory, so a page opened (or reloaded) late still shows what happened.
 * A real app would write reports to its database instead.
 */
@Injectable()
export class RecentEventsStore implements OnApplicationShutdown {
  private readonly events: SmsEvent[] = [];
  private readonly added = new Subject<SmsEvent>();

  /** Every event added from now on. */
  readonly added$: Observable<SmsEvent> = this.added.asObservable();

  add(event: SmsEvent): void {
    this.events.push(event);
    if (this.events.length > CAPACITY) this.events.shift();
    this.added.next(event);
  }

  /** Oldest first. */
  recent(): SmsEvent[] {
    return [...this.events];
  }

  onApplicationShutdown(): void {
    this.added.complete();
  }
}
