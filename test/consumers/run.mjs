#!/usr/bin/env node
// The consumer matrix: what users install is what we test. Builds and packs the library, checks
// the tarball (contents, source maps, type resolution with @arethetypeswrong/cli), then installs
// it into each fixture app under test/consumers/ and runs that app's own scripts.
//
// Each fixture is copied to a temporary directory first: inside the repository, Node and
// TypeScript would find packages missing from the fixture in the repository's own node_modules
// (e.g. @nestjs/schedule), and a fixture must see only what it installed. There: `npm ci` from
// the fixture's committed lock file, then the tarball with `npm install --no-save` (the lock
// must come out unchanged), then the fixture's steps.
//
// The apps' boot and tests also run on the oldest Node versions the package claims: the floor of
// package.json `engines` and 22.0.0 (the first Node 22, which cannot require() an ES module).
// Those Node binaries come from the registry's node-<platform>-<arch> packages.
//
// Usage: node test/consumers/run.mjs [fixture-name ...] [--keep] [--tarball path.tgz] [--current-node-only]
//   --keep               keep the temporary directory (it is always kept when something fails)
//   --tarball            test this tarball instead of building and packing the working tree
//   --current-node-only  skip the runs on older Node versions
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixturesDir = join(root, 'test/consumers');

/**
 * The fixtures and what each must prove. `steps` are the fixture's own npm scripts, in order
 * (`olderNodeSteps` the ones run again on each older Node);
 * `absent` are packages that must not be installed after our tarball went in, `single` packages
 * that must be installed exactly once (the app's own copy, none nested under ours).
 */
const FIXTURES = [
  {
    name: 'nest11-cjs-jest',
    about: 'Nest 11, CommonJS, Jest + ts-jest (the Nest 11 `nest new` template), no @nestjs/schedule',
    steps: ['build', 'smoke', 'test', 'test:e2e'],
    olderNodeSteps: ['smoke', 'test', 'test:e2e'],
    absent: ['@nestjs/schedule'],
    single: [],
  },
  {
    name: 'nest12-esm-vitest',
    about: "Nest 12, ESM, Vitest 4.1 (the Nest 12 ESM template), the e2e spec also under Jest's ESM mode, no @nestjs/schedule",
    steps: ['build', 'smoke', 'test', 'test:e2e', 'test:e2e:jest-esm'],
    // Vite 8 (under Vitest) needs Node 20.19; the app itself is checked by its boot.
    olderNodeSteps: ['smoke'],
    absent: ['@nestjs/schedule'],
    single: [],
  },
  {
    name: 'own-scheduler-nest11-cjs',
    about: "Nest 11, CommonJS, Jest: the app's own ScheduleModule.forRoot() (@nestjs/schedule 6) and @Interval job",
    steps: ['build', 'smoke', 'test'],
    olderNodeSteps: ['smoke', 'test'],
    absent: [],
    single: ['@nestjs/schedule'],
  },
  {
    name: 'own-scheduler-nest12-esm',
    about: "Nest 12, ESM, node:test: the app's own ScheduleModule.forRoot() (@nestjs/schedule 12) and @Interval job",
    steps: ['build', 'smoke', 'test'],
    olderNodeSteps: ['smoke', 'test'],
    absent: [],
    single: ['@nestjs/schedule'],
  },
  {
    name: 'types',
    about: 'tsc --noEmit from CommonJS and ESM files under node10, node16, nodenext and bundler resolution',
    steps: ['typecheck'],
    olderNodeSteps: [],
    absent: [],
    single: [],
  },
];

// ---------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const currentNodeOnly = args.includes('--current-node-only');
const tarballArg = args.includes('--tarball') ? args[args.indexOf('--tarball') + 1] : undefined;
const selected = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--tarball');
const unknown = selected.filter((name) => !FIXTURES.some((fixture) => fixture.name === name));
if (unknown.length > 0) fail(`Unknown fixture(s): ${unknown.join(', ')}. Known: ${FIXTURES.map((f) => f.name).join(', ')}`);
const fixtures = selected.length > 0 ? FIXTURES.filter((fixture) => selected.includes(fixture.name)) : FIXTURES;

const onDisk = readdirSync(fixturesDir).filter((name) => statSync(join(fixturesDir, name)).isDirectory());
const unlisted = onDisk.filter((name) => !FIXTURES.some((fixture) => fixture.name === name));
if (unlisted.length > 0) fail(`test/consumers/ has fixture folders that run.mjs does not run: ${unlisted.join(', ')}`);

// npm passes its own configuration to scripts as npm_* variables; a fixture's npm must not
// inherit ours (e.g. the root package's name, or a --prefix).
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// Older Node versions run the fixtures' scripts while npm itself keeps running on this Node
// (npm 11 does not start on Node 22.0): npm's CLI script, run with process.execPath.
const npmCli =
  process.env.npm_execpath?.endsWith('npm-cli.js') ? process.env.npm_execpath : join(capture(npm, ['root', '-g'], root).trim(), 'npm/bin/npm-cli.js');

