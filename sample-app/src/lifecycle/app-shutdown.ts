import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/**
 * Tells long-lived requests (SSE streams, report waits) that the app is shutting down, before
 * the HTTP server closes: otherwise an open event stream would keep the server from closing.
 */
@Injectable()
export class AppShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Sample');
  private readonly controller = new AbortController();
  private readonly subject = new Subject<void>();

  /** Aborted when shutdown begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Emits once, then completes, when shutdown begins. */
  get started$(): Observable<void> {
    return this.subject.asObservable();
  }

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log(`Shutting down${signal ? ` (${signal})` : ''}: closing event streams, draining receipt handlers...`);
    this.controller.abort();
    this.subject.next();
    this.subject.complete();
  }

  onApplicationShutdown(): void {
    this.logger.log('Stopped.');
  }
}
