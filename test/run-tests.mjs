#!/usr/bin/env node
// Compiles lib/ + test/ into .test-dist and runs every *.spec.js with node's test runner.
// Node 20's `node --test` has no glob support and falls back to auto-discovery on an empty
// list, so the spec files are listed explicitly (and an empty list is an error). test/instances/
// is left to test/run-instance-tests.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.test-dist');

// Incremental: a run after a small change re-checks only what it affects. The build info lives in
// the output directory, so deleting .test-dist starts from scratch.
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.spec.json', '--incremental', '--tsBuildInfoFile', join(outDir, 'spec.tsbuildinfo')],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** Compiled specs whose source still exists (a deleted spec's output stays behind in .test-dist). */
function findSpecs(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // The multi-process tests have their own runner (npm run test:instances).
      if (name !== 'instances') found.push(...findSpecs(path));
    } else if (name.endsWith('.spec.js') && existsSync(join(root, relative(outDir, path)).replace(/\.js$/, '.ts'))) found.push(path);
  }
  return found;
}

/**
 * End-to-end files (Nest apps, real servers, a browser) take the longest: they start first, so
 * the short unit files fill the last gaps instead of one long file running alone at the end.
 */
const runsLong = (spec) => /\.(e2e|browser)\.spec\.js$/.test(spec);

const filter = process.argv.slice(2);
let specs = findSpecs(join(outDir, 'test')).sort((a, b) => Number(runsLong(b)) - Number(runsLong(a)) || a.localeCompare(b));
if (filter.length > 0) specs = specs.filter((spec) => filter.some((f) => spec.includes(f)));
if (specs.length === 0) {
  console.error('No spec files found under test/ (or none matched the filter).');
  process.exit(1);
}

// One file more than the 2 cores of the reference machine: end-to-end files spend part of their
// time waiting on sockets and a browser, and a third file fills that time (measured: 22 s against
// 26-33 s for 2 at the same load; 4 was no faster).
const run = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-timeout=60000', '--test-concurrency=3', ...specs],
  { cwd: root, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
