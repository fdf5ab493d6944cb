#!/usr/bin/env node
// Compiles lib/ + test/ into .test-dist (and with --build, as `npm test` does, dist/ alongside) and
// runs every *.spec.js with node's test runner; other arguments select spec files by name.
// Node 20's `node --test` has no glob support and falls back to auto-discovery on an empty
// list, so the spec files are listed explicitly (and an empty list is an error). test/instances/
// is left to test/run-instance-tests.mjs.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.test-dist');
const args = process.argv.slice(2);
// `npm test` passes --build: dist/ first (the sample app and the package tests import it by the
// package's name); other arguments select spec files by name.
const build = args.includes('--build');
const filter = args.filter((arg) => arg !== '--build');

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (build) run('npm', ['run', 'build', '--silent']);
rmSync(outDir, { recursive: true, force: true });
// TypeScript 7's native tsc (the typescript-native devDependency): the same compiler, several
// times faster; the nest CLI, which needs the compiler API, keeps TypeScript 6 for the sample.
run(process.execPath, [join(root, 'node_modules/typescript-native/bin/tsc'), '-p', 'tsconfig.spec.json']);

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

/**
 * End-to-end files (Nest apps, real servers, a browser) take the longest: they start first, so
 * the short unit files fill the last gaps instead of one long file running alone at the end.
 */
const runsLong = (spec) => /\.(e2e|browser)\.spec\.js$/.test(spec);

let specs = findSpecs(join(outDir, 'test')).sort((a, b) => Number(runsLong(b)) - Number(runsLong(a)) || a.localeCompare(b));
if (filter.length > 0) specs = specs.filter((spec) => filter.some((f) => spec.includes(f)));
if (specs.length === 0) {
  console.error('No spec files found under test/ (or none matched the filter).');
  process.exit(1);
}

// One file more than the 2 cores of the reference machine: end-to-end files spend part of their
// time waiting on sockets and a browser, and a third file fills that time (measured: 22 s against
// 26-33 s for 2 at the same load; 4 was no faster).
const tests = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-timeout=60000', '--test-concurrency=3', ...specs],
  { cwd: root, stdio: 'inherit' },
);
process.exit(tests.status ?? 1);
