import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  canonicalizeMnsHeaders,
  mnsContentMd5,
  mnsSignature,
  mnsStringToSign,
  signMnsRequest,
} from '../lib/mns/mns-signature.js';

// Worked examples of PROTOCOL.md §4.2 and §4.3.

const EXAMPLE_3_DATE = 'Wed, 15 Mar 2023 06:07:08 GMT';
const EXAMPLE_3_QUEUE_PATH = '/queues/Alicom-Queue-1111111111111111-SmsReport/messages';
const BATCH_DELETE_BODY =
  '<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/">' +
  '<ReceiptHandle>1-AAAA</ReceiptHandle><ReceiptHandle>1-BBBB</ReceiptHandle></ReceiptHandles>';

describe('MNS signature (PROTOCOL.md §4.2)', () => {
  it('example 1 (MNS docs): string-to-sign and the published signature prefix', () => {
    const stringToSign = mnsStringToSign({
      method: 'GET',
      date: 'Thu, 09 Jul 2015 03:01:34 GMT',
      headers: { 'x-mns-version': '2015-06-06' },
      resource: '/MyQueue',
    });
    assert.equal(stringToSign, 'GET\n\n\nThu, 09 Jul 2015 03:01:34 GMT\nx-mns-version:2015-06-06\n/MyQueue');
    const signature = mnsSignature(stringToSign, 'TestAccessSecret');
    // The docs mask the last 4 of the 28 characters.
    assert.equal(signature.length, 28);
    assert.ok(signature.startsWith('uwx3yeWoILzgmvesW0BQSgfM'), signature);
  });

  it('example 2 (mns-nodejs-sdk unit test): PUT with Content-MD5 and Content-Type', () => {
    const stringToSign = mnsStringToSign({
      method: 'PUT',
      contentMd5: '574683b3684e3cff610afa155cc2506d',
      contentType: 'text/xml',
      date: 'Tue, 11 Apr 2017 10:09:19 GMT',
      headers: { 'x-mns-version': '2015-06-06' },
      resource: '/',
    });
    assert.equal(mnsSignature(stringToSign, 'ACCESS_KEY_SECRET'), 'A9zehggaYHHujmuRMxGIDrhWwx8=');
  });

  it('example 3 (@alicloud/mns, STS): x-mns-date is signed, security-token is not', () => {
    const stringToSign = mnsStringToSign({
      method: 'GET',
      date: EXAMPLE_3_DATE,
      headers: {
        'x-mns-version': '2015-06-06',
        'x-mns-date': EXAMPLE_3_DATE,
        'security-token': 'CAISdocExampleToken',
      },
      resource: `${EXAMPLE_3_QUEUE_PATH}?waitseconds=20`,
    });
    assert.equal(
      stringToSign,
      `GET\n\n\n${EXAMPLE_3_DATE}\nx-mns-date:${EXAMPLE_3_DATE}\nx-mns-version:2015-06-06\n${EXAMPLE_3_QUEUE_PATH}?waitseconds=20`,
    );
    assert.equal(mnsSignature(stringToSign, 'docExampleTmpSecret'), 'bUYgD1jMmEK9WIAQa8gzD8K7uyU=');
  });

  it('§4.3 DELETE example: batch-delete body, Content-MD5 and signature', () => {
    assert.equal(Buffer.byteLength(BATCH_DELETE_BODY), 185);
    const contentMd5 = mnsContentMd5(BATCH_DELETE_BODY);
    assert.equal(contentMd5, 'YTZjMTM4NzBiOGViNGYyNjhhZTMzZGJhMjRmZTk4MTM=');
    const stringToSign = mnsStringToSign({
      method: 'DELETE',
      contentMd5,
      contentType: 'text/xml',
      date: EXAMPLE_3_DATE,
      headers: { 'x-mns-date': EXAMPLE_3_DATE, 'x-mns-version': '2015-06-06' },
      resource: EXAMPLE_3_QUEUE_PATH,
    });
    assert.equal(mnsSignature(stringToSign, 'docExampleTmpSecret'), 'Z61saetu3zhNPeXYTWksCV7lzAA=');
  });

  it('canonical headers: x-mns-* only, names lower-cased and sorted, values verbatim', () => {
    assert.equal(
      canonicalizeMnsHeaders({
        'X-MNS-Version': '2015-06-06',
        'x-mns-date': 'Wed, 15 Mar 2023 06:07:08 GMT',
        'x-mns-user-request-id': ' a b ',
        Date: 'ignored',
        'security-token': 'ignored',
      }),
      'x-mns-date:Wed, 15 Mar 2023 06:07:08 GMT\nx-mns-user-request-id: a b \nx-mns-version:2015-06-06\n',
    );
    assert.equal(canonicalizeMnsHeaders({}), '');
  });
});

