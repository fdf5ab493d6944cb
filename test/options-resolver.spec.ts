import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { resolveAlicomSmsOptions } from '../lib/options/alicom-sms-options.resolver.js';
import { AlicomSmsConfigError } from '../lib/errors/alicom-sms-config.error.js';
import { protectModuleOptions } from '../lib/options/protected-options.js';
import { RedactedSecret } from '../lib/utils/redacted-secret.js';

function problemsOf(raw: unknown): string[] {
  try {
    resolveAlicomSmsOptions(raw);
  } catch (error) {
    assert.ok(error instanceof AlicomSmsConfigError);
    return error.problems.map((p) => p.field);
  }
  return [];
}

describe('module options resolution', () => {
  it('applies HTTPS official defaults', () => {
    const resolved = resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'secret' });
    assert.equal(resolved.regionId, 'cn-hangzhou');
    assert.deepEqual(resolved.endpoints, {
      sms: 'https://dysmsapi.aliyuncs.com',
      token: 'https://dybaseapi.aliyuncs.com',
      mns: 'https://1943695596114318.mns.cn-hangzhou.aliyuncs.com',
    });
    assert.equal(resolved.receipts, false);
    assert.equal(resolved.requestTimeoutMs, 10_000);
  });

  it('uses the regional hosts', () => {
    const resolved = resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'secret', regionId: 'cn-shanghai' });
    assert.equal(resolved.endpoints.mns, 'https://1943695596114318.mns.cn-shanghai.aliyuncs.com');
    const intl = resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'secret', regionId: 'ap-southeast-1' });
    assert.equal(intl.endpoints.sms, 'https://dysmsapi.ap-southeast-1.aliyuncs.com');
  });

  it('normalises endpoint origins and fills receipt defaults', () => {
    const resolved = resolveAlicomSmsOptions({
      accessKeyId: 'id',
      accessKeySecret: 'secret',
      endpoints: { sms: 'http://127.0.0.1:4100/', mns: 'http://127.0.0.1:4100' },
      receipts: { queuePrefix: 'Alicom-Queue-1092397003988387-', batchSize: 8 },
    });
    assert.equal(resolved.endpoints.sms, 'http://127.0.0.1:4100');
    assert.ok(resolved.receipts);
    assert.equal(resolved.receipts.batchSize, 8);
    assert.equal(resolved.receipts.waitSeconds, 30);
    assert.deepEqual(resolved.receipts.types, ['SmsReport', 'SmsUp']);
  });

  it('names every bad field at once', () => {
    assert.deepEqual(
      problemsOf({
        accessKeySecret: 'x y',
        regionId: 'moon',
        endpoints: { sms: 'https://h/path', token: 'ftp://h', extra: 'x' },
        requestTimeoutMs: 5,
        maxQueryRetries: 1.5,
        receipts: { queuePrefix: 'Alicom-Queue-1-SmsReport', batchSize: 17, types: [], pollers: 3 },
        accesKeyId: 'typo',
      }).sort(),
      [
        'accesKeyId',
        'accessKeyId',
        'accessKeySecret',
        'endpoints.extra',
        'endpoints.sms',
        'endpoints.token',
        'maxQueryRetries',
        'receipts.batchSize',
        'receipts.pollers',
        'receipts.queuePrefix',
        'receipts.types',
        'regionId',
        'requestTimeoutMs',
      ],
    );
    assert.deepEqual(problemsOf(undefined), ['options']);
  });

  it('keeps the secret out of inspect and JSON output', () => {
    const resolved = resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'very-secret-value', securityToken: 'token-value' });
    assert.equal(resolved.credentials.accessKeySecret, 'very-secret-value');
    const dumps = [inspect(resolved, { depth: 5, showHidden: true }), JSON.stringify(resolved)];
    for (const dump of dumps) {
      assert.ok(!dump.includes('very-secret-value'), dump);
      assert.ok(!dump.includes('token-value'), dump);
    }
  });

  it('does not echo the secret in configuration errors', () => {
    try {
      resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'has space secret' });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof AlicomSmsConfigError);
      assert.ok(!error.message.includes('has space secret'));
    }
  });

  it('bounds maxResponseBytes (default 4 MiB)', () => {
    assert.equal(resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'secret' }).maxResponseBytes, 4 * 1024 * 1024);
    assert.equal(resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'secret', maxResponseBytes: 262_144 }).maxResponseBytes, 262_144);
    assert.deepEqual(problemsOf({ accessKeyId: 'id', accessKeySecret: 'secret', maxResponseBytes: 1024 }), ['maxResponseBytes']);
    assert.deepEqual(problemsOf({ accessKeyId: 'id', accessKeySecret: 'secret', maxResponseBytes: 128 * 1024 * 1024 }), ['maxResponseBytes']);
  });

  it('reads secrets held as RedactedSecret, as forRoot stores them, and plain strings alike', () => {
    const stored = protectModuleOptions<Record<string, unknown>>({ accessKeyId: 'id', accessKeySecret: 'the-secret', securityToken: 'the-token' });
    assert.ok(stored.accessKeySecret instanceof RedactedSecret);
    assert.ok(!inspect(stored, { depth: 50, showHidden: true }).includes('the-secret'));
    assert.ok(!JSON.stringify(stored).includes('the-token'));
    const resolved = resolveAlicomSmsOptions(stored);
    assert.equal(resolved.credentials.accessKeySecret, 'the-secret');
    assert.equal(resolved.credentials.securityToken, 'the-token');
    assert.ok(!inspect(resolved, { depth: 50, showHidden: true }).includes('the-secret'));
    assert.deepEqual(problemsOf({ accessKeyId: 'id', accessKeySecret: new RedactedSecret(' spaced ') }), ['accessKeySecret']);
  });

  it('keeps known options an options class defines as prototype getters', () => {
    class Options {
      get accessKeyId(): string {
        return 'id';
      }
      get accessKeySecret(): string {
        return 'from-a-getter';
      }
    }
    const resolved = resolveAlicomSmsOptions(protectModuleOptions(new Options()));
    assert.equal(resolved.credentials.accessKeySecret, 'from-a-getter');
  });

  it('prints a supplied dispatcher as its class name only (its pool holds in-flight requests)', () => {
    class ProxyAgent {
      readonly inFlight = [{ headers: { 'security-token': 'token-in-a-header' } }];
      request(): void {}
    }
    const options = { accessKeyId: 'id', accessKeySecret: 'secret', dispatcher: new ProxyAgent() as never };
    for (const shown of [inspect(protectModuleOptions(options), { depth: 50, showHidden: true }), inspect(resolveAlicomSmsOptions(options), { depth: 50, showHidden: true })]) {
      assert.ok(!shown.includes('token-in-a-header'), shown);
      assert.match(shown, /\[ProxyAgent\]/);
    }
  });
});
