import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

/** A job of the app's own, registered by the app's ScheduleModule. */
@Injectable()
export class UserTicker {
  ticks = 0;

  @Interval('user-ticker', 20)
  tick(): void {
    this.ticks++;
  }
}
