// The RPC and MNS clients against gateways that misbehave on purpose (a node:http server of the
// test's own): answers that reflect the request with its secrets, and answers past
// maxResponseBytes. Every error a caller sees — message, stack, code, request id, cause chain and
// util.inspect at depth 50 — is free of the AccessKey secret, the STS token and queue tokens.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, afterEach, before, describe, it } from 'node:test';
import { Test, type TestingModule } from '@nestjs/testing';
import { AlicomApiError, AlicomSmsModule, MnsRequestError, SmsReceiptListener, SmsService } from '../lib/index.js';
import { HttpTransport } from '../lib/http/http-transport.js';
import { MnsClient } from '../lib/mns/mns.client.js';
import { resolveAlicomSmsOptions } from '../lib/options/alicom-sms-options.resolver.js';
import { AlicomEmulator } from '../lib/testing/index.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { mnsErrorXml, startHostileServer, type HostileServer } from './support/hostile-server.js';
import { waitFor } from './support/stepping-clock.js';

const SECRET = 'AccessKeySecret+Of/This=Test/Only9';
const STS_TOKEN = 'CAIS+module/STS+token/reflected/by=a/gateway==Zq8Lr2VwX1yT9';

/** Every form a reflected secret may take (the form body is percent-encoded, its string to sign twice). */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret)), secret.slice(0, 16), secret.slice(-16)];
}

/** Everything an error lets a caller or a log see. */
function everythingShown(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const err = e as Error & Record<string, unknown>;
    parts.push(String(err.message), String(err.stack), JSON.stringify(Object.entries(err)), String(err.code), String(err.requestId));
  }
  parts.push(inspect(error, { depth: 50, showHidden: true }));
  return parts.join('\n');
}

function assertNoSecret(error: unknown, secrets: readonly string[]): void {
  const shown = everythingShown(error);
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      const at = shown.indexOf(form);
      assert.equal(at, -1, `found ${JSON.stringify(form)} in: ${shown.slice(Math.max(0, at - 200), at + 60)}`);
    }
  }
}

