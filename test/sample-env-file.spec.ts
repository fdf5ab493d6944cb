// The sample's configuration as AppModule loads it (@nestjs/config with the sample's `.env` files
// and its `sample` namespace): .env syntax, which file wins, real variables winning, validation.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { envFilePaths, readSampleConfig, sampleConfig, type SampleConfig } from '../sample-app/src/config/sample.config.js';

/** Variables the sample reads, plus this file's own: kept out of the tests and restored after. */
const OWNED = /^(ALICOM_|PORT$|HOST$|SAMPLE_ENV_SPEC_)/;

/** Loads the configuration the way AppModule does, from `.env` files under `cwd`. */
async function loadConfig(cwd: string): Promise<{ sample: SampleConfig; config: ConfigService }> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot({ envFilePath: envFilePaths(cwd), load: [sampleConfig] })],
  }).compile();
  return { sample: moduleRef.get<SampleConfig>(sampleConfig.KEY), config: moduleRef.get(ConfigService) };
}

describe('sample configuration', () => {
  let cwd: string;
  let saved: Record<string, string | undefined>;

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'sample-env-'));
    // ConfigModule copies file values into process.env: start and end every test without them.
    saved = {};
    for (const key of Object.keys(process.env).filter((k) => OWNED.test(k))) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
  });

  afterEach(() => {
    for (const key of Object.keys(process.env).filter((k) => OWNED.test(k))) delete process.env[key];
    Object.assign(process.env, saved);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('reads KEY=value lines, export, comments and quotes from .env', async () => {
    writeFileSync(
      join(cwd, '.env'),
      [
        '# Alibaba Cloud',
        'ALICOM_ACCESS_KEY_ID=LTAI5tExample',
        'ALICOM_ACCESS_KEY_SECRET="example secret"',
        'export ALICOM_QUEUE_PREFIX = Alicom-Queue-1092397003988387-   # from the console',
        "ALICOM_SIGN_NAME='阿里云 短信#测试'",
        'SAMPLE_ENV_SPEC_MULTI="a\\nb"',
        'SAMPLE_ENV_SPEC_EMPTY=',
        'not a line',
        '',
      ].join('\r\n'),
    );
    const { sample, config } = await loadConfig(cwd);
    assert.equal(sample.mode, 'alibaba');
    assert.deepEqual(sample.alibaba, { accessKeyId: 'LTAI5tExample', accessKeySecret: 'example secret', regionId: undefined });
    assert.deepEqual(sample.receipts, { via: 'mns', queuePrefix: 'Alicom-Queue-1092397003988387-' });
    assert.equal(sample.messageDefaults.signName, '阿里云 短信#测试');
    assert.equal(config.get('SAMPLE_ENV_SPEC_MULTI'), 'a\nb');
    assert.equal(config.get('SAMPLE_ENV_SPEC_EMPTY'), '');
  });

  it('merges sample-app/.env over the root .env, and skips missing files', async () => {
    mkdirSync(join(cwd, 'sample-app'));
    writeFileSync(join(cwd, '.env'), 'PORT=4000\nHOST=0.0.0.0\n');
    writeFileSync(join(cwd, 'sample-app', '.env'), 'PORT=5000\n');
    const { sample } = await loadConfig(cwd);
    assert.equal(sample.port, 5000);
    assert.equal(sample.host, '0.0.0.0');

    rmSync(join(cwd, 'sample-app'), { recursive: true });
    for (const key of ['PORT', 'HOST']) delete process.env[key];
    assert.equal((await loadConfig(cwd)).sample.port, 4000);
  });

  it('lets real environment variables win over .env files', async () => {
    writeFileSync(join(cwd, '.env'), 'ALICOM_TEST_PHONE=13800000001\nALICOM_TEMPLATE_CODE=SMS_FROM_FILE\n');
    process.env.ALICOM_TEST_PHONE = '13800000002';
    const { sample } = await loadConfig(cwd);
    assert.equal(sample.messageDefaults.phoneNumber, '13800000002');
    assert.equal(sample.messageDefaults.templateCode, 'SMS_FROM_FILE');
  });

  it('runs on the emulator with no configuration, treating empty values as unset', () => {
    const sample = readSampleConfig({ ALICOM_ACCESS_KEY_ID: '', ALICOM_ACCESS_KEY_SECRET: '', PORT: '', HOST: '' });
    assert.equal(sample.mode, 'emulator');
    assert.equal(sample.alibaba, undefined);
    assert.deepEqual(sample.receipts, { via: 'mns' });
    assert.equal(sample.port, 3000);
    assert.equal(sample.host, '127.0.0.1');
    assert.equal(sample.messageDefaults.phoneNumber, '13800138000');
  });

  it('turns receipts off in Alibaba mode without ALICOM_QUEUE_PREFIX', () => {
    const sample = readSampleConfig({ ALICOM_ACCESS_KEY_ID: 'LTAI5tExample', ALICOM_ACCESS_KEY_SECRET: 'example secret' });
    assert.equal(sample.mode, 'alibaba');
    assert.equal(sample.receipts, false);
    assert.deepEqual(sample.messageDefaults, { signName: undefined, templateCode: undefined, phoneNumber: undefined });
  });

  it('refuses invalid variables at startup, naming each and never echoing the secret', async () => {
    writeFileSync(join(cwd, '.env'), 'PORT=http\nALICOM_ACCESS_KEY_SECRET=do-not-print-me\n');
    const error = await loadConfig(cwd).then(
      () => assert.fail('the configuration loaded'),
      (e: unknown) => e as Error,
    );
    assert.match(error.message, /PORT: must be an integer from 0 to 65535/);
    assert.match(error.message, /ALICOM_ACCESS_KEY_ID: is required with ALICOM_ACCESS_KEY_SECRET/);
    assert.ok(!error.message.includes('do-not-print-me'));
    assert.throws(() => readSampleConfig({ PORT: '65536' }), /PORT: must be an integer from 0 to 65535/);
  });
});
