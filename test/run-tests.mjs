#!/usr/bin/env node
// Compiles lib/ + test/ into .test-dist and runs every *.spec.js with node's test runner.
// Node 20's `node --test` has no glob support and falls back to auto-discovery on an empty
// list, so the spec files are listed explicitly (and an empty list is an error). test/instances/
// is left to test/run-instance-tests.mjs.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.test-dist');
rmSync(outDir, { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.spec.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

function findSpecs(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // The multi-process tests have their own runner (npm run test:instances).
      if (name !== 'instances') found.push(...findSpecs(path));
    } else if (name.endsWith('.spec.js')) found.push(path);
  }
  return found;
}

const filter = process.argv.slice(2);
let specs = findSpecs(join(outDir, 'test')).sort();
if (filter.length > 0) specs = specs.filter((spec) => filter.some((f) => spec.includes(f)));
if (specs.length === 0) {
  console.error('No spec files found under test/ (or none matched the filter).');
  process.exit(1);
}

const run = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-timeout=60000', '--test-concurrency=2', ...specs],
  { cwd: root, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
