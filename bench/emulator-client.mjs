// Forks bench/emulator-server.mjs and talks to it over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverPath = fileURLToPath(new URL('./emulator-server.mjs', import.meta.url));

export async function startEmulatorProcess() {
  const child = fork(serverPath, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
  const pending = new Map();
  let nextId = 1;
  await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator process exited (${code}) before it was ready`)));
    child.on('message', function onReady(message) {
      if (message?.ready) {
        child.off('message', onReady);
        resolve();
      }
    });
  });
  child.removeAllListeners('exit');
  child.on('exit', (code) => {
    for (const { reject } of pending.values()) reject(new Error(`emulator process exited (${code})`));
    pending.clear();
  });
  child.on('message', ({ id, result, error }) => {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    if (error) call.reject(new Error(`emulator: ${error}`));
    else call.resolve(result);
  });
  const call = (cmd, args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, args });
    });
  return {
    pid: child.pid,
    call,
    async close() {
      try {
        await call('stop');
      } catch {
        // already gone
      }
      child.disconnect();
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}
