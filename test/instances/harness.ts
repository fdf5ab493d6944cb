// Runs app instances (instance-app.ts) as separate Node processes against one emulator and one
// Redis (or Redis Cluster), drives their sends over IPC, and reads their handler journals.
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AlicomEmulator } from '../../lib/testing/index.js';
import type { InstanceCommand, InstanceConfig, JournalLine } from './instance-app.js';

const APP = fileURLToPath(new URL('./instance-app.js', import.meta.url));

type Command = InstanceCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** One run of one instance (a restart is a new run of the same name). */
export class InstanceProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly run: number,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(`${this.name}#${this.run}: ${message.error}`));
      else call?.resolve(message.result);
    });
    void this.exited.then(() => {
      for (const call of this.pending.values()) call.reject(new Error(`${this.name}#${this.run} exited`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  call<T>(command: Command): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...command, id }, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  send(phones: string[]): Promise<Array<{ bizId: string; phoneNumber: string }>> {
    return this.call({ cmd: 'send', phones });
  }

  waitForReport(bizId: string, phoneNumber: string): Promise<{ startedAt: number; resolvedAt: number; source: string }> {
    return this.call({ cmd: 'wait', bizId, phoneNumber });
  }

  /** Sends `signal` to this process only (by its pid) and waits for it to exit. */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    this.child.kill(signal);
    await this.exited;
  }
}

export interface HarnessOptions {
  dir: string;
  emulator: AlicomEmulator;
  redis: InstanceConfig['redis'];
  keyPrefix: string;
  claimLeaseMs: number;
}

export class InstancesHarness {
  private readonly runs = new Map<string, number>();
  readonly processes: InstanceProcess[] = [];

  constructor(private readonly options: HarnessOptions) {}

  /** Starts (or restarts) instance `name` and resolves once its app is up. */
  async start(name: string): Promise<InstanceProcess> {
    const run = (this.runs.get(name) ?? 0) + 1;
    this.runs.set(name, run);
    const { emulator } = this.options;
    const config: InstanceConfig = {
      name,
      run,
      journal: join(this.options.dir, `${name}-${run}.journal`),
      emulator: { credentials: emulator.credentials, endpoints: { ...emulator.endpoints }, queuePrefix: emulator.queuePrefix },
      redis: this.options.redis,
      keyPrefix: this.options.keyPrefix,
      claimLeaseMs: this.options.claimLeaseMs,
    };
    const output = openSync(join(this.options.dir, `${name}-${run}.out`), 'a');
    const child = fork(APP, [], { env: { ...process.env, INSTANCE_CONFIG: JSON.stringify(config) }, stdio: ['ignore', output, output, 'ipc'] });
    closeSync(output);
    const instance = new InstanceProcess(name, run, child);
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${name}#${run} exited (${code}) before it was ready; see ${name}-${run}.out`)));
      child.on('message', (message: { ready?: boolean }) => {
        if (message.ready) resolve();
      });
    });
    this.processes.push(instance);
    return instance;
  }

  /** Every journal line so far, of every run. */
  journal(): JournalLine[] {
    const lines: JournalLine[] = [];
    for (const file of readdirSync(this.options.dir)) {
      if (!file.endsWith('.journal')) continue;
      for (const line of readFileSync(join(this.options.dir, file), 'utf8').split('\n')) if (line) lines.push(JSON.parse(line) as JournalLine);
    }
    return lines;
  }

  journalOf(name: string, run: number): JournalLine[] {
    const file = join(this.options.dir, `${name}-${run}.journal`);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as JournalLine);
  }

  /** Stops every process still running (SIGKILL: the test is over). */
  async dispose(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop('SIGKILL').catch(() => {})));
  }
}
