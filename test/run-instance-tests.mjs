#!/usr/bin/env node
// The multi-process tests (test/instances/*.e2e.spec.ts): several app processes, one emulator, a
// real Redis and a Redis Cluster of their own. Too heavy for `npm test`; run by `npm run
// test:instances` (and .ci/run after `npm test`). Files run one at a time: they measure timing.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.test-dist');
rmSync(outDir, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript-native/bin/tsc'), '-p', 'tsconfig.spec.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const dir = join(outDir, 'test', 'instances');
const filter = process.argv.slice(2);
let specs = readdirSync(dir).filter((name) => name.endsWith('.e2e.spec.js')).sort().map((name) => join(dir, name));
if (filter.length > 0) specs = specs.filter((spec) => filter.some((f) => spec.includes(f)));
if (specs.length === 0) {
  console.error('No spec files found under test/instances/ (or none matched the filter).');
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-timeout=900000', '--test-concurrency=1', ...specs], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
