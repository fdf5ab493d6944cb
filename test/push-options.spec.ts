import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AlicomSmsConfigError } from '../lib/errors/alicom-sms-config.error.js';
import { resolveAlicomSmsOptions } from '../lib/options/alicom-sms-options.resolver.js';

const SECRET = 'Push-s3cr3t_0123456789abcdef';
const BASE = { accessKeyId: 'id', accessKeySecret: 'secret' };

function problemsOf(push: unknown): Array<{ field: string; problem: string }> {
  try {
    resolveAlicomSmsOptions({ ...BASE, push });
  } catch (error) {
    assert.ok(error instanceof AlicomSmsConfigError);
    return [...error.problems];
  }
  return [];
}

function fieldsOf(push: unknown): string[] {
  return problemsOf(push).map((p) => p.field);
}

describe('push options', () => {
  it('fills in the defaults, and turns compensation on as receipts do', () => {
    const resolved = resolveAlicomSmsOptions({ ...BASE, push: { path: '/alicom/receipts', secret: SECRET } });
    assert.ok(resolved.push);
    const { secret, ...rest } = resolved.push;
    assert.equal(secret?.matches(SECRET), true);
    assert.deepEqual(rest, {
      routes: [{ path: '/alicom/receipts' }],
      types: ['SmsReport', 'SmsUp'],
      secretIn: 'path',
      allowFrom: undefined,
      trustProxy: 0,
      maxBodyBytes: 1_048_576,
      answerTimeoutMs: 500,
      maxConcurrentRequests: 16,
      registerRoutes: true,
      shutdownTimeoutMs: 10_000,
    });
    assert.equal(resolved.receipts, false);
    assert.notEqual(resolved.compensation, false, 'pushed receipts are back-filled like queued ones');
    assert.equal(resolveAlicomSmsOptions({ ...BASE, push: false }).push, false);
    assert.equal(resolveAlicomSmsOptions(BASE).push, false);
  });

  it('takes one path per type, or the types of one path', () => {
    const perType = resolveAlicomSmsOptions({ ...BASE, push: { paths: { SmsUp: '/hooks/sms-up', SmsReport: '/hooks/sms-report' }, secret: SECRET } });
    assert.ok(perType.push);
    assert.deepEqual(perType.push.routes, [{ path: '/hooks/sms-up', type: 'SmsUp' }, { path: '/hooks/sms-report', type: 'SmsReport' }]);
    assert.deepEqual(perType.push.types, ['SmsUp', 'SmsReport']);
    const reportsOnly = resolveAlicomSmsOptions({ ...BASE, push: { path: '/hooks', types: ['SmsReport'], secret: SECRET, secretIn: 'query' } });
    assert.ok(reportsOnly.push);
    assert.deepEqual(reportsOnly.push.types, ['SmsReport']);
    assert.equal(reportsOnly.push.secretIn, 'query');
  });

  it('combines with the queues per type', () => {
    const resolved = resolveAlicomSmsOptions({
      ...BASE,
      receipts: { queuePrefix: 'Alicom-Queue-1092397003988387-', types: ['SmsUp'] },
      push: { path: '/alicom/sms-report', types: ['SmsReport'], secret: SECRET },
    });
    assert.ok(resolved.receipts && resolved.push);
    assert.deepEqual([resolved.receipts.types, resolved.push.types], [['SmsUp'], ['SmsReport']]);
  });

  it('needs a path and a secret to register routes, neither without', () => {
    assert.deepEqual(fieldsOf({}), ['push.path', 'push.secret']);
    assert.match(problemsOf({ secret: SECRET })[0].problem, /is required: the path Alibaba pushes to/);
    const manual = resolveAlicomSmsOptions({ ...BASE, push: { registerRoutes: false } });
    assert.ok(manual.push);
    assert.deepEqual([manual.push.routes, manual.push.secret], [[], undefined]);
    assert.deepEqual(fieldsOf({ registerRoutes: false, path: '/a' }), ['push.path']);
    assert.match(problemsOf({ registerRoutes: false, path: '/a' })[0].problem, /no effect with registerRoutes: false/);
  });

  it('names every bad path', () => {
    for (const path of ['alicom', '/alicom/', '/alicom/:secret', '/alicom?x=1', '/', '/a b', 42]) {
      assert.deepEqual(fieldsOf({ path, secret: SECRET }), ['push.path'], inspect(path));
    }
    assert.deepEqual(fieldsOf({ path: '/a', paths: { SmsUp: '/b' }, secret: SECRET }), ['push.paths']);
    assert.deepEqual(fieldsOf({ paths: { SmsUp: '/b', Other: '/c' }, secret: SECRET }), ['push.paths.Other']);
    assert.deepEqual(fieldsOf({ paths: { SmsUp: '/b/' }, secret: SECRET }), ['push.paths.SmsUp']);
    assert.deepEqual(fieldsOf({ paths: {}, secret: SECRET }), ['push.paths']);
    assert.match(problemsOf({ paths: { SmsUp: '/b', SmsReport: '/b' }, secret: SECRET })[0].problem, /use push\.path: '\/b' instead/);
    assert.deepEqual(fieldsOf({ paths: { SmsUp: '/b' }, types: ['SmsUp'], secret: SECRET }), ['push.types']);
    assert.deepEqual(fieldsOf({ path: '/b', types: [], secret: SECRET }), ['push.types']);
    assert.deepEqual(fieldsOf({ path: '/b', types: ['SmsUp', 'SmsUp'], secret: SECRET }), ['push.types']);
  });

  it('refuses a weak or unusable secret without repeating it', () => {
    for (const secret of ['short-secret', 'has a space in it 0123', 'slash/is/not/allowed/0123', 'x'.repeat(101), 12345678901234567890]) {
      const problems = problemsOf({ path: '/a', secret });
      assert.deepEqual(problems.map((p) => p.field), ['push.secret'], inspect(secret));
      assert.match(problems[0].problem, /16-100 characters among A-Z a-z 0-9 - _ \. ~/);
      assert.doesNotMatch(problems[0].problem, /short-secret|space|slash|xxxx|1234567890/);
    }
    assert.deepEqual(fieldsOf({ path: '/a', secret: 'x'.repeat(100) }), []);
  });

  it('checks the other settings', () => {
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, secretIn: 'header' }), ['push.secretIn']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, allowFrom: [] }), ['push.allowFrom']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, allowFrom: ['203.0.113.0/24', 'example.com'] }), ['push.allowFrom[1]']);
    assert.match(problemsOf({ path: '/a', secret: SECRET, trustProxy: true })[0].problem, /number of reverse proxies/);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, trustProxy: 11 }), ['push.trustProxy']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, maxBodyBytes: 100 }), ['push.maxBodyBytes']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, answerTimeoutMs: 0 }), ['push.answerTimeoutMs']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, maxConcurrentRequests: 0 }), ['push.maxConcurrentRequests']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, shutdownTimeoutMs: -1 }), ['push.shutdownTimeoutMs']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, registerRoutes: 'yes' }), ['push.registerRoutes']);
    assert.deepEqual(fieldsOf({ path: '/a', secret: SECRET, url: 'https://x' }), ['push.url']);
    assert.deepEqual(fieldsOf('yes'), ['push']);
  });

  it('keeps the secret out of inspect and JSON output of the resolved options', () => {
    const resolved = resolveAlicomSmsOptions({ ...BASE, push: { path: '/a', secret: SECRET } });
    assert.doesNotMatch(inspect(resolved, { depth: 10 }), /s3cr3t/);
    assert.doesNotMatch(JSON.stringify(resolved), /s3cr3t/);
  });
});
