// Shared by the secrets-inspect-*.e2e specs: secrets never reachable through util.inspect — at
// depth 50 with showHidden, of every injectable the module provides and of the app itself — while
// receipts are being polled (live queue tokens sit in the headers of in-flight long-polls inside
// the undici pool) and a send is in flight (the module's STS token sits in its form body). The
// module's own classes print a summary; an inspection of the app prints Nest's whole container
// (~130 MB, seconds of CPU), so each spec file holds at most one of those.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  ALICOM_SMS_MODULE_OPTIONS,
  AlicomSmsClock,
  type AlicomSmsModuleOptions,
  CompensationSweeper,
  SmsPushReceiver,
  SmsReceiptListener,
  SmsService,
} from '../../lib/index.js';
import { AlicomEmulator } from '../../lib/testing/index.js';
import { until } from './until.js';

/** An STS token shaped like Alibaba's (Base64: `+`, `/`, `=` change under percent-encoding). */
export const MODULE_STS_TOKEN = 'CAIS+module/STS+token/only/for/this/test==Zq8Lr2VwX1yT9';
/** The push URL's shared secret (a receiver without routes: the app mounts it itself). */
export const PUSH_SECRET = 'push-secret-only-for-this-test_Zq8Lr2';

export interface Harness {
  emulator: AlicomEmulator;
  moduleRef: TestingModule;
  /** Every queue token the emulator issued to the module. */
  queueTokens: Array<{ AccessKeySecret: string; SecurityToken: string }>;
  /** Cancels the send held in flight. */
  sends?: AbortController;
}

/** Stops what a test started: the held send, the module, the emulator. */
export async function closeHarness(h: Harness): Promise<void> {
  h.sends?.abort();
  await h.moduleRef.close();
  await h.emulator.close();
}

export async function startEmulator(): Promise<Pick<Harness, 'emulator' | 'queueTokens'>> {
  const emulator = await AlicomEmulator.start();
  const queueTokens: Harness['queueTokens'] = [];
  const issue = emulator.mns.issueToken.bind(emulator.mns);
  emulator.mns.issueToken = (messageType, queueName) => {
    const token = issue(messageType, queueName);
    queueTokens.push(token);
    return token;
  };
  return { emulator, queueTokens };
}

export function moduleOptions(emulator: AlicomEmulator): AlicomSmsModuleOptions {
  return {
    ...emulator.credentials,
    securityToken: MODULE_STS_TOKEN,
    endpoints: emulator.endpoints,
    receipts: { queuePrefix: emulator.queuePrefix, waitSeconds: 30 },
    push: { secret: PUSH_SECRET, registerRoutes: false },
  };
}

/** The forms a secret can take in memory: as is, and percent-encoded in a form body. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret)])];
}

function assertNoSecrets(what: string, text: string, h: Harness): void {
  const secrets = [
    ['the AccessKey secret', h.emulator.credentials.accessKeySecret],
    ['the module STS token', MODULE_STS_TOKEN],
    ['the push secret', PUSH_SECRET],
    ...h.queueTokens.flatMap((t, i) => [
      [`queue token ${i} secret`, t.AccessKeySecret],
      [`queue token ${i} security token`, t.SecurityToken],
    ]),
  ];
  for (const [name, secret] of secrets) {
    for (const form of forms(secret)) {
      const at = text.indexOf(form);
      assert.equal(at, -1, `${what} shows ${name} at ${at}: …${text.slice(Math.max(0, at - 200), at + 40)}…`);
    }
  }
}

const deep = (value: unknown) => inspect(value, { depth: 50, showHidden: true });

/** Both queues polled (tokens issued, long-polls open) and a send held in flight by the emulator. */
async function busy(h: Harness): Promise<void> {
  const listener = h.moduleRef.get(SmsReceiptListener);
  const { SmsReport, SmsUp } = h.emulator.queues;
  await until(
    () => h.emulator.mns.stats(SmsReport).waitingReceives > 0 && h.emulator.mns.stats(SmsUp).waitingReceives > 0,
    'open long-polls on both queues',
  );
  assert.ok(listener.health().queues.every((q) => q.receivesInProgress > 0 && q.receivingSince !== undefined));
  assert.ok(h.queueTokens.length >= 2, 'queue tokens were issued');
  // Held by the emulator for the whole test, so its form body (with the STS token) stays in the pool.
  h.emulator.latencyMs = 120_000;
  h.sends = new AbortController();
  void h.moduleRef
    .get(SmsService)
    .sendSms({ phoneNumbers: '13800138000', signName: 'S', templateCode: 'SMS_1' }, { signal: h.sends.signal })
    .catch(() => undefined);
  await until(() => h.emulator.rpcRequests.some((r) => r.action === 'SendSms'), 'the send to reach the emulator');
}

