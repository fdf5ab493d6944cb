import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MnsRequestSigner } from '../lib/mns/mns-request-signer.js';
import { signMnsRequest } from '../lib/mns/mns-signature.js';

const RECEIVE = '/queues/Alicom-Queue-1-SmsReport/messages?numOfMessages=16&waitseconds=30';
const DELETE = '/queues/Alicom-Queue-1-SmsReport/messages';
const BODY = '<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/"><ReceiptHandle>1-AAAA</ReceiptHandle></ReceiptHandles>';

describe('MnsRequestSigner', () => {
  const sts = { accessKeyId: 'STS.id', accessKeySecret: 'secret', securityToken: 'CAIStoken' };

  it('signs every request exactly as signMnsRequest does, repeated ones included', () => {
    let now = new Date('2023-03-15T06:07:08.100Z');
    const signer = new MnsRequestSigner(() => now);
    const cases = [
      { method: 'GET', resource: RECEIVE, credentials: sts },
      { method: 'GET', resource: RECEIVE, credentials: sts },
      { method: 'DELETE', resource: DELETE, body: BODY, credentials: sts },
      { method: 'DELETE', resource: DELETE, body: BODY, credentials: sts },
      { method: 'PUT', resource: RECEIVE, credentials: sts },
      { method: 'GET', resource: RECEIVE, credentials: { ...sts, accessKeyId: 'STS.other', accessKeySecret: 'other' } },
      { method: 'GET', resource: `${DELETE}?numOfMessages=1&waitseconds=30`, credentials: sts },
    ] as const;
    for (const time of ['2023-03-15T06:07:08.100Z', '2023-03-15T06:07:08.900Z', '2023-03-15T06:07:09.000Z']) {
      now = new Date(time);
      for (const request of cases) {
        const body = 'body' in request ? request.body : undefined;
        const headers = signer.sign(request.method, request.resource, body, request.credentials);
        assert.deepEqual(headers, signMnsRequest({ ...request, body, now }), `${time} ${request.method} ${request.resource}`);
      }
    }
  });

  it('hands out a fresh object each time, and follows the clock and the credentials', () => {
    let now = new Date('2023-03-15T06:07:08Z');
    const signer = new MnsRequestSigner(() => now);
    const first = signer.sign('GET', RECEIVE, undefined, sts);
    const again = signer.sign('GET', RECEIVE, undefined, sts);
    assert.notStrictEqual(first, again);
    first.authorization = 'tampered';
    assert.notEqual(signer.sign('GET', RECEIVE, undefined, sts).authorization, 'tampered');

    now = new Date('2023-03-15T06:07:09Z');
    const nextSecond = signer.sign('GET', RECEIVE, undefined, sts);
    assert.equal(nextSecond.date, 'Wed, 15 Mar 2023 06:07:09 GMT');
    assert.notEqual(nextSecond.authorization, again.authorization);

    const refreshed = { ...sts, accessKeySecret: 'rotated', securityToken: 'CAISnew' };
    const withNewToken = signer.sign('GET', RECEIVE, undefined, refreshed);
    assert.equal(withNewToken['security-token'], 'CAISnew');
    assert.equal(withNewToken.authorization, signMnsRequest({ method: 'GET', resource: RECEIVE, credentials: refreshed, now }).authorization);
  });
});
