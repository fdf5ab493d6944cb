// Redis servers of a test's own (on free ports, in a temp dir), for outages and Cluster tests:
// started as child processes and stopped by their own pids.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): boolean {
  const run = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', timeout: 2_000 });
  return run.stdout?.trim() === 'PONG';
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One redis-server of the test's own, without persistence; stop() and start() again on the same port. */
export class TestRedisServer {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'alicom-redis-'));

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  static async start(extraArgs: string[] = []): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort(), extraArgs);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, ...this.extraArgs], {
      stdio: 'ignore',
    });
    child.once('error', (error) => {
      throw new Error(`redis-server could not start (is it installed?): ${error.message}`);
    });
    this.child = child;
    await waitFor(() => ping(this.port), `redis-server on port ${this.port}`);
  }

  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits until the port is free. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A three-master Redis Cluster of the test's own, joined with `redis-cli --cluster create`. */
export class TestRedisCluster {
  private constructor(readonly nodes: TestRedisServer[]) {}

  static async start(): Promise<TestRedisCluster> {
    const nodes: TestRedisServer[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        nodes.push(await TestRedisServer.start(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`, '--cluster-node-timeout', '5000']));
      }
      const create = spawnSync(
        'redis-cli',
        ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
        { encoding: 'utf8', timeout: 30_000 },
      );
      if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}\n${create.stderr}`);
      await waitFor(() => nodes.every((n) => clusterOk(n.port)), 'the cluster to be ok', 20_000);
    } catch (error) {
      for (const node of nodes) await node.dispose();
      throw error;
    }
    return new TestRedisCluster(nodes);
  }

  get startupNodes(): Array<{ host: string; port: number }> {
    return this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
  }

  async dispose(): Promise<void> {
    for (const node of this.nodes) await node.dispose();
  }
}

function clusterOk(port: number): boolean {
  const run = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8', timeout: 2_000 });
  return /cluster_state:ok/.test(run.stdout ?? '');
}
