import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AlicomEmulator, EmulatedDeliveryOutcome, EmulatedDeliveryRequest } from 'nestjs-alicom-sms/testing';
import { EMBEDDED_EMULATOR } from './embedded-emulator.provider.js';
import { EMULATOR_TIMING, type EmulatorTiming } from './emulator-timing.js';
import type { SendSimulation, SimulatedOutcome } from './simulation.interface.js';

const SAMPLE_REPLIES = ['收到，谢谢', 'OK', 'TD', '好的'];

type Decided = Exclude<SimulatedOutcome, 'random'>;
/** One planned outcome; an object so concurrent sends with the same OutId are told apart. */
type Plan = { outcome: Decided };

/**
 * In emulator mode, makes the emulator behave like a real account so a newcomer sees every path
 * without doing anything: some deliveries fail, some reports never reach the queue (compensation
 * back-fills them from QuerySendDetails), and handsets reply to some messages.
 *
 * A send can ask for a given outcome (`simulate.outcome`), which tests use to be deterministic.
 */
@Injectable()
export class EmulatorScenario implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('EmulatorScenario');
  /** Planned outcomes by OutId (the emulator's delivery callback sees the OutId). */
  private readonly planned = new Map<string, Plan[]>();
  private readonly replyTimers = new Set<NodeJS.Timeout>();

  constructor(
    @Inject(EMBEDDED_EMULATOR) private readonly emulator: AlicomEmulator | null,
    @Inject(EMULATOR_TIMING) private readonly timing: EmulatorTiming,
  ) {}

  onModuleInit(): void {
    const emulator = this.emulator;
    if (!emulator) return;
    emulator.reportDelayMs = this.timing.reportDelayMs;
    emulator.delivery = (request) => this.deliver(request);
    // Alibaba may deliver a receipt twice; the module drops the copy (see health: duplicates).
    emulator.reportDuplicateRate = 0.1;
    this.logger.log('Emulated account: about 1 in 5 deliveries fail, 1 in 5 reports are lost (back-filled), 1 in 3 messages get a reply, 1 in 10 reports arrive twice.');
  }

  /**
   * Runs `send` (which must use `outId`) with the planned simulation: the outcome is handed to
   * the emulator's delivery callback, and a reply is scheduled once the send was accepted.
   */
  async run<T>(phoneNumber: string, outId: string, simulation: SendSimulation | undefined, send: () => Promise<T>): Promise<T> {
    const emulator = this.emulator;
    if (!emulator) return send();
    const plan: Plan = { outcome: simulation?.outcome && simulation.outcome !== 'random' ? simulation.outcome : randomOutcome() };
    const queue = this.planned.get(outId) ?? [];
    queue.push(plan);
    this.planned.set(outId, queue);
    try {
      const result = await send();
      this.scheduleReply(emulator, phoneNumber, simulation?.reply);
      return result;
    } finally {
      // Used by the delivery callback when the send was accepted; dropped when it was not.
      const index = queue.indexOf(plan);
      if (index !== -1) queue.splice(index, 1);
      if (queue.length === 0 && this.planned.get(outId) === queue) this.planned.delete(outId);
    }
  }

  beforeApplicationShutdown(): void {
    for (const timer of this.replyTimers) clearTimeout(timer);
    this.replyTimers.clear();
  }

  private deliver(request: EmulatedDeliveryRequest): EmulatedDeliveryOutcome {
    const plan = request.outId === undefined ? undefined : this.planned.get(request.outId)?.shift();
    switch (plan?.outcome ?? randomOutcome()) {
      case 'failed':
        return { success: false, errCode: 'UNDELIV', errMsg: '用户接收失败 (emulated)' };
      case 'report-lost':
        // Delivered, but the SmsReport never reaches the queue: only QuerySendDetails knows.
        return { success: true, report: false };
      default:
        return { success: true };
    }
  }

  private scheduleReply(emulator: AlicomEmulator, phoneNumber: string, reply: string | false | undefined): void {
    const content = reply === undefined ? (Math.random() < 1 / 3 ? pick(SAMPLE_REPLIES) : undefined) : reply || undefined;
    if (content === undefined) return;
    const timer = setTimeout(() => {
      this.replyTimers.delete(timer);
      emulator.reply({ phoneNumber, content });
    }, this.timing.replyDelayMs);
    this.replyTimers.add(timer);
  }
}

function randomOutcome(): Decided {
  const draw = Math.random();
  return draw < 0.2 ? 'failed' : draw < 0.4 ? 'report-lost' : 'delivered';
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}