const work = mkdtempSync(join(tmpdir(), 'nestjs-alicom-sms-consumers-'));
const results = [];
const started = Date.now();

function fail(message) {
  console.error(`\nconsumer matrix: ${message}`);
  process.exit(1);
}

function log(message) {
  console.log(`\n=== ${message}`);
}

/** Runs a command with inherited output; returns whether it succeeded. */
function run(command, commandArgs, cwd, commandEnv = env) {
  console.log(`$ ${[command, ...commandArgs].join(' ')}   (in ${cwd})`);
  const child = spawnSync(command, commandArgs, { cwd, env: commandEnv, stdio: 'inherit' });
  if (child.error) console.error(child.error);
  return child.status === 0;
}

/** Runs a command and returns its stdout (throws with its output when it fails). */
function capture(command, commandArgs, cwd) {
  const child = spawnSync(command, commandArgs, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${child.stdout}\n${child.stderr}`);
  return child.stdout;
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Times `body` as one named check of the report. */
function check(name, body) {
  const at = Date.now();
  let error;
  try {
    const ok = body();
    if (ok === false) error = new Error('failed (see the output above)');
  } catch (caught) {
    error = caught;
  }
  const seconds = (Date.now() - at) / 1000;
  results.push({ name, ok: !error, seconds });
  if (error) console.error(`\n✖ ${name}: ${error.message ?? error}`);
  else console.log(`✔ ${name} (${seconds.toFixed(1)} s)`);
  return !error;
}

// --- the tarball -------------------------------------------------------------------------------

let tarball = tarballArg ? resolve(tarballArg) : undefined;
if (!tarball) {
  log('build and pack the library');
  check('npm run build', () => run(npm, ['run', 'build'], root));
  check('npm pack', () => {
    const [packed] = JSON.parse(capture(npm, ['pack', '--json', '--pack-destination', work], root));
    tarball = join(work, packed.filename);
    console.log(`packed ${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB`);
  });
}
if (!tarball || !existsSync(tarball)) fail('no tarball to test');

log('tarball contents');
const unpacked = join(work, 'unpacked');
mkdirSync(unpacked);
capture('tar', ['-xzf', tarball, '-C', unpacked], root);
const packageDir = join(unpacked, 'package');

function listFiles(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}
const files = new Set(listFiles(packageDir));

check('the tarball holds LICENSE, README.md, dist/esm, dist/cjs (as CommonJS) and lib sources only', () => {
  for (const required of ['LICENSE', 'README.md', 'package.json', 'dist/cjs/package.json']) {
    if (!files.has(required)) throw new Error(`missing ${required}`);
  }
  if (!/^MIT License/.test(readFileSync(join(packageDir, 'LICENSE'), 'utf8'))) throw new Error('LICENSE is not the MIT license');
  const cjsType = JSON.parse(readFileSync(join(packageDir, 'dist/cjs/package.json'), 'utf8')).type;
  if (cjsType !== 'commonjs') throw new Error(`dist/cjs/package.json says type ${cjsType}`);
  const stray = [...files].filter((file) => !/^(dist\/(esm|cjs)\/|lib\/)/.test(file) && !['LICENSE', 'README.md', 'package.json'].includes(file));
  if (stray.length > 0) throw new Error(`unexpected files: ${stray.join(', ')}`);
});

check('every exports target, main and types is in the tarball', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const targets = [manifest.main, manifest.types];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  collect(manifest.typesVersions);
  const missing = targets.map((target) => target.replace(/^\.\//, '')).filter((target) => !files.has(target));
  if (missing.length > 0) throw new Error(`missing: ${missing.join(', ')}`);
});

check('every source map points at files that are in the tarball', () => {
  const maps = [...files].filter((file) => file.endsWith('.map'));
  if (maps.length === 0) throw new Error('no source maps at all');
  const broken = [];
  for (const map of maps) {
    const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(packageDir, map), 'utf8'));
    for (const source of sources) {
      const target = resolve(dirname(join(packageDir, map)), sourceRoot, source);
      if (!target.startsWith(packageDir) || !existsSync(target)) broken.push(`${map} -> ${source}`);
    }
    if (!files.has(map.replace(/\.map$/, ''))) broken.push(`${map} has no .js beside it`);
  }
  if (broken.length > 0) throw new Error(`${broken.length} broken: ${broken.slice(0, 5).join('; ')}`);
  console.log(`${maps.length} source maps, all sources shipped`);
});

check('@arethetypeswrong/cli: no problems under node10, node16 (CJS and ESM) and bundler', () =>
  run(join(root, 'node_modules/.bin/attw'), [tarball], root),
);

// --- older Node versions ------------------------------------------------------------------------

const enginesFloor = /^>=\s*(\d+\.\d+\.\d+)$/.exec(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).engines?.node ?? '')?.[1];
if (!enginesFloor) fail('package.json engines.node is not of the form ">=x.y.z"');
const olderNodes = currentNodeOnly ? [] : [...new Set([enginesFloor, '22.0.0'])].filter((version) => version !== process.versions.node);
/** Directory of the `node` binary of each older version. */
const olderNodeBins = new Map();
for (const version of olderNodes) {
  const platform = { win32: 'win' }[process.platform] ?? process.platform;
  const name = `node-${platform}-${process.arch}@${version}`;
  check(`fetch Node ${version} (${name})`, () => {
    const into = join(work, `node-${version}`);
    mkdirSync(into);
    const [packed] = JSON.parse(capture(npm, ['pack', name, '--json', '--pack-destination', into], root));
    capture('tar', ['-xzf', join(into, packed.filename), '-C', into], root);
    const bin = join(into, 'package', 'bin');
    const reported = capture(join(bin, 'node'), ['--version'], root).trim();
    if (reported !== `v${version}`) throw new Error(`the binary says ${reported}`);
    olderNodeBins.set(version, bin);
  });
}

// --- the fixtures ------------------------------------------------------------------------------

for (const fixture of fixtures) {
  log(`${fixture.name}: ${fixture.about}`);
  const dir = join(work, fixture.name);
  cpSync(join(fixturesDir, fixture.name), dir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist|coverage)$/.test(source),
  });
  const lock = join(dir, 'package-lock.json');
  const ok =
    check(`${fixture.name}: npm ci`, () => {
      if (!existsSync(lock)) throw new Error('the fixture has no committed package-lock.json');
      return run(npm, ['ci', '--no-audit', '--no-fund'], dir);
    }) &&
    check(`${fixture.name}: install the tarball without changing the lock`, () => {
      const before = [sha256(lock), sha256(join(dir, 'package.json'))];
      if (!run(npm, ['install', '--no-save', '--no-audit', '--no-fund', tarball], dir)) return false;
      const after = [sha256(lock), sha256(join(dir, 'package.json'))];
      if (before.join() !== after.join()) throw new Error('package.json or package-lock.json changed');
      const installed = JSON.parse(readFileSync(join(dir, 'node_modules/nestjs-alicom-sms/package.json'), 'utf8'));
      console.log(`installed nestjs-alicom-sms ${installed.version} from ${tarball}`);
    }) &&
    check(`${fixture.name}: installed once: ${fixture.single.join(', ') || '-'}; not installed: ${fixture.absent.join(', ') || '-'}`, () => {
      for (const name of fixture.single) {
        const paths = capture(npm, ['ls', name, '--all', '--parseable'], dir).trim().split('\n').filter(Boolean);
        if (paths.length !== 1) throw new Error(`${name} should be installed once (the app's copy), found: ${paths.join(', ')}`);
      }
      for (const name of fixture.absent) {
        // `npm ls` exits 1 when the package is not there: read its JSON either way.
        const listing = spawnSync(npm, ['ls', name, '--all', '--json'], { cwd: dir, env, encoding: 'utf8' });
        const tree = JSON.parse(listing.stdout.trim() || '{}');
        if (tree.dependencies && Object.keys(tree.dependencies).length > 0) {
          throw new Error(`${name} is installed: ${JSON.stringify(tree.dependencies)}`);
        }
        if (existsSync(join(dir, 'node_modules', name))) throw new Error(`node_modules/${name} exists`);
      }
    });
  if (ok) {
    let built = true;
    for (const step of fixture.steps) {
      const passed = check(`${fixture.name}: npm run ${step}`, () => run(npm, ['run', step], dir));
      // Later steps need the build; after any other failure they still run and report.
      if (!passed && step === 'build') {
        built = false;
        break;
      }
    }
    for (const [version, bin] of built ? olderNodeBins : []) {
      const olderEnv = { ...env, PATH: `${bin}${delimiter}${env.PATH}` };
      for (const step of fixture.olderNodeSteps) {
        check(`${fixture.name}: npm run ${step} on Node ${version}`, () =>
          run(process.execPath, [npmCli, 'run', step], dir, olderEnv),
        );
      }
    }
  }
}

// --- summary ---------------------------------------------------------------------------------

const failed = results.filter((result) => !result.ok);
console.log(`\n=== consumer matrix: ${results.length - failed.length} of ${results.length} checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const result of results) console.log(`${result.ok ? '✔' : '✖'} ${result.name} (${result.seconds.toFixed(1)} s)`);
if (failed.length > 0 || keep) console.log(`\nWork directory kept: ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(failed.length > 0 ? 1 : 0);