/** A POP gateway that echoes the whole request — form body, headers — into its answer. */
function reflectingRoute(kind: 'json-error' | 'json-5xx' | 'not-json' | 'in-code-and-id') {
  return (_req: unknown, res: import('node:http').ServerResponse, body: string, seen: { headers: Record<string, unknown> }) => {
    const decoded = decodeURIComponent(body.replace(/\+/g, ' '));
    const echo = `request was: ${body} | decoded: ${decoded} | headers: ${JSON.stringify(seen.headers)}`;
    const token = /SecurityToken=([^&]*)/.exec(body)?.[1] ?? '';
    if (kind === 'not-json') return void res.writeHead(502, { 'content-type': 'text/html' }).end(`<html><pre>${decoded}</pre></html>`);
    const answer =
      kind === 'in-code-and-id'
        ? { RequestId: decodeURIComponent(token), Code: `Invalid.${decodeURIComponent(token)}`, Message: echo }
        : { RequestId: 'R-1', Code: kind === 'json-5xx' ? 'InternalError' : 'InvalidParameter', Message: `${echo} server string to sign is:${body}` };
    res.writeHead(kind === 'json-5xx' ? 500 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  };
}

describe('RPC calls against a gateway that reflects the request', () => {
  let gateway: HostileServer;
  let moduleRef: TestingModule;

  before(async () => {
    gateway = await startHostileServer();
    moduleRef = await Test.createTestingModule({
      imports: [
        AlicomSmsModule.forRoot({
          accessKeyId: 'LTAI5tReflectTestKey',
          accessKeySecret: SECRET,
          securityToken: STS_TOKEN,
          endpoints: { sms: gateway.url },
          maxQueryRetries: 0,
        }),
      ],
    }).compile();
    await moduleRef.init();
  });
  after(async () => {
    await moduleRef.close();
    await gateway.close();
  });

  for (const kind of ['json-error', 'json-5xx', 'not-json', 'in-code-and-id'] as const) {
    it(`keeps the secrets out of every part of the error (${kind})`, async () => {
      gateway.route = reflectingRoute(kind);
      const sms = moduleRef.get(SmsService);
      const send = await sms.sendSms({ phoneNumbers: '13800138000', signName: 'S', templateCode: 'SMS_1' }).catch((e: unknown) => e);
      assert.ok(send instanceof AlicomApiError, String(send));
      assert.ok(gateway.requests.at(-1)?.body.includes(encodeURIComponent(STS_TOKEN)), 'the STS token was sent (and reflected)');
      assertNoSecret(send, [SECRET, STS_TOKEN]);
      const query = await sms.querySendDetails({ phoneNumber: '13800138000', sendDate: new Date() }).catch((e: unknown) => e);
      assert.ok(query instanceof AlicomApiError, String(query));
      assertNoSecret(query, [SECRET, STS_TOKEN]);
    });
  }

  it('fails an answer past maxResponseBytes as ResponseTooLarge, not resend-safe for a send', async () => {
    gateway.route = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"Code":"OK","RequestId":"R","Pad":"${'x'.repeat(5 * 1024 * 1024)}"}`);
    const error = await moduleRef
      .get(SmsService)
      .sendSms({ phoneNumbers: '13800138000', signName: 'S', templateCode: 'SMS_1' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof AlicomApiError, String(error));
    assert.equal(error.code, 'ResponseTooLarge');
    assert.equal(error.resendSafe, false);
    assert.match(error.message, /4194304-byte limit.*do not resend blindly/);
  });
});

describe('queue tokens handed out by a token endpoint that then echoes them', () => {
  const open: Array<{ moduleRef: TestingModule; gateway: HostileServer; emulator: AlicomEmulator }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.moduleRef.close();
      await o.gateway.close();
      await o.emulator.close();
    }
  });

  it('never quotes the credentials of a malformed token answer, nor echoes of tokens it issued', async () => {
    const emulator = await AlicomEmulator.start();
    const issued = { AccessKeyId: 'STS.NfGh3', AccessKeySecret: 'QueueTokenSecret+Issued/Earlier=9', SecurityToken: 'CAIS+queue/token/issued=earlier+by/the/endpoint==' };
    let phase: 'malformed' | 'issue' | 'echo' = 'malformed';
    let tokensIssued = 0;
    const gateway = await startHostileServer((_req, res) => {
      if (phase === 'malformed') {
        // No Code: "not Alibaba's JSON", whose text is quoted into the error — credentials included.
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageTokenDTO: issued }));
      }
      if (phase === 'issue') {
        const expire = new Date(Date.now() + 8 * 3600_000 + 3600_000).toISOString().replace('T', ' ').slice(0, 19);
        tokensIssued++;
        return void res.writeHead(200).end(JSON.stringify({ Code: 'OK', RequestId: 'R', MessageTokenDTO: { ...issued, ExpireTime: expire } }));
      }
      res.writeHead(400).end(JSON.stringify({ Code: 'InvalidParameter', RequestId: 'R', Message: `your token ${issued.SecurityToken} and secret ${issued.AccessKeySecret}` }));
    });
    const logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AlicomSmsModule.forRoot({
          ...emulator.credentials,
          endpoints: { sms: gateway.url, token: gateway.url, mns: emulator.endpoints.mns },
          receipts: { queuePrefix: emulator.queuePrefix, types: ['SmsReport'], pollersPerQueue: 1, autoStart: true },
          compensation: false,
          maxQueryRetries: 0,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    open.push({ moduleRef, gateway, emulator });
    await moduleRef.init();
    const listener = moduleRef.get(SmsReceiptListener);
    await waitFor(() => listener.health().queues[0].consecutiveErrors >= 1, 'the malformed token answer');
    const shown = `${listener.health().queues[0].lastError}\n${logger.text()}`;
    assert.match(shown, /MalformedResponse|not Alibaba's JSON/);
    for (const secret of [issued.AccessKeySecret, issued.SecurityToken]) {
      for (const form of forms(secret)) assert.ok(!shown.includes(form), `found ${form} in ${shown}`);
    }

    // Now the endpoint issues the token for real, and a later answer echoes it.
    phase = 'issue';
    const sms = moduleRef.get(SmsService);
    await waitFor(() => tokensIssued >= 1, 'a token issued', 20_000);
    phase = 'echo';
    const error = await sms.sendSms({ phoneNumbers: '13800138000', signName: 'S', templateCode: 'SMS_1' }).catch((e: unknown) => e);
    assert.ok(error instanceof AlicomApiError, String(error));
    assertNoSecret(error, [issued.AccessKeySecret, issued.SecurityToken, emulator.credentials.accessKeySecret]);
  });
});

describe('MnsClient against an MNS that reflects the request', () => {
  let mns: HostileServer;
  let transport: HttpTransport;
  before(async () => {
    mns = await startHostileServer((_req, res, _body, seen) => {
      const token = String(seen.headers['security-token']);
      res
        .writeHead(403, { 'content-type': 'text/xml', 'x-mns-request-id': token })
        .end(mnsErrorXml(`Denied${token.slice(0, 24)}`, `headers were ${JSON.stringify(seen.headers)} encoded ${encodeURIComponent(token)}`, token));
    });
    transport = new HttpTransport(resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'secret-not-used' }));
  });
  after(async () => {
    await transport.close();
    await mns.close();
  });

  it('gives an error whose message, code, request id, stack, causes and inspection hold no token', async () => {
    const credentials = { accessKeyId: 'STS.Reflect', accessKeySecret: 'QueueSecret+For/Signing=Only', securityToken: STS_TOKEN };
    const client = new MnsClient(transport, mns.url);
    const error = await client.batchReceive('Alicom-Queue-1-SmsReport', credentials, { numOfMessages: 1, waitSeconds: 0 }).catch((e: unknown) => e);
    assert.ok(error instanceof MnsRequestError, String(error));
    assert.equal(error.credentialsRejected, true, 'still classified by status');
    assertNoSecret(error, [credentials.accessKeySecret, credentials.securityToken]);
  });
});
