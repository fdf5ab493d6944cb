// Narrow unit tests of how Alibaba's answers map to AlicomApiError, on undici's MockAgent.
// Everything else about the RPC path is tested end to end against the emulator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { resolveAlicomSmsOptions } from '../lib/options/alicom-sms-options.resolver.js';
import { AlicomSmsClock } from '../lib/clock/alicom-sms.clock.js';
import { AlicomApiError } from '../lib/errors/alicom-api.error.js';
import { HttpTransport } from '../lib/http/http-transport.js';
import { PopRpcClient } from '../lib/rpc/pop-rpc.client.js';

const ORIGIN = 'https://dysmsapi.aliyuncs.com';

function clientWith(reply: (pool: ReturnType<MockAgent['get']>) => void, extra: Record<string, unknown> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  reply(agent.get(ORIGIN));
  const options = resolveAlicomSmsOptions({ accessKeyId: 'id', accessKeySecret: 'the-secret', dispatcher: agent, maxQueryRetries: 0, ...extra });
  return new PopRpcClient(options, new HttpTransport(options), new AlicomSmsClock());
}

async function failure(client: PopRpcClient, idempotent: boolean): Promise<AlicomApiError> {
  try {
    await client.call({ endpoint: ORIGIN, action: idempotent ? 'QuerySendDetails' : 'SendSms', params: {}, idempotent });
  } catch (error) {
    assert.ok(error instanceof AlicomApiError, String(error));
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('POP RPC error mapping', () => {
  it('a non-JSON answer to a send is MalformedResponse and not safe to resend', async () => {
    const client = clientWith((pool) => pool.intercept({ path: '/', method: 'POST' }).reply(502, '<html>Bad Gateway</html>'));
    const error = await failure(client, false);
    assert.equal(error.code, 'MalformedResponse');
    assert.equal(error.httpStatus, 502);
    assert.equal(error.resendSafe, false);
    assert.equal(error.retryable, true);
  });

  it('a 5xx Alibaba error on a send may have been processed: not safe to resend', async () => {
    const client = clientWith((pool) =>
      pool.intercept({ path: '/', method: 'POST' }).reply(503, { RequestId: 'R-1', Code: 'ServiceUnavailable', Message: 'busy' }),
    );
    const error = await failure(client, false);
    assert.equal(error.code, 'ServiceUnavailable');
    assert.equal(error.requestId, 'R-1');
    assert.equal(error.resendSafe, false);
    assert.equal(error.retryable, true);
  });

  it('drops the echoed string to sign, which can carry the security token', async () => {
    const client = clientWith(
      (pool) =>
        pool.intercept({ path: '/', method: 'POST' }).reply(400, {
          RequestId: 'R-2',
          Code: 'SignatureDoesNotMatch',
          Message: 'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3Dsts-token-value',
        }),
      { securityToken: 'sts-token-value' },
    );
    const error = await failure(client, true);
    assert.equal(error.code, 'SignatureDoesNotMatch');
    assert.ok(!error.message.includes('sts-token-value'), error.message);
    assert.ok(!error.message.includes('the-secret'));
  });

  it('treats HTTP 200 with a Code other than OK as an error', async () => {
    const client = clientWith((pool) =>
      pool.intercept({ path: '/', method: 'POST' }).reply(200, { RequestId: 'R-3', Code: 'isv.AMOUNT_NOT_ENOUGH', Message: '账户余额不足' }),
    );
    const error = await failure(client, false);
    assert.equal(error.code, 'isv.AMOUNT_NOT_ENOUGH');
    assert.equal(error.httpStatus, 200);
    assert.equal(error.resendSafe, true);
    assert.match(error.message, /balance/);
  });
});
