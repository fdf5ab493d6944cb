import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatedMns } from '../lib/testing/mns/emulated-mns.js';
import { isAcceptedContentMd5 } from '../lib/testing/mns/mns-content-md5.js';
import { MnsError } from '../lib/testing/mns/mns-error.js';
import { parseMnsQuery } from '../lib/testing/mns/mns-query.js';
import { authenticateMnsRequest, type MnsCredential } from '../lib/testing/mns/mns-request-authenticator.js';
import { buildMnsStringToSign, computeMnsSignature } from '../lib/testing/mns/mns-signature.js';
import { mnsRequest, startMnsTestServer, type MnsTestServer, type TestMnsRequest } from './support/emulator-mns-http.js';
import { hexBase64Md5, rawBase64Md5, testSign, testStringToSign, type TestMnsCredentials } from './support/emulator-mns-signer.js';

const NS = 'http://mns.aliyuncs.com/doc/v1/';
const HOST_ID = 'http://1943695596114318.mns.cn-hangzhou.aliyuncs.com';
const REPORT = { phone_number: '13912345678', success: true, err_code: 'DELIVERED', biz_id: '248715178842382738^0', out_id: '' };

let queueCounter = 0;
/** A fresh queue name per test, so tests sharing one emulator never see each other's messages. */
function newQueueName(): string {
  queueCounter += 1;
  return `Alicom-Queue-1111111111111111-SmsReport${queueCounter}`;
}

function credentialsOf(token: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string }): TestMnsCredentials {
  return { accessKeyId: token.AccessKeyId, accessKeySecret: token.AccessKeySecret, securityToken: token.SecurityToken };
}

function deleteTarget(queue: string, handle: string, name = 'ReceiptHandle'): string {
  return `/queues/${queue}/messages?${name}=${encodeURIComponent(handle)}`;
}

