import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { AlicomSmsError } from '../lib/errors/alicom-sms.error.js';
import { MnsRequestError } from '../lib/errors/mns-request.error.js';
import { HttpTransport } from '../lib/http/http-transport.js';
import type { ResolvedAlicomSmsOptions } from '../lib/options/resolved-alicom-sms-options.js';
import { mnsSignature, mnsStringToSign } from '../lib/mns/mns-signature.js';
import { MnsClient } from '../lib/mns/mns.client.js';
import type { MnsCredentials } from '../lib/mns/mns.types.js';

// Narrow error-mapping tests over undici's MockAgent; the wire itself is tested against the emulator.

const ORIGIN = 'http://1943695596114318.mns.cn-hangzhou.aliyuncs.com';
const QUEUE = 'Alicom-Queue-1111111111111111-SmsReport';
const MESSAGES_PATH = `/queues/${QUEUE}/messages`;
const SECRET = 'docExampleTmpSecret';
const TOKEN = 'CAISdocExampleToken';
const CREDENTIALS: MnsCredentials = { accessKeyId: 'STS.docExampleTmpId', accessKeySecret: SECRET, securityToken: TOKEN };
const NOW = new Date('2023-03-15T06:07:08Z');
const XML_HEADERS = { 'content-type': 'text/xml;charset=utf-8', 'x-mns-request-id': '56302D9BB8C115C72842FEEE' };