describe('MNS Content-MD5 (PROTOCOL.md §4.3)', () => {
  it('is Base64 of the lower-case hex digest, 44 characters', () => {
    assert.equal(mnsContentMd5(''), 'ZDQxZDhjZDk4ZjAwYjIwNGU5ODAwOTk4ZWNmODQyN2U=');
    assert.equal(Buffer.from(mnsContentMd5(''), 'base64').toString(), 'd41d8cd98f00b204e9800998ecf8427e');
  });

  it('hashes the UTF-8 bytes of the body', () => {
    const utf8Bytes = Buffer.from('短信', 'utf8');
    const expectedHex = createHash('md5').update(utf8Bytes).digest('hex');
    assert.equal(Buffer.from(mnsContentMd5('短信'), 'base64').toString(), expectedHex);
  });
});

describe('signMnsRequest', () => {
  const credentials = { accessKeyId: 'STS.docExampleTmpId', accessKeySecret: 'docExampleTmpSecret' };

  it('signs with Date only and reproduces the docs signature of example 1', () => {
    const headers = signMnsRequest({
      method: 'GET',
      resource: '/MyQueue',
      credentials: { accessKeyId: 'TestAccessKeyId', accessKeySecret: 'TestAccessSecret' },
      now: new Date('2015-07-09T03:01:34Z'),
    });
    assert.equal(headers.date, 'Thu, 09 Jul 2015 03:01:34 GMT');
    assert.equal(headers['x-mns-version'], '2015-06-06');
    assert.ok(headers.authorization.startsWith('MNS TestAccessKeyId:uwx3yeWoILzgmvesW0BQSgfM'), headers.authorization);
    assert.equal(headers['content-md5'], undefined);
    assert.equal(headers['content-type'], undefined);
    assert.equal(headers['security-token'], undefined);
  });

  it('adds Content-Type and Content-MD5 for a body and signs them', () => {
    const now = new Date('2023-03-15T06:07:08Z');
    const headers = signMnsRequest({ method: 'DELETE', resource: EXAMPLE_3_QUEUE_PATH, body: BATCH_DELETE_BODY, credentials, now });
    assert.equal(headers['content-type'], 'text/xml');
    assert.equal(headers['content-md5'], 'YTZjMTM4NzBiOGViNGYyNjhhZTMzZGJhMjRmZTk4MTM=');
    const expected = mnsSignature(
      `DELETE\nYTZjMTM4NzBiOGViNGYyNjhhZTMzZGJhMjRmZTk4MTM=\ntext/xml\n${EXAMPLE_3_DATE}\nx-mns-version:2015-06-06\n${EXAMPLE_3_QUEUE_PATH}`,
      'docExampleTmpSecret',
    );
    assert.equal(headers.authorization, `MNS STS.docExampleTmpId:${expected}`);
  });

  it('sends the security token unsigned and never the secret', () => {
    const now = new Date('2023-03-15T06:07:08Z');
    const resource = `${EXAMPLE_3_QUEUE_PATH}?numOfMessages=16&waitseconds=30`;
    const withToken = signMnsRequest({ method: 'GET', resource, credentials: { ...credentials, securityToken: 'CAISdocExampleToken' }, now });
    const withoutToken = signMnsRequest({ method: 'GET', resource, credentials, now });
    assert.equal(withToken['security-token'], 'CAISdocExampleToken');
    assert.equal(withToken.authorization, withoutToken.authorization);
    assert.ok(!JSON.stringify(withToken).includes('docExampleTmpSecret'));
  });

  it('signs the request-target exactly as given (encoded handle not decoded)', () => {
    const now = new Date('2023-03-15T06:07:08Z');
    const encoded = `${EXAMPLE_3_QUEUE_PATH}?receiptHandle=1-ab%2Bc%2Fd%3D%3D&visibilityTimeout=60`;
    const raw = `${EXAMPLE_3_QUEUE_PATH}?receiptHandle=1-ab+c/d==&visibilityTimeout=60`;
    const a = signMnsRequest({ method: 'PUT', resource: encoded, credentials, now });
    const b = signMnsRequest({ method: 'PUT', resource: raw, credentials, now });
    assert.notEqual(a.authorization, b.authorization);
    const expected = mnsSignature(`PUT\n\n\n${EXAMPLE_3_DATE}\nx-mns-version:2015-06-06\n${encoded}`, 'docExampleTmpSecret');
    assert.equal(a.authorization, `MNS STS.docExampleTmpId:${expected}`);
  });
});
