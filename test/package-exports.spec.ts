// The published entry points load through the package's own `exports`, both as ESM and via
// require() (require(esm) is on by default from Node 20.19).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);

describe('package exports (built dist)', () => {
  it('imports the main entry as ESM', async () => {
    const api = await import('nestjs-alicom-sms');
    assert.equal(typeof api.AlicomSmsModule.forRoot, 'function');
    assert.equal(typeof api.AlicomSmsModule.forRootAsync, 'function');
    assert.equal(typeof api.SmsService, 'function');
    assert.equal(typeof api.AlicomSmsError, 'function');
  });

  it('requires the main entry from CommonJS', () => {
    const api = require('nestjs-alicom-sms');
    assert.equal(typeof api.AlicomSmsModule.forRoot, 'function');
    assert.equal(typeof api.SmsService, 'function');
  });

  it('imports and requires the testing entry', async () => {
    const esm = await import('nestjs-alicom-sms/testing');
    const cjs = require('nestjs-alicom-sms/testing');
    assert.equal(typeof esm.AlicomEmulator.start, 'function');
    assert.equal(cjs.AlicomEmulator, esm.AlicomEmulator);
  });
});
