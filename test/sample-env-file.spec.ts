// The sample's tiny .env reader: the subset of dotenv syntax it promises, and precedence.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseEnvFile, readEnvFiles } from '../sample-app/src/config/env-file.js';
import { loadSampleEnvironment } from '../sample-app/src/config/sample-environment.js';

describe('sample .env reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sample-env-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads KEY=value lines, export, comments and quotes', () => {
    const values = parseEnvFile(
      [
        '# Alibaba Cloud',
        'ALICOM_ACCESS_KEY_ID=LTAI5tExample',
        'export ALICOM_QUEUE_PREFIX = Alicom-Queue-1092397003988387-   # from the console',
        "ALICOM_SIGN_NAME='阿里云 短信#测试'",
        'MULTI="a\\nb"',
        'EMPTY=',
        'not a line',
        '',
      ].join('\r\n'),
    );
    assert.deepEqual(values, {
      ALICOM_ACCESS_KEY_ID: 'LTAI5tExample',
      ALICOM_QUEUE_PREFIX: 'Alicom-Queue-1092397003988387-',
      ALICOM_SIGN_NAME: '阿里云 短信#测试',
      MULTI: 'a\nb',
      EMPTY: '',
    });
  });

  it('merges existing files in order, later ones winning, and skips missing ones', () => {
    mkdirSync(join(dir, 'sample-app'));
    writeFileSync(join(dir, '.env'), 'PORT=4000\nHOST=0.0.0.0\n');
    writeFileSync(join(dir, 'sample-app', '.env'), 'PORT=5000\n');
    const { values, files } = readEnvFiles([join(dir, '.env'), join(dir, 'sample-app', '.env'), join(dir, 'missing.env')]);
    assert.deepEqual(values, { PORT: '5000', HOST: '0.0.0.0' });
    assert.deepEqual(files, [join(dir, '.env'), join(dir, 'sample-app', '.env')]);
  });

  it('lets real environment variables win over .env files', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sample-env-cwd-'));
    writeFileSync(join(cwd, '.env'), 'SAMPLE_ENV_SPEC_REAL=from-file\nSAMPLE_ENV_SPEC_FILE_ONLY=from-file\n');
    process.env.SAMPLE_ENV_SPEC_REAL = 'from-process';
    try {
      const { env, files } = loadSampleEnvironment(cwd);
      assert.equal(env.SAMPLE_ENV_SPEC_REAL, 'from-process');
      assert.equal(env.SAMPLE_ENV_SPEC_FILE_ONLY, 'from-file');
      assert.deepEqual(files, [join(cwd, '.env')]);
    } finally {
      delete process.env.SAMPLE_ENV_SPEC_REAL;
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