function errorXml(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>${code}</Code>` +
    `<Message>${message}</Message><RequestId>6411A12C0A1B2C3D4E5F6071</RequestId><HostId>${ORIGIN}</HostId></Error>`
  );
}

/** HttpTransport reads only `dispatcher`; the rest of the resolved options is not this test's concern. */
function transportOptions(agent: MockAgent): ResolvedAlicomSmsOptions {
  const options: Partial<ResolvedAlicomSmsOptions> = { dispatcher: agent };
  return options as ResolvedAlicomSmsOptions;
}

/** The request as MockAgent saw it. */
interface SeenRequest {
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

async function rejection(promise: Promise<unknown>): Promise<MnsRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MnsRequestError, `expected an MnsRequestError, got ${String(error)}`);
    assert.ok(error instanceof AlicomSmsError);
    assert.ok(!error.message.includes(SECRET) && !error.message.includes(TOKEN), error.message);
    return error;
  }
  assert.fail('expected the call to reject');
}

describe('MnsClient', () => {
  let agent: MockAgent;
  let mns: ReturnType<MockAgent['get']>;
  let client: MnsClient;

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    mns = agent.get(ORIGIN);
    client = new MnsClient(new HttpTransport(transportOptions(agent)), `${ORIGIN}/`, { now: () => NOW, requestTimeoutMs: 500 });
  });

  afterEach(async () => {
    await agent.close();
  });

  /** Answers the next request with the given response and records what was sent. */
  function replyOnce(statusCode: number, data: string, headers: Record<string, string> = XML_HEADERS): SeenRequest[] {
    const seen: SeenRequest[] = [];
    mns
      .intercept({ path: () => true, method: () => true })
      .reply((opts) => {
        seen.push({
          path: opts.path,
          method: opts.method,
          headers: opts.headers as Record<string, string>,
          body: typeof opts.body === 'string' ? opts.body : undefined,
        });
        return { statusCode, data, responseOptions: { headers } };
      });
    return seen;
  }

  describe('batchReceive', () => {
    it('treats 404 MessageNotExist as an empty queue, after a signed long-poll request', async () => {
      const seen = replyOnce(404, errorXml('MessageNotExist', 'Message not exist.'));
      const messages = await client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 0 });
      assert.deepEqual(messages, []);
      const [request] = seen;
      assert.equal(request.method, 'GET');
      assert.equal(request.path, `${MESSAGES_PATH}?numOfMessages=16&waitseconds=0`);
      assert.equal(request.headers.date, 'Wed, 15 Mar 2023 06:07:08 GMT');
      assert.equal(request.headers['x-mns-version'], '2015-06-06');
      assert.equal(request.headers['security-token'], TOKEN);
      const expected = mnsSignature(
        mnsStringToSign({ method: 'GET', date: request.headers.date, headers: { 'x-mns-version': '2015-06-06' }, resource: request.path }),
        SECRET,
      );
      assert.equal(request.headers.authorization, `MNS STS.docExampleTmpId:${expected}`);
    });

    it('returns the parsed messages of a 200', async () => {
      replyOnce(
        200,
        '<Messages><Message><MessageId>1E5</MessageId><ReceiptHandle>1-AAAA</ReceiptHandle><MessageBodyMD5>X</MessageBodyMD5>' +
          '<MessageBody>e30=</MessageBody><EnqueueTime>1</EnqueueTime><NextVisibleTime>3</NextVisibleTime>' +
          '<FirstDequeueTime>2</FirstDequeueTime><DequeueCount>4</DequeueCount><Priority>8</Priority></Message></Messages>',
      );
      const messages = await client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 1, waitSeconds: 30 });
      assert.deepEqual(
        messages.map((m) => [m.messageId, m.receiptHandle, m.body, m.dequeueCount]),
        [['1E5', '1-AAAA', 'e30=', 4]],
      );
    });

    it('403 SignatureDoesNotMatch: credentialsRejected, not retryable, no secret or token in the message', async () => {
      replyOnce(403, errorXml('SignatureDoesNotMatch', `The request signature we calculated does not match (token ${TOKEN}).`));
      const error = await rejection(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1 }));
      assert.equal(error.code, 'SignatureDoesNotMatch');
      assert.equal(error.action, 'BatchReceiveMessage');
      assert.equal(error.httpStatus, 403);
      assert.equal(error.requestId, '56302D9BB8C115C72842FEEE');
      assert.equal(error.credentialsRejected, true);
      assert.equal(error.retryable, false);
      assert.ok(error instanceof AlicomSmsError);
      assert.ok(error.message.includes('SignatureDoesNotMatch') && error.message.includes(QUEUE), error.message);
    });

    it('an expired-token code is a credentials rejection whatever the status', async () => {
      replyOnce(400, errorXml('SecurityTokenExpired', 'expired'), { 'content-type': 'text/xml' });
      const error = await rejection(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1 }));
      assert.equal(error.credentialsRejected, true);
      assert.equal(error.requestId, '6411A12C0A1B2C3D4E5F6071', 'falls back to the document RequestId');
    });

    it('500 InternalError is retryable; 404 QueueNotExist is not and is not an empty queue', async () => {
      replyOnce(500, errorXml('InternalError', 'Interal error.'));
      const serverError = await rejection(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1 }));
      assert.equal(serverError.code, 'InternalError');
      assert.equal(serverError.retryable, true);
      assert.equal(serverError.credentialsRejected, false);

      replyOnce(404, errorXml('QueueNotExist', 'The queue name you provided is not exist.'));
      const missing = await rejection(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1 }));
      assert.equal(missing.code, 'QueueNotExist');
      assert.equal(missing.retryable, false);
    });

    it('malformed XML in a 200 is MalformedResponse', async () => {
      replyOnce(200, '<Messages><Message><MessageId>1</MessageId>');
      const error = await rejection(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1 }));
      assert.equal(error.code, 'MalformedResponse');
      assert.equal(error.httpStatus, 200);
      assert.ok(error.message.includes('<Messages>'), error.message);
    });

    it('an HTML 502 from a proxy is MalformedResponse and retryable', async () => {
      replyOnce(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
      const error = await rejection(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1 }));
      assert.equal(error.code, 'MalformedResponse');
      assert.equal(error.httpStatus, 502);
      assert.equal(error.retryable, true);
    });

    it('a caller abort is code Aborted; a broken connection is a retryable NetworkError', async () => {
      mns.intercept({ path: () => true, method: 'GET' }).reply(200, '<Messages/>').delay(5_000);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const aborted = await rejection(
        client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1, signal: controller.signal }),
      );
      assert.equal(aborted.code, 'Aborted');
      assert.equal(aborted.retryable, false);

      mns.intercept({ path: () => true, method: 'GET' }).replyWithError(new Error('socket hang up'));
      const network = await rejection(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 16, waitSeconds: 1 }));
      assert.equal(network.code, 'NetworkError');
      assert.equal(network.retryable, true);
      assert.equal(network.httpStatus, undefined);
    });

    it('rejects out-of-range arguments before sending', async () => {
      await assert.rejects(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 17, waitSeconds: 1 }), RangeError);
      await assert.rejects(client.batchReceive(QUEUE, CREDENTIALS, { numOfMessages: 1, waitSeconds: 31 }), RangeError);
    });
  });

  describe('batchDelete', () => {
    it('204: nothing failed; the signed body lists the handles', async () => {
      const seen = replyOnce(204, '');
      assert.deepEqual(await client.batchDelete(QUEUE, CREDENTIALS, ['1-AAAA', '1-BB+/==']), { failed: [] });
      const [request] = seen;
      assert.equal(request.method, 'DELETE');
      assert.equal(request.path, MESSAGES_PATH);
      assert.equal(request.headers['content-type'], 'text/xml');
      assert.equal(request.headers['content-md5'].length, 44);
      assert.ok(request.body?.includes('<ReceiptHandle>1-BB+/==</ReceiptHandle>'));
    });

    it('404 <Errors>: the handles that failed are returned, not thrown', async () => {
      replyOnce(
        404,
        '<Errors xmlns="http://mns.aliyuncs.com/doc/v1/"><Error><ErrorCode>MessageNotExist</ErrorCode>' +
          '<ErrorMessage>Message not exist.</ErrorMessage><ReceiptHandle>1-BBBB</ReceiptHandle></Error></Errors>',
      );
      const result = await client.batchDelete(QUEUE, CREDENTIALS, ['1-AAAA', '1-BBBB']);
      assert.deepEqual(result, { failed: [{ receiptHandle: '1-BBBB', code: 'MessageNotExist', message: 'Message not exist.' }] });
    });

    it('404 <Error>: a request-level failure is thrown', async () => {
      replyOnce(404, errorXml('QueueNotExist', 'The queue name you provided is not exist.'));
      const error = await rejection(client.batchDelete(QUEUE, CREDENTIALS, ['1-AAAA']));
      assert.equal(error.code, 'QueueNotExist');
      assert.equal(error.action, 'BatchDeleteMessage');
    });

    it('sends nothing for no handles and refuses more than 16', async () => {
      const seen = replyOnce(204, '');
      assert.deepEqual(await client.batchDelete(QUEUE, CREDENTIALS, []), { failed: [] });
      assert.equal(seen.length, 0, 'no request for an empty batch');
      assert.equal(agent.pendingInterceptors().length, 1, 'the answer is still unused');
      await assert.rejects(client.batchDelete(QUEUE, CREDENTIALS, Array.from({ length: 17 }, (_, i) => `1-${i}`)), RangeError);
    });
  });

  describe('changeVisibility', () => {
    it('percent-encodes the handle and signs exactly that request-target', async () => {
      const seen = replyOnce(
        200,
        '<ChangeVisibility><ReceiptHandle>1-NEW+/==</ReceiptHandle><NextVisibleTime>1678860518000</NextVisibleTime></ChangeVisibility>',
      );
      const result = await client.changeVisibility(QUEUE, CREDENTIALS, '1-ODU+/==', 60);
      assert.deepEqual(result, { receiptHandle: '1-NEW+/==', nextVisibleTime: new Date(1678860518000) });
      const [request] = seen;
      assert.equal(request.method, 'PUT');
      assert.equal(request.path, `${MESSAGES_PATH}?receiptHandle=1-ODU%2B%2F%3D%3D&visibilityTimeout=60`);
      const expected = mnsSignature(
        `PUT\n\n\nWed, 15 Mar 2023 06:07:08 GMT\nx-mns-version:2015-06-06\n${request.path}`,
        SECRET,
      );
      assert.equal(request.headers.authorization, `MNS STS.docExampleTmpId:${expected}`);
    });

    it('a stale handle is a MessageNotExist error; a slow server is a retryable Timeout', async () => {
      replyOnce(404, errorXml('MessageNotExist', 'Message not exist.'));
      const stale = await rejection(client.changeVisibility(QUEUE, CREDENTIALS, '1-OLD', 60));
      assert.equal(stale.code, 'MessageNotExist');
      assert.equal(stale.action, 'ChangeMessageVisibility');

      mns.intercept({ path: () => true, method: 'PUT' }).reply(200, '<ChangeVisibility/>').delay(5_000);
      const slow = await rejection(client.changeVisibility(QUEUE, CREDENTIALS, '1-OLD', 60));
      assert.equal(slow.code, 'Timeout');
      assert.equal(slow.retryable, true);
    });
  });
});

describe('MnsRequestError classification', () => {
  const classify = (code: string, httpStatus?: number) =>
    new MnsRequestError('x', { code, httpStatus, action: 'BatchReceiveMessage' });

  it('flags credential rejections by status and by code', () => {
    for (const code of ['InvalidAccessKeyId', 'AccessDenied', 'SignatureDoesNotMatch', 'SecurityTokenMalformed', 'InvalidSecurityToken', 'TokenExpired']) {
      assert.equal(classify(code, 400).credentialsRejected, true, code);
    }
    assert.equal(classify('Whatever', 401).credentialsRejected, true);
    assert.equal(classify('Whatever', 403).credentialsRejected, true);
    assert.equal(classify('MessageNotExist', 404).credentialsRejected, false);
    assert.equal(classify('NetworkError').credentialsRejected, false);
  });

  it('flags transient failures as retryable', () => {
    assert.equal(classify('QpsLimitExceeded', 400).retryable, true);
    assert.equal(classify('TimeExpired', 408).retryable, true);
    assert.equal(classify('InternalServerError', 503).retryable, true);
    assert.equal(classify('Timeout').retryable, true);
    assert.equal(classify('NetworkError').retryable, true);
    assert.equal(classify('Aborted').retryable, false);
    assert.equal(classify('MalformedResponse', 200).retryable, false);
    assert.equal(classify('InvalidArgument', 400).retryable, false);
  });
});
