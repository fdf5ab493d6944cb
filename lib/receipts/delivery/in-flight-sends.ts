import { Injectable } from '@nestjs/common';
import { InspectsAs } from '../../utils/inspects-as.js';

/**
 * Sends whose HTTP answer has not arrived yet, by recipient. A receipt can beat `sendSms()`'s
 * own response (Alibaba enqueues it as soon as the carrier answers), so a report for a number
 * with a send in flight waits for that send to be registered before it is correlated.
 */
@Injectable()
@InspectsAs()
export class InFlightSends {
  private readonly byPhone = new Map<string, Set<Promise<void>>>();

  /** Marks a send to `phoneNumbers` as in flight; call the returned function once it is registered or failed. */
  begin(phoneNumbers: readonly string[]): () => void {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    for (const phone of phoneNumbers) {
      let set = this.byPhone.get(phone);
      if (!set) this.byPhone.set(phone, (set = new Set()));
      set.add(done);
    }
    return () => {
      finish();
      for (const phone of phoneNumbers) {
        const set = this.byPhone.get(phone);
        set?.delete(done);
        if (set?.size === 0) this.byPhone.delete(phone);
      }
    };
  }

  /**
   * When sends to `phoneNumber` are in flight now: a promise that resolves once every one of them
   * has finished; else `undefined`.
   */
  whenSettled(phoneNumber: string): Promise<void> | undefined {
    const set = this.byPhone.get(phoneNumber);
    return set && Promise.all([...set]).then(() => undefined);
  }
}