/** What can be inspected. */
export type TargetName =
  | 'SmsService'
  | 'SmsReceiptListener'
  | 'SmsPushReceiver'
  | 'CompensationSweeper'
  | 'AlicomSmsClock'
  | 'ALICOM_SMS_MODULE_OPTIONS'
  | 'the app (TestingModule)';

/** Inspects each target while the module is busy. */
export async function inspectTargets(h: Harness, names: readonly TargetName[]): Promise<void> {
  await busy(h);
  const all: Record<TargetName, () => unknown> = {
    SmsService: () => h.moduleRef.get(SmsService),
    SmsReceiptListener: () => h.moduleRef.get(SmsReceiptListener),
    SmsPushReceiver: () => h.moduleRef.get(SmsPushReceiver),
    CompensationSweeper: () => h.moduleRef.get(CompensationSweeper),
    AlicomSmsClock: () => h.moduleRef.get(AlicomSmsClock),
    ALICOM_SMS_MODULE_OPTIONS: () => h.moduleRef.get(ALICOM_SMS_MODULE_OPTIONS),
    'the app (TestingModule)': () => h.moduleRef,
  };
  const targets = names.map((name) => [name, all[name]()] as const);
  for (const [name, target] of targets) {
    const text = deep(target);
    assertNoSecrets(`inspect(${name})`, text, h);
    if (name.startsWith('the app')) {
      // The inspection did reach deep: the pollers, the options' key id, the HTTP transport.
      assert.ok(text.includes(h.emulator.queues.SmsReport), 'the app inspection reached the pollers');
      assert.ok(text.includes(h.emulator.credentials.accessKeyId), 'the app inspection reached the options');
      assert.ok(text.includes('HttpTransport {'), 'the app inspection reached the HTTP transport');
    }
  }
}

/** An options factory as apps write them; it reads its values from outside the container (like process.env). */
export function optionsFactoryFor(emulator: AlicomEmulator) {
  @Injectable()
  class EnvOptionsFactory {
    create(): AlicomSmsModuleOptions {
      return moduleOptions(emulator);
    }
  }
  return EnvOptionsFactory;
}


/** An app with `AlicomSmsModule.forRoot()` against a fresh emulator, receipts polling. */
export async function forRootHarness(): Promise<Harness> {
  const { Test } = await import('@nestjs/testing');
  const { AlicomSmsModule } = await import('../../lib/index.js');
  const { emulator, queueTokens } = await startEmulator();
  const moduleRef = await Test.createTestingModule({ imports: [AlicomSmsModule.forRoot(moduleOptions(emulator))] }).compile();
  await moduleRef.init();
  return { emulator, moduleRef, queueTokens };
}

/** One spec file's test: a forRoot app, busy, and `targets` inspected. */
export function describeInspection(targets: readonly TargetName[], extra?: (harness: () => Harness) => void): void {
  describe(`secrets and util.inspect (depth 50, showHidden): ${targets.join(', ')}`, () => {
    let h: Harness;
    before(async () => {
      h = await forRootHarness();
    });
    after(() => closeHarness(h));
    it(`shows no secret in ${targets.join(', ')} while long-polls and a send are in flight`, async () => {
      await inspectTargets(h, targets);
    });
    extra?.(() => h);
  });
}
