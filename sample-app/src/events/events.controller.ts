import { Controller, type MessageEvent, Sse } from '@nestjs/common';
import { SmsReceiptListener } from 'nestjs-alicom-sms';
import { concat, filter, from, map, merge, type Observable, takeUntil } from 'rxjs';
import { AppShutdown } from '../lifecycle/app-shutdown.js';
import { RecentEventsStore } from './recent-events.store.js';
import { failureEvent, replyEvent, reportEvent } from './sms-event.mapper.js';
import type { SmsEvent } from './sms-event.interface.js';

/**
 * `GET /events`: Server-Sent Events, one `SmsEvent` (JSON) per message. Replays the recent events,
 * then streams live ones straight from the listener's Observables (and this app's sends).
 */
@Controller('events')
export class EventsController {
  constructor(
    private readonly listener: SmsReceiptListener,
    private readonly store: RecentEventsStore,
    private readonly shutdown: AppShutdown,
  ) {}

  @Sse()
  stream(): Observable<MessageEvent> {
    const live = merge(
      this.listener.reports$.pipe(map(reportEvent)),
      this.listener.ups$.pipe(map(replyEvent)),
      this.listener.errors$.pipe(map(failureEvent)),
      // Reports and replies come from the Observables above; the store adds this app's sends.
      this.store.added$.pipe(filter((event) => event.type === 'sent')),
    );
    // A receipt handled while the replay is being read may show up in both parts: the client
    // drops repeats by id. Ending on shutdown lets the HTTP server close.
    return concat(from(this.store.recent()), live).pipe(
      takeUntil(this.shutdown.started$),
      map((event: SmsEvent): MessageEvent => ({ id: event.id, data: event })),
    );
  }
}
