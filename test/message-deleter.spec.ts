// MessageDeleter: one BatchDeleteMessage per tick's deletes, each message called back once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '@nestjs/common';
import { MnsRequestError } from '../lib/errors/mns-request.error.js';
import type { MnsClient } from '../lib/mns/mns.client.js';
import { MessageDeleter } from '../lib/receipts/mns/message-deleter.js';
import { ManualClock } from '../lib/testing/manual-clock.js';
import { AccessKeyCredentials } from '../lib/utils/access-key-credentials.js';

const silentLogger = { error: () => {}, warn: () => {}, log: () => {}, debug: () => {} } as unknown as Logger;

describe('MessageDeleter', () => {
  const credentials = { get: async () => new AccessKeyCredentials('id', 'secret'), invalidate: () => {} };

  it('deletes the handles acknowledged in one tick with one request and calls each back', async () => {
    const requests: string[][] = [];
    const mns = {
      batchDelete: async (_queue: string, _credentials: unknown, handles: readonly string[]) => {
        requests.push([...handles]);
        return { failed: [{ receiptHandle: 'h2', code: 'MessageNotExist', message: '' }] };
      },
    } as unknown as MnsClient;
    const deleter = new MessageDeleter(mns, 'q', credentials, new ManualClock(), silentLogger);
    const outcomes = new Map<string, string>();
    for (const handle of ['h1', 'h2', 'h3']) deleter.delete({ messageId: `m-${handle}`, receiptHandle: handle }, (outcome) => outcomes.set(handle, outcome));
    await deleter.flush();
    await new Promise((resolve) => setImmediate(resolve));
    await deleter.flush();
    assert.deepEqual(requests, [['h1', 'h2', 'h3']]);
    assert.deepEqual(Object.fromEntries(outcomes), { h1: 'deleted', h2: 'stale', h3: 'deleted' });
  });

  it('reports a failed request to every handle of the batch, and a throwing callback does not resend it', async () => {
    let requests = 0;
    const mns = {
      batchDelete: async () => {
        requests++;
        if (requests > 1) throw new Error('resent after a callback threw');
        return { failed: [] };
      },
    } as unknown as MnsClient;
    const deleter = new MessageDeleter(mns, 'q', credentials, new ManualClock(), silentLogger);
    const seen: string[] = [];
    deleter.delete({ messageId: 'm1', receiptHandle: 'h1' }, () => {
      throw new Error('callback bug');
    });
    deleter.delete({ messageId: 'm2', receiptHandle: 'h2' }, (outcome) => seen.push(outcome));
    await new Promise((resolve) => setImmediate(resolve));
    await deleter.flush();
    assert.equal(requests, 1);
    assert.deepEqual(seen, ['deleted']);

    const refusal = new MnsRequestError('queue gone', { code: 'QueueNotExist', action: 'BatchDeleteMessage', httpStatus: 404 });
    const refusing = {
      batchDelete: async () => {
        throw refusal;
      },
    } as unknown as MnsClient;
    const failing = new MessageDeleter(refusing, 'q', credentials, new ManualClock(), silentLogger);
    const results: unknown[] = [];
    for (const handle of ['h3', 'h4']) failing.delete({ messageId: `m-${handle}`, receiptHandle: handle }, (outcome, error) => results.push([handle, outcome, error]));
    await new Promise((resolve) => setImmediate(resolve));
    await failing.flush();
    assert.deepEqual(results, [
      ['h3', 'failed', refusal],
      ['h4', 'failed', refusal],
    ]);
  });

  it('names the MessageId of every delete MNS did not apply, so the warning can be correlated', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) } as unknown as Logger;
    const mns = {
      batchDelete: async () => ({
        failed: [
          { receiptHandle: 'h1', code: 'MessageNotExist', message: 'Message not exist.' },
          { receiptHandle: 'h3', code: 'ReceiptHandleError', message: 'The receipt handle you provide is not valid.' },
        ],
      }),
    } as unknown as MnsClient;
    const deleter = new MessageDeleter(mns, 'Alicom-Queue-1-SmsReport', credentials, new ManualClock(), logger);
    for (const [id, handle] of [['5F3A-0001', 'h1'], ['5F3A-0002', 'h2'], ['5F3A-0003', 'h3']]) deleter.delete({ messageId: id, receiptHandle: handle }, () => {});
    await new Promise((resolve) => setImmediate(resolve));
    await deleter.flush();
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /Delete of message 5F3A-0001 on Alicom-Queue-1-SmsReport not applied \(MessageNotExist\)/);
    assert.match(warnings[1], /Delete of message 5F3A-0003 .*\(ReceiptHandleError\)/);
  });
});
