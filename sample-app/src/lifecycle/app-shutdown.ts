import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { ReplaySubject, type Observable } from 'rxjs';
import { setImmediate } from 'node:timers/promises';

/**
 * Tells long-lived requests (SSE streams, report waits) that the app is shutting down, before
 * the HTTP server closes: otherwise an open event stream would keep the server from closing.
 */
@Injectable()
export class AppShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Sample');
  private readonly controller = new AbortController();
  // Replays, so a stream opened while shutting down ends at once too.
  private readonly subject = new ReplaySubject<void>(1);

  /** Aborted when shutdown begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Emits once, then completes, when shutdown begins (at once for later subscribers). */
  get started$(): Observable<void> {
    return this.subject.asObservable();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`Shutting down${signal ? ` (${signal})` : ''}: closing event streams, draining receipt handlers...`);
    this.controller.abort();
    this.subject.next();
    this.subject.complete();
    // The ended streams and aborted waits write their last bytes on process ticks: let them
    // leave before the server destroys its connections (`forceCloseConnections`).
    await setImmediate();
  }

  onApplicationShutdown(): void {
    this.logger.log('Stopped.');
  }
}