function receiptHandlesXml(handles: string[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="${NS}">` +
    handles.map((h) => `<ReceiptHandle>${h}</ReceiptHandle>`).join('') +
    '</ReceiptHandles>'
  );
}

/** The document starts with the XML declaration and a root element in the MNS namespace. */
function assertRoot(res: { text: string }, root: string): void {
  assert.ok(res.text.startsWith(`<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${NS}">`), res.text.slice(0, 120));
}

function assertErrorDocument(res: { status: number; text: string; headers: Record<string, unknown>; xml?: Record<string, any> }, status: number, code: string): void {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${res.text}`);
  const error = res.xml?.Error;
  assert.equal(error?.Code, code);
  assertRoot(res, 'Error');
  assert.equal(typeof error.Message, 'string');
  assert.equal(error.RequestId, res.headers['x-mns-request-id']);
  assert.equal(error.HostId, HOST_ID);
}

describe('MNS signature verifier against the worked examples (PROTOCOL.md §4.2, §4.3)', () => {
  it('reproduces example 1 (MNS docs; last 4 characters masked there)', () => {
    const sts = buildMnsStringToSign({
      method: 'GET',
      date: 'Thu, 09 Jul 2015 03:01:34 GMT',
      headers: { 'x-mns-version': '2015-06-06' },
      resource: '/MyQueue',
    });
    assert.equal(sts, 'GET\n\n\nThu, 09 Jul 2015 03:01:34 GMT\nx-mns-version:2015-06-06\n/MyQueue');
    assert.ok(computeMnsSignature(sts, 'TestAccessSecret').startsWith('uwx3yeWoILzgmvesW0BQSgfM'));
  });

  it('reproduces example 2 (mns-nodejs-sdk unit test)', () => {
    const sts = buildMnsStringToSign({
      method: 'PUT',
      contentMd5: '574683b3684e3cff610afa155cc2506d',
      contentType: 'text/xml',
      date: 'Tue, 11 Apr 2017 10:09:19 GMT',
      headers: { 'X-MNS-Version': '2015-06-06', host: 'ignored', 'content-type': 'text/xml' },
      resource: '/',
    });
    assert.equal(computeMnsSignature(sts, 'ACCESS_KEY_SECRET'), 'A9zehggaYHHujmuRMxGIDrhWwx8=');
  });

  it('reproduces example 3 (receiveMessage with STS credentials, x-mns-date signed)', () => {
    const sts = buildMnsStringToSign({
      method: 'GET',
      date: 'Wed, 15 Mar 2023 06:07:08 GMT',
      headers: { 'x-mns-version': '2015-06-06', 'x-mns-date': 'Wed, 15 Mar 2023 06:07:08 GMT', 'security-token': 'CAISdocExampleToken' },
      resource: '/queues/Alicom-Queue-1111111111111111-SmsReport/messages?waitseconds=20',
    });
    assert.equal(
      sts,
      'GET\n\n\nWed, 15 Mar 2023 06:07:08 GMT\nx-mns-date:Wed, 15 Mar 2023 06:07:08 GMT\nx-mns-version:2015-06-06\n/queues/Alicom-Queue-1111111111111111-SmsReport/messages?waitseconds=20',
    );
    assert.equal(computeMnsSignature(sts, 'docExampleTmpSecret'), 'bUYgD1jMmEK9WIAQa8gzD8K7uyU=');
  });

  it('the test signer agrees with the worked examples too', () => {
    const date = 'Wed, 15 Mar 2023 06:07:08 GMT';
    const headers = { 'x-mns-date': date, 'x-mns-version': '2015-06-06' };
    const receive = testStringToSign('GET', '', '', date, headers, '/queues/Alicom-Queue-1111111111111111-SmsReport/messages?waitseconds=20');
    assert.equal(testSign(receive, 'docExampleTmpSecret'), 'bUYgD1jMmEK9WIAQa8gzD8K7uyU=');
    const body = receiptHandlesXml(['1-AAAA', '1-BBBB']);
    const del = testStringToSign('DELETE', hexBase64Md5(body), 'text/xml', date, headers, '/queues/Alicom-Queue-1111111111111111-SmsReport/messages');
    assert.equal(testSign(del, 'docExampleTmpSecret'), 'Z61saetu3zhNPeXYTWksCV7lzAA=');
  });

  describe('authenticateMnsRequest at the examples\' frozen clock', () => {
    const now = Date.parse('2023-03-15T06:07:08Z');
    const date = 'Wed, 15 Mar 2023 06:07:08 GMT';
    const queue = 'Alicom-Queue-1111111111111111-SmsReport';
    const credential: MnsCredential = {
      accessKeySecret: 'docExampleTmpSecret',
      securityToken: 'CAISdocExampleToken',
      expiresAt: now + 60 * 60_000,
      queueName: queue,
    };
    const lookup = (id: string) => (id === 'STS.docExampleTmpId' ? credential : undefined);
    const receiveRequest = (overrides: Record<string, string | undefined> = {}) => ({
      method: 'GET',
      url: `/queues/${queue}/messages?waitseconds=20`,
      headers: {
        date,
        'x-mns-date': date,
        'x-mns-version': '2015-06-06',
        authorization: 'MNS STS.docExampleTmpId:bUYgD1jMmEK9WIAQa8gzD8K7uyU=',
        'security-token': 'CAISdocExampleToken',
        ...overrides,
      },
    });
    const codeOf = (fn: () => unknown): string => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof MnsError);
        return error.code;
      }
      return 'accepted';
    };

    it('accepts example 3 byte for byte and reports the token\'s queue', () => {
      const principal = authenticateMnsRequest(receiveRequest(), Buffer.alloc(0), lookup, now);
      assert.deepEqual(principal, { accessKeyId: 'STS.docExampleTmpId', queueName: queue });
    });

    it('accepts the §4.3 batch delete (hex-Base64 Content-MD5 signed)', () => {
      const body = Buffer.from(receiptHandlesXml(['1-AAAA', '1-BBBB']), 'utf8');
      assert.equal(body.length, 185);
      const req = {
        method: 'DELETE',
        url: `/queues/${queue}/messages`,
        headers: {
          date,
          'x-mns-date': date,
          'x-mns-version': '2015-06-06',
          'content-type': 'text/xml',
          'content-md5': 'YTZjMTM4NzBiOGViNGYyNjhhZTMzZGJhMjRmZTk4MTM=',
          authorization: 'MNS STS.docExampleTmpId:Z61saetu3zhNPeXYTWksCV7lzAA=',
          'security-token': 'CAISdocExampleToken',
        },
      };
      assert.equal(authenticateMnsRequest(req, body, lookup, now).accessKeyId, 'STS.docExampleTmpId');
      // The same signed request with a body that does not match its Content-MD5.
      assert.equal(codeOf(() => authenticateMnsRequest(req, Buffer.from('tampered'), lookup, now)), 'InvalidDigest');
    });

    it('rejects each broken variant with the §4.8 code', () => {
      const check = (overrides: Record<string, string | undefined>, at = now) =>
        codeOf(() => authenticateMnsRequest(receiveRequest(overrides), Buffer.alloc(0), lookup, at));
      assert.equal(check({ authorization: 'MNS STS.docExampleTmpId:AAAAgD1jMmEK9WIAQa8gzD8K7uyU=' }), 'SignatureDoesNotMatch');
      assert.equal(check({ 'x-mns-date': 'Wed, 15 Mar 2023 06:07:09 GMT' }), 'SignatureDoesNotMatch');
      assert.equal(check({ authorization: undefined }), 'MissingAuthorizationHeader');
      assert.equal(check({ authorization: 'Bearer x' }), 'InvalidAuthorizationHeader');
      assert.equal(check({ date: undefined, 'x-mns-date': undefined }), 'MissingDateHeader');
      assert.equal(check({ date: 'yesterday-ish' }), 'InvalidDateHeader');
      assert.equal(check({ 'x-mns-version': undefined }), 'MissingVersionHeader');
      assert.equal(check({}, now + 16 * 60_000), 'TimeExpired');
      assert.equal(check({}, now + 14 * 60_000), 'accepted');
      assert.equal(check({ authorization: 'MNS STS.other:bUYgD1jMmEK9WIAQa8gzD8K7uyU=' }), 'InvalidAccessKeyId');
      assert.equal(check({ 'security-token': undefined }), 'InvalidSecurityToken');
      assert.equal(check({ 'security-token': 'CAISdocExampleTokenX' }), 'InvalidSecurityToken');
      assert.equal(check({ date: new Date(now + 60 * 60_000).toUTCString(), 'x-mns-date': undefined }, now + 60 * 60_000), 'SecurityTokenExpired');
    });
  });
});

describe('Content-MD5 acceptance (PROTOCOL.md §4.3)', () => {
  const body = Buffer.from('<ReceiptHandles/>', 'utf8');
  const hex = createHash('md5').update(body).digest('hex');

  it('accepts Base64 of the lower- or upper-case hex digest and of the raw digest', () => {
    assert.ok(isAcceptedContentMd5(Buffer.from(hex).toString('base64'), body));
    assert.ok(isAcceptedContentMd5(Buffer.from(hex.toUpperCase()).toString('base64'), body));
    assert.ok(isAcceptedContentMd5(createHash('md5').update(body).digest('base64'), body));
    assert.ok(isAcceptedContentMd5('ZDQxZDhjZDk4ZjAwYjIwNGU5ODAwOTk4ZWNmODQyN2U=', Buffer.alloc(0)));
  });

  it('rejects the bare hex digest, another body\'s digest and non-Base64 text', () => {
    assert.equal(isAcceptedContentMd5(hex, body), false);
    assert.equal(isAcceptedContentMd5(hexBase64Md5('other'), body), false);
    assert.equal(isAcceptedContentMd5(rawBase64Md5('other'), body), false);
    assert.equal(isAcceptedContentMd5('not base64!', body), false);
  });
});

describe('query decoding (PROTOCOL.md §4.4)', () => {
  it('matches names case-insensitively and keeps a raw + as +', () => {
    const params = parseMnsQuery('ReceiptHandle=1-ab+c%2Fd%3D&VisibilityTimeout=5');
    assert.equal(params.get('receipthandle'), '1-ab+c/d=');
    assert.equal(params.get('visibilitytimeout'), '5');
  });
});

describe('EmulatedMns over HTTP', () => {
  let mns: EmulatedMns;
  let server: MnsTestServer;

  before(async () => {
    mns = new EmulatedMns({ hostId: HOST_ID, accessKeys: { LTAIlongTermKey: 'longTermSecret' }, seed: 1 });
    server = await startMnsTestServer(mns);
  });
  after(async () => {
    mns.close();
    await server.close();
  });

  function queueWithToken(attributes: { visibilityTimeoutSeconds?: number } = {}) {
    const name = newQueueName();
    mns.createQueue(name, attributes);
    return { name, credentials: credentialsOf(mns.issueToken('SmsReport', name)) };
  }
  const send = (spec: TestMnsRequest) => mnsRequest(server.port, spec);
  const receive = (name: string, credentials: TestMnsCredentials, query = '') =>
    send({ method: 'GET', target: `/queues/${name}/messages${query}`, credentials });

  describe('receiving', () => {
    it('ReceiveMessage returns one <Message> with every field of §4.5 and the MNS response headers', async () => {
      const { name, credentials } = queueWithToken();
      const messageId = mns.enqueueJson(name, REPORT);
      const before = Date.now();
      const res = await receive(name, credentials);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['x-mns-request-id']), /^[0-9A-F]{24}$/);
      assert.equal(res.headers['x-mns-version'], '2015-06-06');
      assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
      assert.equal(res.headers['server'], 'AliyunMNS');
      assertRoot(res, 'Message');
      const m = res.xml?.Message;
      assert.equal(m.MessageId, messageId);
      assert.match(m.ReceiptHandle, /^1-/);
      assert.equal(JSON.parse(Buffer.from(m.MessageBody, 'base64').toString('utf8')).biz_id, REPORT.biz_id);
      assert.equal(m.MessageBodyMD5, createHash('md5').update(m.MessageBody).digest('hex').toUpperCase());
      assert.equal(m.DequeueCount, '1');
      assert.equal(m.Priority, '8');
      const nextVisible = Number(m.NextVisibleTime);
      assert.ok(nextVisible >= before + 29_000 && nextVisible <= Date.now() + 31_000, `NextVisibleTime ${nextVisible}`);
      assert.ok(Number(m.FirstDequeueTime) >= Number(m.EnqueueTime));
      assert.deepEqual(Object.keys(m), [
        'MessageId', 'ReceiptHandle', 'MessageBodyMD5', 'MessageBody', 'EnqueueTime',
        'NextVisibleTime', 'FirstDequeueTime', 'DequeueCount', 'Priority',
      ]);
    });

    it('BatchReceiveMessage returns up to numOfMessages in <Messages>, then 404 MessageNotExist', async () => {
      const { name, credentials } = queueWithToken();
      const ids = [1, 2, 3].map((n) => mns.enqueueJson(name, { ...REPORT, out_id: String(n) }));
      const first = await receive(name, credentials, '?numOfMessages=2');
      assert.equal(first.status, 200);
      assertRoot(first, 'Messages');
      assert.equal(first.xml?.Messages.Message.length, 2);
      const second = await receive(name, credentials, '?numOfMessages=16&waitseconds=0');
      assert.equal(second.xml?.Messages.Message.length, 1);
      const received = [...first.xml?.Messages.Message, ...second.xml?.Messages.Message].map((m: any) => m.MessageId);
      assert.deepEqual(received.sort(), [...ids].sort());
      assertErrorDocument(await receive(name, credentials, '?numOfMessages=16'), 404, 'MessageNotExist');
      assertErrorDocument(await receive(name, credentials), 404, 'MessageNotExist');
    });

    it('validates numOfMessages and waitseconds ranges', async () => {
      const { name, credentials } = queueWithToken();
      assertErrorDocument(await receive(name, credentials, '?numOfMessages=17'), 400, 'InvalidArgument');
      assertErrorDocument(await receive(name, credentials, '?numOfMessages=0'), 400, 'InvalidArgument');
      assertErrorDocument(await receive(name, credentials, '?waitseconds=31'), 400, 'InvalidArgument');
    });

    it('a long-poll is answered as soon as a message is enqueued', async () => {
      const { name, credentials } = queueWithToken();
      const started = Date.now();
      const pending = receive(name, credentials, '?waitseconds=10');
      await waitFor(() => mns.stats(name).waitingReceives === 1);
      const messageId = mns.enqueueJson(name, REPORT);
      const res = await pending;
      assert.equal(res.status, 200);
      assert.equal(res.xml?.Message.MessageId, messageId);
      assert.ok(Date.now() - started < 8000, 'answered long before the 10 s wait elapsed');
    });

    it('an empty long-poll ends with 404 MessageNotExist after the wait', async () => {
      const { name, credentials } = queueWithToken();
      const started = Date.now();
      const res = await receive(name, credentials, '?waitseconds=1');
      assertErrorDocument(res, 404, 'MessageNotExist');
      assert.ok(Date.now() - started >= 900, 'held for about the wait');
    });

    it('a long-poll whose client disconnects takes no message', async () => {
      const { name, credentials } = queueWithToken();
      const abort = new AbortController();
      const pending = send({ method: 'GET', target: `/queues/${name}/messages?waitseconds=20`, credentials, signal: abort.signal });
      await waitFor(() => mns.stats(name).waitingReceives === 1);
      abort.abort();
      await assert.rejects(pending);
      await waitFor(() => mns.stats(name).waitingReceives === 0);
      mns.enqueueJson(name, REPORT);
      assert.equal(mns.stats(name).received, 0);
      assert.equal(mns.stats(name).visible, 1);
      assert.equal((await receive(name, credentials)).status, 200);
    });

    it('serves an enqueueRaw body verbatim with the MD5 it was given', async () => {
      const { name, credentials } = queueWithToken();
      mns.enqueueRaw(name, 'not base64 <&>', { md5: '00000000000000000000000000000000' });
      const res = await receive(name, credentials);
      assert.equal(res.xml?.Message.MessageBody, 'not base64 <&>');
      assert.equal(res.xml?.Message.MessageBodyMD5, '00000000000000000000000000000000');
    });
  });

  describe('peeking (PROTOCOL.md §4.5)', () => {
    it('PeekMessage shows the oldest receivable message without a handle, taking nothing', async () => {
      const { name, credentials } = queueWithToken();
      const first = mns.enqueueJson(name, { ...REPORT, out_id: '1' });
      mns.enqueueJson(name, { ...REPORT, out_id: '2' });
      for (let look = 0; look < 2; look++) {
        const res = await receive(name, credentials, '?peekonly=true');
        assert.equal(res.status, 200);
        assertRoot(res, 'Message');
        const m = res.xml?.Message;
        assert.deepEqual(Object.keys(m), ['MessageId', 'MessageBodyMD5', 'MessageBody', 'EnqueueTime', 'FirstDequeueTime', 'DequeueCount', 'Priority']);
        assert.equal(m.MessageId, first);
        assert.equal(m.DequeueCount, '0');
        // Never received: MNS documents FirstDequeueTime = EnqueueTime.
        assert.equal(m.FirstDequeueTime, m.EnqueueTime);
      }
      const s = mns.stats(name);
      assert.deepEqual([s.received, s.visible, s.inFlight], [0, 2, 0]);
      assert.deepEqual(mns.messages(name).map((m) => [m.state, m.dequeueCount]), [['visible', 0], ['visible', 0]]);

      const received = await receive(name, credentials);
      assert.equal(received.xml?.Message.MessageId, first);
      assert.equal(received.xml?.Message.DequeueCount, '1');
    });

    it('BatchPeekMessage lists up to numOfMessages receivable messages, never in-flight ones', async () => {
      const { name, credentials } = queueWithToken();
      const ids = [1, 2, 3].map((n) => mns.enqueueJson(name, { ...REPORT, out_id: String(n) }));
      const taken = await receive(name, credentials);
      assert.equal(taken.xml?.Message.MessageId, ids[0]);
      const peeked = await receive(name, credentials, '?peekonly=true&numOfMessages=16');
      assert.equal(peeked.status, 200);
      assertRoot(peeked, 'Messages');
      assert.deepEqual(peeked.xml?.Messages.Message.map((m: any) => m.MessageId), [ids[1], ids[2]]);
      assert.ok(peeked.xml?.Messages.Message.every((m: any) => m.ReceiptHandle === undefined && m.NextVisibleTime === undefined));
      const two = await receive(name, credentials, '?peekonly=true&numOfMessages=1');
      assert.equal(two.xml?.Messages.Message.length, 1);
      assertErrorDocument(await receive(name, credentials, '?peekonly=true&numOfMessages=17'), 400, 'InvalidArgument');
      // The in-flight message keeps its handle: peeking changed nothing.
      const del = await send({ method: 'DELETE', target: deleteTarget(name, taken.xml?.Message.ReceiptHandle), credentials });
      assert.equal(del.status, 204);
      assert.equal(mns.stats(name).received, 1);
    });

    it('shows the first dequeue time and count of a message that came back after its visibility timeout', async () => {
      const { name, credentials } = queueWithToken({ visibilityTimeoutSeconds: 1 });
      mns.enqueueJson(name, REPORT);
      const taken = await receive(name, credentials);
      await waitFor(() => mns.stats(name).visible === 1, 3000);
      const peeked = await receive(name, credentials, '?peekonly=true');
      assert.equal(peeked.xml?.Message.DequeueCount, '1');
      assert.equal(peeked.xml?.Message.FirstDequeueTime, taken.xml?.Message.FirstDequeueTime);
    });

    it('answers 404 MessageNotExist at once on an empty queue, whatever waitseconds says', async () => {
      const { name, credentials } = queueWithToken();
      const started = Date.now();
      assertErrorDocument(await receive(name, credentials, '?peekonly=true&waitseconds=5'), 404, 'MessageNotExist');
      assert.ok(Date.now() - started < 4000);
      assertErrorDocument(await receive(name, credentials, '?peekonly=true&numOfMessages=4'), 404, 'MessageNotExist');
    });
  });

  describe('deleting', () => {
    it('DeleteMessage with an encoded or a raw handle answers 204; a second delete is MessageNotExist', async () => {
      const { name, credentials } = queueWithToken();
      mns.enqueueJson(name, REPORT);
      mns.enqueueJson(name, REPORT);
      const batch = await receive(name, credentials, '?numOfMessages=2');
      const [h1, h2] = batch.xml?.Messages.Message.map((m: any) => m.ReceiptHandle);
      const encoded = await send({ method: 'DELETE', target: deleteTarget(name, h1), credentials });
      assert.equal(encoded.status, 204);
      assert.equal(encoded.text, '');
      // The official SDKs paste the handle unencoded; the signature covers those raw bytes.
      const raw = await send({ method: 'DELETE', target: `/queues/${name}/messages?receiptHandle=${h2}`, credentials, contentMd5: hexBase64Md5('') });
      assert.equal(raw.status, 204);
      assertErrorDocument(await send({ method: 'DELETE', target: deleteTarget(name, h1), credentials }), 404, 'MessageNotExist');
      assertErrorDocument(await send({ method: 'DELETE', target: deleteTarget(name, 'garbage'), credentials }), 400, 'ReceiptHandleError');
      assert.deepEqual(
        mns.messages(name).map((m) => m.state),
        ['deleted', 'deleted'],
      );
    });

    it('BatchDeleteMessage deletes the good handles and lists the failures in <Errors>', async () => {
      const { name, credentials } = queueWithToken();
      mns.enqueueJson(name, REPORT);
      mns.enqueueJson(name, REPORT);
      const handles: string[] = (await receive(name, credentials, '?numOfMessages=2')).xml?.Messages.Message.map((m: any) => m.ReceiptHandle);
      const unknown = '1-' + Buffer.from('99999999999-1-1-8').toString('base64');
      const partial = await send({
        method: 'DELETE',
        target: `/queues/${name}/messages`,
        credentials,
        body: receiptHandlesXml([handles[0], unknown, 'garbage']),
      });
      assert.equal(partial.status, 404);
      assertRoot(partial, 'Errors');
      assert.deepEqual(
        partial.xml?.Errors.Error.map((e: any) => [e.ErrorCode, e.ReceiptHandle]),
        [
          ['MessageNotExist', unknown],
          ['ReceiptHandleError', 'garbage'],
        ],
      );
      assert.equal(partial.xml?.Errors.Error[0].ErrorMessage, 'Message not exist.');
      assert.equal(mns.stats(name).deleted, 1);

      const ok = await send({ method: 'DELETE', target: `/queues/${name}/messages`, credentials, body: receiptHandlesXml([handles[1]]) });
      assert.equal(ok.status, 204);
      assert.equal(mns.stats(name).deleted, 2);
    });

    it('BatchDeleteMessage rejects malformed XML and more than 16 handles', async () => {
      const { name, credentials } = queueWithToken();
      const target = `/queues/${name}/messages`;
      assertErrorDocument(await send({ method: 'DELETE', target, credentials, body: '<ReceiptHandles><oops>' }), 400, 'MalformedXML');
      const tooMany = Array.from({ length: 17 }, (_, i) => `1-${Buffer.from(`${i}-1-1-8`).toString('base64')}`);
      assertErrorDocument(await send({ method: 'DELETE', target, credentials, body: receiptHandlesXml(tooMany) }), 400, 'InvalidArgument');
      assertErrorDocument(await send({ method: 'DELETE', target, credentials }), 400, 'MissingReceiptHandle');
    });
  });

  describe('visibility', () => {
    it('an undeleted message comes back with DequeueCount 2 and a new handle; the old handle is dead', async () => {
      const { name, credentials } = queueWithToken({ visibilityTimeoutSeconds: 1 });
      mns.enqueueJson(name, REPORT);
      const first = (await receive(name, credentials)).xml?.Message;
      assert.equal(mns.stats(name).inFlight, 1);
      assertErrorDocument(await receive(name, credentials), 404, 'MessageNotExist');
      // The long-poll is woken by the visibility expiry, not by an enqueue.
      const second = (await receive(name, credentials, '?waitseconds=10')).xml?.Message;
      assert.equal(second.MessageId, first.MessageId);
      assert.equal(second.DequeueCount, '2');
      assert.equal(second.FirstDequeueTime, first.FirstDequeueTime);
      assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);
      assertErrorDocument(await send({ method: 'DELETE', target: deleteTarget(name, first.ReceiptHandle), credentials }), 404, 'MessageNotExist');
      assert.equal((await send({ method: 'DELETE', target: deleteTarget(name, second.ReceiptHandle), credentials })).status, 204);
      assert.deepEqual(mns.messages(name).map((m) => [m.state, m.dequeueCount]), [['deleted', 2]]);
    });

    it('ChangeMessageVisibility rotates the handle and counts the timeout from the call', async () => {
      const { name, credentials } = queueWithToken({ visibilityTimeoutSeconds: 30 });
      mns.enqueueJson(name, REPORT);
      const first = (await receive(name, credentials)).xml?.Message;
      const calledAt = Date.now();
      const changed = await send({
        method: 'PUT',
        target: `/queues/${name}/messages?receiptHandle=${encodeURIComponent(first.ReceiptHandle)}&visibilityTimeout=1`,
        credentials,
      });
      assert.equal(changed.status, 200);
      const cv = changed.xml?.ChangeVisibility;
      assertRoot(changed, 'ChangeVisibility');
      assert.notEqual(cv.ReceiptHandle, first.ReceiptHandle);
      assert.ok(Math.abs(Number(cv.NextVisibleTime) - (calledAt + 1000)) < 1000, `NextVisibleTime ${cv.NextVisibleTime}`);
      assertErrorDocument(await send({ method: 'DELETE', target: deleteTarget(name, first.ReceiptHandle), credentials }), 404, 'MessageNotExist');

      // Java/Python spell the parameters with capitals; the rotated handle works, the old one not.
      const again = await send({
        method: 'PUT',
        target: `/queues/${name}/messages?ReceiptHandle=${encodeURIComponent(cv.ReceiptHandle)}&VisibilityTimeout=1`,
        credentials,
      });
      assert.equal(again.status, 200);
      const redelivered = (await receive(name, credentials, '?waitseconds=10')).xml?.Message;
      assert.equal(redelivered.MessageId, first.MessageId);
      assert.equal(redelivered.DequeueCount, '2');
    });

    it('ChangeMessageVisibility validates its parameters', async () => {
      const { name, credentials } = queueWithToken();
      mns.enqueueJson(name, REPORT);
      const handle = encodeURIComponent((await receive(name, credentials)).xml?.Message.ReceiptHandle);
      const put = (query: string) => send({ method: 'PUT', target: `/queues/${name}/messages?${query}`, credentials });
      assertErrorDocument(await put(`receiptHandle=${handle}&visibilityTimeout=0`), 400, 'InvalidArgument');
      assertErrorDocument(await put(`receiptHandle=${handle}&visibilityTimeout=43201`), 400, 'InvalidArgument');
      assertErrorDocument(await put(`receiptHandle=${handle}`), 400, 'MissingVisibilityTimeout');
      assertErrorDocument(await put('visibilityTimeout=5'), 400, 'MissingReceiptHandle');
    });
  });

  describe('authentication and scoping (PROTOCOL.md §4.8)', () => {
    it('refuses a wrong signature, and records the string-to-sign without any secret', async () => {
      const { name, credentials } = queueWithToken();
      const res = await send({ method: 'GET', target: `/queues/${name}/messages`, credentials, signatureOverride: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
      assertErrorDocument(res, 403, 'SignatureDoesNotMatch');
      const wrongSecret = await send({ method: 'GET', target: `/queues/${name}/messages`, credentials: { ...credentials, accessKeySecret: 'nope' } });
      assertErrorDocument(wrongSecret, 403, 'SignatureDoesNotMatch');
      const rejection = mns.recentRejections().at(-1);
      assert.equal(rejection?.code, 'SignatureDoesNotMatch');
      assert.match(String(rejection?.detail), /x-mns-version:2015-06-06/);
      assert.ok(!JSON.stringify(mns.recentRejections()).includes(credentials.accessKeySecret));
      assert.ok(!wrongSecret.text.includes(credentials.accessKeySecret));
    });

    it('refuses a missing or wrong security-token and an expired token', async () => {
      const { name, credentials } = queueWithToken();
      const target = `/queues/${name}/messages`;
      assertErrorDocument(await send({ method: 'GET', target, credentials, securityTokenOverride: null }), 403, 'InvalidSecurityToken');
      assertErrorDocument(await send({ method: 'GET', target, credentials, securityTokenOverride: 'CAISforged' }), 403, 'InvalidSecurityToken');
      mns.expireAllTokens();
      assertErrorDocument(await send({ method: 'GET', target, credentials }), 403, 'SecurityTokenExpired');
      const fresh = credentialsOf(mns.issueToken('SmsReport', name));
      assertErrorDocument(await send({ method: 'GET', target, credentials: fresh }), 404, 'MessageNotExist');
    });

    it('a token expires by itself after tokenLifetimeMs', async () => {
      const name = newQueueName();
      mns.createQueue(name);
      mns.tokenLifetimeMs = 300;
      try {
        const credentials = credentialsOf(mns.issueToken('SmsReport', name));
        assertErrorDocument(await receive(name, credentials), 404, 'MessageNotExist');
        await sleep(400);
        assertErrorDocument(await receive(name, credentials), 403, 'SecurityTokenExpired');
      } finally {
        mns.tokenLifetimeMs = 60 * 60 * 1000;
      }
    });

    it('scopes a token to its queue and reports unknown queues and keys', async () => {
      const a = queueWithToken();
      const b = queueWithToken();
      assertErrorDocument(await receive(b.name, a.credentials), 403, 'AccessDenied');
      const longTerm = { accessKeyId: 'LTAIlongTermKey', accessKeySecret: 'longTermSecret' };
      assertErrorDocument(await receive('Alicom-Queue-0-Nope', longTerm), 404, 'QueueNotExist');
      assertErrorDocument(await receive(a.name, longTerm), 404, 'MessageNotExist');
      assertErrorDocument(await receive(a.name, { accessKeyId: 'STS.unknown', accessKeySecret: 'x', securityToken: 'y' }), 403, 'InvalidAccessKeyId');
    });

    it('checks the Date, x-mns-version and Authorization headers', async () => {
      const { name, credentials } = queueWithToken();
      const target = `/queues/${name}/messages`;
      const stale = new Date(Date.now() - 16 * 60_000).toUTCString();
      assertErrorDocument(await send({ method: 'GET', target, credentials, date: stale }), 408, 'TimeExpired');
      assertErrorDocument(await send({ method: 'GET', target, credentials, omitVersion: true }), 400, 'MissingVersionHeader');
      assertErrorDocument(await send({ method: 'GET', target, credentials, omitAuthorization: true }), 400, 'MissingAuthorizationHeader');
      // x-mns-date alone stands in for Date (it is then both the DATE line and a signed header).
      const now = new Date().toUTCString();
      assertErrorDocument(await send({ method: 'GET', target, credentials, omitDate: true, mnsDate: now }), 404, 'MessageNotExist');
      // Node SDK style: both, same value.
      assertErrorDocument(await send({ method: 'GET', target, credentials, mnsDate: now, date: now }), 404, 'MessageNotExist');
    });

    it('checks Content-MD5 when present: hex-Base64 and raw-digest Base64 pass, anything else is InvalidDigest', async () => {
      const { name, credentials } = queueWithToken();
      const target = `/queues/${name}/messages`;
      const body = receiptHandlesXml(['1-' + Buffer.from('1-1-1-8').toString('base64')]);
      const upperHex = Buffer.from(createHash('md5').update(body).digest('hex').toUpperCase()).toString('base64');
      for (const contentMd5 of [hexBase64Md5(body), upperHex, rawBase64Md5(body), false as const]) {
        const res = await send({ method: 'DELETE', target, credentials, body, contentMd5 });
        assert.equal(res.xml?.Errors?.Error[0]?.ErrorCode, 'MessageNotExist', `Content-MD5 ${String(contentMd5)}`);
      }
      assertErrorDocument(await send({ method: 'DELETE', target, credentials, body, contentMd5: hexBase64Md5('other') }), 400, 'InvalidDigest');
      assertErrorDocument(
        await send({ method: 'DELETE', target, credentials, body, contentMd5: createHash('md5').update(body).digest('hex') }),
        400,
        'InvalidDigest',
      );
    });
  });

  describe('tokens', () => {
    it('issues STS-looking credentials with Beijing-time CreateTime/ExpireTime and counts them', () => {
      const name = newQueueName();
      const before = mns.tokensIssued;
      const issuedAt = Date.now();
      const token = mns.issueToken('SmsReport', name);
      assert.equal(mns.tokensIssued, before + 1);
      assert.match(token.AccessKeyId, /^STS\.[A-Za-z0-9]{20,}$/);
      assert.ok(token.AccessKeySecret.length >= 30);
      assert.ok(token.SecurityToken.length > 40);
      assert.match(token.CreateTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const asUtc = (text: string) => Date.parse(text.replace(' ', 'T') + '+08:00');
      assert.ok(Math.abs(asUtc(token.CreateTime) - issuedAt) < 2000, `CreateTime ${token.CreateTime} is Beijing time`);
      assert.equal(asUtc(token.ExpireTime) - asUtc(token.CreateTime), 60 * 60 * 1000);
      assert.notEqual(mns.issueToken('SmsReport', name).AccessKeyId, token.AccessKeyId);
    });
  });

  describe('counters', () => {
    it('account for every message until whenDrained resolves', async () => {
      const { name, credentials } = queueWithToken();
      for (let i = 0; i < 4; i++) mns.enqueueJson(name, { ...REPORT, out_id: String(i) });
      mns.enqueueJson(name, REPORT, { delayMs: 300 });
      assert.deepEqual(
        { ...mns.stats(name) },
        { enqueued: 5, deleted: 0, received: 0, duplicated: 0, visible: 4, inFlight: 0, delayed: 1, waitingReceives: 0 },
      );
      assert.equal(mns.messages(name).filter((m) => m.state === 'delayed').length, 1);
      const drained = mns.whenDrained(name, 10_000);
      let deleted = 0;
      while (deleted < 5) {
        const res = await receive(name, credentials, '?numOfMessages=16&waitseconds=5');
        assert.equal(res.status, 200);
        const handles = res.xml?.Messages.Message.map((m: any) => m.ReceiptHandle);
        assert.equal(mns.stats(name).inFlight, handles.length);
        assert.equal((await send({ method: 'DELETE', target: `/queues/${name}/messages`, credentials, body: receiptHandlesXml(handles) })).status, 204);
        deleted += handles.length;
      }
      await drained;
      const s = mns.stats(name);
      assert.equal(s.enqueued, 5);
      assert.equal(s.deleted, 5);
      assert.equal(s.received, 5);
      assert.equal(s.visible + s.inFlight + s.delayed, 0);
      assert.ok(mns.stats().enqueued >= 5, 'the total sums every queue');
    });

    it('whenDrained rejects with the counters when messages remain', async () => {
      const { name } = queueWithToken();
      mns.enqueueJson(name, REPORT);
      await assert.rejects(mns.whenDrained(name, 100), /not drained within 100 ms.*"visible":1/);
    });
  });
});

describe('EmulatedMns fault injection', () => {
  async function withEmulator(
    options: ConstructorParameters<typeof EmulatedMns>[0],
    body: (ctx: { mns: EmulatedMns; name: string; credentials: TestMnsCredentials; port: number }) => Promise<void>,
  ): Promise<void> {
    const mns = new EmulatedMns({ hostId: HOST_ID, visibilityTimeoutSeconds: 1, ...options });
    const server = await startMnsTestServer(mns);
    const name = newQueueName();
    mns.createQueue(name);
    try {
      await body({ mns, name, credentials: credentialsOf(mns.issueToken('SmsReport', name)), port: server.port });
    } finally {
      mns.close();
      await server.close();
    }
  }

  it('errorRate 1 answers 500 InternalError and takes nothing', async () => {
    await withEmulator({ seed: 7, faults: { errorRate: 1 } }, async ({ mns, name, credentials, port }) => {
      mns.enqueueJson(name, REPORT);
      const res = await mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages`, credentials });
      assertErrorDocument(res, 500, 'InternalError');
      assert.equal(mns.stats(name).received, 0);
      mns.faults.errorRate = 0;
      assert.equal((await mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages`, credentials })).status, 200);
    });
  });

  it('resetRate 1 drops connections, and no message is ever lost', async () => {
    await withEmulator({ seed: 11, faults: { resetRate: 1 } }, async ({ mns, name, credentials, port }) => {
      for (let i = 0; i < 6; i++) mns.enqueueJson(name, { ...REPORT, out_id: String(i) });
      for (let i = 0; i < 6; i++) {
        await assert.rejects(mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages?numOfMessages=2`, credentials }));
      }
      const s = mns.stats(name);
      // With the seed, some resets took messages in flight (their response was "lost"), some not.
      assert.ok(s.received > 0 && s.received < 12, `received ${s.received}`);
      assert.equal(s.visible + s.inFlight, 6);
      mns.faults.resetRate = 0;
      let deleted = 0;
      while (deleted < 6) {
        const res = await mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages?numOfMessages=16&waitseconds=3`, credentials });
        assert.equal(res.status, 200);
        for (const m of res.xml?.Messages.Message ?? []) {
          const del = await mnsRequest(port, { method: 'DELETE', target: deleteTarget(name, m.ReceiptHandle), credentials });
          assert.equal(del.status, 204);
          deleted += 1;
        }
      }
      await mns.whenDrained(name, 1000);
    });
  });

  it('the same seed replays the same fault sequence', async () => {
    const run = async (seed: number) => {
      const statuses: number[] = [];
      await withEmulator({ seed, faults: { errorRate: 0.5 } }, async ({ name, credentials, port }) => {
        for (let i = 0; i < 16; i++) {
          statuses.push((await mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages`, credentials })).status);
        }
      });
      return statuses;
    };
    const first = await run(42);
    assert.deepEqual(await run(42), first);
    assert.ok(first.includes(500) && first.includes(404), `mixed outcomes: ${first.join(',')}`);
  });

  it('duplicateRate 1 re-enqueues a delivered message as a separate copy', async () => {
    await withEmulator({ seed: 3, faults: { duplicateRate: 1 } }, async ({ mns, name, credentials, port }) => {
      const originalId = mns.enqueueJson(name, REPORT);
      const first = await mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages`, credentials });
      assert.equal(first.xml?.Message.MessageId, originalId);
      const copy = await mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages`, credentials });
      assert.equal(copy.status, 200);
      assert.notEqual(copy.xml?.Message.MessageId, originalId);
      assert.equal(copy.xml?.Message.MessageBody, first.xml?.Message.MessageBody);
      assert.equal(copy.xml?.Message.DequeueCount, '1');
      const s = mns.stats(name);
      assert.equal(s.enqueued, 2);
      assert.equal(s.duplicated, 1);
      assert.deepEqual(mns.messages(name).map((m) => m.isInjectedDuplicate), [false, true]);
    });
  });

  it('latencyMs delays the answer', async () => {
    await withEmulator({ faults: { latencyMs: 300 } }, async ({ name, credentials, port }) => {
      const started = Date.now();
      await mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages`, credentials });
      assert.ok(Date.now() - started >= 250);
    });
  });

  it('close() answers a held long-poll with MessageNotExist', async () => {
    await withEmulator({}, async ({ mns, name, credentials, port }) => {
      const pending = mnsRequest(port, { method: 'GET', target: `/queues/${name}/messages?waitseconds=20`, credentials });
      await waitFor(() => mns.stats(name).waitingReceives === 1);
      mns.close();
      assertErrorDocument(await pending, 404, 'MessageNotExist');
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
