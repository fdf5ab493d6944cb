// The published entry points load through the package's own `exports`: `import` gets the ESM build
// (dist/esm), `require` the CommonJS build (dist/cjs), and a process that loads both is warned.
// Module loading is per process, so each scenario runs in a child Node process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to .test-dist/test/, so the repository root is two levels up.
const root = fileURLToPath(new URL('../../', import.meta.url));

interface ScriptResult {
  /** What the script printed with `report(value)`. */
  reported: any;
  stderr: string;
}

const REPORT_PREFIX = 'REPORT ';
const LOADED_COPIES = "globalThis[Symbol.for('nestjs-alicom-sms.loaded-copies')]";

/** Runs `source` as a CommonJS or ESM script from the repository root (package self-reference). */
function runScript(format: 'commonjs' | 'module', source: string): ScriptResult {
  const prelude = `const report = (value) => console.log(${JSON.stringify(REPORT_PREFIX)} + JSON.stringify(value));\n`;
  const child = spawnSync(process.execPath, [`--input-type=${format}`, '-e', prelude + source], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, `script failed:\n${child.stderr}`);
  const line = child.stdout.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  assert.ok(line, `script reported nothing:\n${child.stdout}\n${child.stderr}`);
  return { reported: JSON.parse(line.slice(REPORT_PREFIX.length)), stderr: child.stderr };
}

const DUPLICATE_WARNING = /\[ALICOM_SMS_DUPLICATE_PACKAGE\]/g;

describe('package exports (built dist)', () => {
  it('imports every entry as ESM from dist/esm, one copy, no warning', () => {
    const { reported, stderr } = runScript(
      'module',
      `import 'reflect-metadata';
       const api = await import('nestjs-alicom-sms');
       const testing = await import('nestjs-alicom-sms/testing');
       const terminus = await import('nestjs-alicom-sms/terminus');
       report({
         forRoot: typeof api.AlicomSmsModule.forRoot,
         forRootAsync: typeof api.AlicomSmsModule.forRootAsync,
         smsService: typeof api.SmsService,
         error: typeof api.AlicomSmsError,
         emulator: typeof testing.AlicomEmulator.start,
         health: typeof terminus.AlicomSmsHealthIndicator,
         copies: ${LOADED_COPIES},
       });`,
    );
    assert.deepEqual(reported, {
      forRoot: 'function',
      forRootAsync: 'function',
      smsService: 'function',
      error: 'function',
      emulator: 'function',
      health: 'function',
      copies: [{ format: 'esm', path: join(root, 'dist/esm') }],
    });
    assert.doesNotMatch(stderr, DUPLICATE_WARNING);
  });

  it('requires every entry from CommonJS as the dist/cjs build, one copy, no warning', () => {
    const { reported, stderr } = runScript(
      'commonjs',
      `require('reflect-metadata');
       const api = require('nestjs-alicom-sms');
       const testing = require('nestjs-alicom-sms/testing');
       const terminus = require('nestjs-alicom-sms/terminus');
       report({
         main: require.resolve('nestjs-alicom-sms'),
         forRoot: typeof api.AlicomSmsModule.forRoot,
         smsService: typeof api.SmsService,
         error: typeof api.AlicomSmsError,
         emulator: typeof testing.AlicomEmulator.start,
         health: typeof terminus.AlicomSmsHealthIndicator,
         copies: ${LOADED_COPIES},
       });`,
    );
    assert.deepEqual(reported, {
      main: join(root, 'dist/cjs/index.js'),
      forRoot: 'function',
      smsService: 'function',
      error: 'function',
      emulator: 'function',
      health: 'function',
      copies: [{ format: 'commonjs', path: join(root, 'dist/cjs') }],
    });
    assert.doesNotMatch(stderr, DUPLICATE_WARNING);
  });

  it('warns once, naming both builds and the fix, when one process loads both', () => {
    const { reported, stderr } = runScript(
      'module',
      `import 'reflect-metadata';
       import { createRequire } from 'node:module';
       const esm = await import('nestjs-alicom-sms');
       const cjs = createRequire(process.cwd() + '/')('nestjs-alicom-sms');
       await import('nestjs-alicom-sms/terminus');
       report({ sameModuleClass: esm.AlicomSmsModule === cjs.AlicomSmsModule, copies: ${LOADED_COPIES}.length });`,
    );
    assert.deepEqual(reported, { sameModuleClass: false, copies: 2 });
    assert.equal(stderr.match(DUPLICATE_WARNING)?.length, 1, stderr);
    assert.ok(stderr.includes(`the ESM build at ${join(root, 'dist/esm')}`), stderr);
    assert.ok(stderr.includes(`the CommonJS build at ${join(root, 'dist/cjs')}`), stderr);
    assert.match(stderr, /Load the package one way only/);
  });

  it('ships CommonJS declarations as CommonJS and ESM declarations as ESM', () => {
    const { reported } = runScript(
      'commonjs',
      `report({
         cjs: require('./dist/cjs/package.json').type,
         root: require('./package.json').type,
       });`,
    );
    assert.deepEqual(reported, { cjs: 'commonjs', root: 'module' });
  });
});
