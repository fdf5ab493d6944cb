import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MnsXmlError,
  buildReceiptHandlesXml,
  parseBatchDeleteErrors,
  parseChangeVisibility,
  parseErrorDocument,
  parseMessages,
} from '../lib/mns/mns-xml.js';

// Documents of PROTOCOL.md §4.5 / §4.7.

const REPORT_BODY =
  'eyJwaG9uZV9udW1iZXIiOiIxMzkxMjM0NTY3OCIsInNlbmRfdGltZSI6IjIwMjMtMDMtMTUgMTQ6MDc6MDgiLCJyZXBvcnRfdGltZSI6IjIwMjMtMDMtMTUgMTQ6MDc6MTEiLCJzdWNjZXNzIjpmYWxzZSwiZXJyX2NvZGUiOiJNSzowMDAxIiwiZXJyX21zZyI6IuepuuWPtyIsInNtc19zaXplIjoiMiIsImJpel9pZCI6IjI0ODcxNTE3ODg0MjM4MjczOF4wIiwib3V0X2lkIjoiIn0=';

function messageXml(id: string, handle: string, body = REPORT_BODY, dequeueCount = 1): string {
  return (
    `<Message><MessageId>${id}</MessageId><ReceiptHandle>${handle}</ReceiptHandle>` +
    `<MessageBodyMD5>72C473DB04E9C4EE879AADD8FCEFF6C8</MessageBodyMD5><MessageBody>${body}</MessageBody>` +
    `<EnqueueTime>1678860431000</EnqueueTime><NextVisibleTime>1678860478000</NextVisibleTime>` +
    `<FirstDequeueTime>1678860448000</FirstDequeueTime><DequeueCount>${dequeueCount}</DequeueCount><Priority>8</Priority></Message>`
  );
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe('parseMessages', () => {
  it('reads a single ReceiveMessage <Message> with every field typed', () => {
    const xml =
      DECLARATION +
      messageXml('5F2C8A1B3D4E5F60-1-18FD1E2B3C4-200000001', '1-ODU4OTkzNDU5My0xNjc4ODYwNDc4LTEtOA==').replace(
        '<Message>',
        '<Message xmlns="http://mns.aliyuncs.com/doc/v1/">',
      );
    assert.deepEqual(parseMessages(xml), [
      {
        messageId: '5F2C8A1B3D4E5F60-1-18FD1E2B3C4-200000001',
        receiptHandle: '1-ODU4OTkzNDU5My0xNjc4ODYwNDc4LTEtOA==',
        body: REPORT_BODY,
        bodyMd5: '72C473DB04E9C4EE879AADD8FCEFF6C8',
        enqueueTime: 1678860431000,
        firstDequeueTime: 1678860448000,
        nextVisibleTime: 1678860478000,
        dequeueCount: 1,
        priority: 8,
      },
    ]);
  });

  it('reads a <Messages> list with one message as an array of one', () => {
    const xml = `${DECLARATION}<Messages xmlns="http://mns.aliyuncs.com/doc/v1">${messageXml('A1', '1-AAAA')}</Messages>`;
    const messages = parseMessages(xml);
    assert.equal(messages.length, 1);
    assert.equal(messages[0].messageId, 'A1');
  });

  it('reads many messages in order, pretty-printed', () => {
    const xml =
      `${DECLARATION}<Messages xmlns="http://mns.aliyuncs.com/doc/v1/">\n  ` +
      [messageXml('A1', '1-AAAA'), messageXml('A2', '1-BBBB', REPORT_BODY, 3), messageXml('A3', '1-CC+/==')].join('\n  ') +
      '\n</Messages>\n';
    const messages = parseMessages(xml);
    assert.deepEqual(
      messages.map((m) => [m.messageId, m.receiptHandle, m.dequeueCount]),
      [
        ['A1', '1-AAAA', 1],
        ['A2', '1-BBBB', 3],
        ['A3', '1-CC+/==', 1],
      ],
    );
  });

  it('keeps numeric-looking ids and handles as text', () => {
    const [message] = parseMessages(`<Messages>${messageXml('1E5', '000123')}</Messages>`);
    assert.equal(message.messageId, '1E5');
    assert.equal(message.receiptHandle, '000123');
    const [big] = parseMessages(messageXml('12345678901234567890123', '0x10'));
    assert.equal(big.messageId, '12345678901234567890123');
    assert.equal(big.receiptHandle, '0x10');
  });

  it('unescapes XML entities in element text', () => {
    const [message] = parseMessages(messageXml('A1', '1-a&amp;b&lt;c'));
    assert.equal(message.receiptHandle, '1-a&b<c');
  });

  it('reads list documents the same on its fast path as with the full parser', () => {
    // A comment makes the single-pass scanner step aside, so the second parse takes the
    // validating fast-xml-parser path: both must agree on every document shape they share.
    const documents = [
      `${DECLARATION}<Messages xmlns="http://mns.aliyuncs.com/doc/v1">${messageXml('A1', '1-AAAA')}</Messages>`,
      `<Messages>\n  ${messageXml('A1', '1-a&amp;b&lt;c&#x41;&#66;')}\n  ${messageXml('B2', '1-CC+/==', REPORT_BODY, 7)}\n</Messages>`,
      `<Messages>${messageXml('1E5', '000123')}</Messages>`,
      `<Messages>${messageXml('A1', '1-AAAA').replace('<Priority>8</Priority>', '')}</Messages>`,
    ];
    for (const xml of documents) {
      const viaFullParser = xml.replace('<Messages', '<!-- full parser --><Messages');
      assert.deepEqual(parseMessages(xml), parseMessages(viaFullParser), xml);
    }
    assert.throws(() => parseMessages(`<Messages>${messageXml('A1', '1-A')}`), MnsXmlError);
  });

  it('agrees with the full parser on unknown children, reordered children and odd counters', () => {
    const documents = [
      `<Messages>${messageXml('A1', '1-AAAA').replace('<Priority>', '<MessageTag>tag</MessageTag><Priority>')}</Messages>`,
      `<Messages>${messageXml('A1', '1-AAAA').replace('<MessageId>A1</MessageId><ReceiptHandle>1-AAAA</ReceiptHandle>', '<ReceiptHandle>1-AAAA</ReceiptHandle><MessageId>A1</MessageId>')}</Messages>`,
      `<Messages>${messageXml('A1', '1-AAAA', REPORT_BODY, 12)}${messageXml('A2', '1-BBBB').replace('<Priority>8<', '<Priority>0008<')}</Messages>`,
      `<Messages>${messageXml('A1', '1-AAAA').replace('<Priority>8<', '<Priority>&#56;<')}</Messages>`,
      `<Messages>${messageXml('A1', '1-AAAA').replace('<MessageId>A1<', '<MessageId>A&amp;1<')}</Messages>`,
    ];
    const outcome = (xml: string) => {
      try {
        return parseMessages(xml);
      } catch (error) {
        return String(error);
      }
    };
    for (const xml of documents) {
      const viaFullParser = xml.replace('<Messages', '<!-- full parser --><Messages');
      assert.deepEqual(outcome(xml), outcome(viaFullParser), xml);
    }
    assert.equal(parseMessages(documents[0])[0].priority, 8);
    assert.equal(parseMessages(documents[2])[1].priority, 8);
    for (const counter of ['', '9007199254740992', '12a', '-1', '&amp;']) {
      const xml = `<Messages>${messageXml('A1', '1-AAAA').replace('<EnqueueTime>1678860431000<', `<EnqueueTime>${counter}<`)}</Messages>`;
      assert.throws(() => parseMessages(xml), { name: 'MnsXmlError', message: 'expected <EnqueueTime> in <Message> A1 to be a non-negative integer' }, counter);
    }
  });

  it('treats an empty <Messages/> as no messages', () => {
    assert.deepEqual(parseMessages('<Messages xmlns="http://mns.aliyuncs.com/doc/v1/"/>'), []);
  });

  it('rejects a message without a receipt handle or with a non-numeric counter', () => {
    assert.throws(
      () => parseMessages(`<Messages><Message><MessageId>A1</MessageId></Message></Messages>`),
      (e: unknown) => e instanceof MnsXmlError && /<ReceiptHandle>/.test(e.message),
    );
    assert.throws(
      () => parseMessages(messageXml('A1', '1-AAAA', REPORT_BODY).replace('<DequeueCount>1<', '<DequeueCount>x<')),
      (e: unknown) => e instanceof MnsXmlError && /<DequeueCount>/.test(e.message),
    );
  });

  it('fails clearly on malformed XML, naming the expected document', () => {
    for (const body of [
      '',
      'not xml at all',
      '<Messages><Message><MessageId>1</MessageId>',
      '<Messages><Message></Messages>',
      '<html><body>502 Bad Gateway</body></html>',
      '{"Code":"MessageNotExist"}',
    ]) {
      assert.throws(
        () => parseMessages(body),
        (e: unknown) => e instanceof MnsXmlError && e.message.includes('<Messages> or <Message>'),
        `body ${JSON.stringify(body)}`,
      );
    }
  });
});

describe('parseErrorDocument', () => {
  it('reads the MessageNotExist document', () => {
    const xml =
      `${DECLARATION}<Error xmlns="http://mns.aliyuncs.com/doc/v1/">\n  <Code>MessageNotExist</Code>\n` +
      `  <Message>Message not exist.</Message>\n  <RequestId>6411A12C0A1B2C3D4E5F6071</RequestId>\n` +
      `  <HostId>http://1943695596114318.mns.cn-hangzhou.aliyuncs.com</HostId>\n</Error>`;
    assert.deepEqual(parseErrorDocument(xml), {
      code: 'MessageNotExist',
      message: 'Message not exist.',
      requestId: '6411A12C0A1B2C3D4E5F6071',
      hostId: 'http://1943695596114318.mns.cn-hangzhou.aliyuncs.com',
    });
  });

  it('keeps a numeric-looking request id as text', () => {
    assert.equal(parseErrorDocument('<Error><Code>AccessDenied</Code><RequestId>0012E5</RequestId></Error>').requestId, '0012E5');
  });

  it('rejects other documents and broken XML', () => {
    assert.throws(() => parseErrorDocument('<Messages/>'), /expected an <Error> document, got <Messages>/);
    assert.throws(() => parseErrorDocument('<Error><Code>X</Code></Err>'), MnsXmlError);
    assert.throws(() => parseErrorDocument('<Error><Message>no code</Message></Error>'), /<Code>/);
  });
});

describe('parseBatchDeleteErrors', () => {
  it('reads the per-handle failures of <Errors> (one or many)', () => {
    const one =
      `${DECLARATION}<Errors xmlns="http://mns.aliyuncs.com/doc/v1/"><Error><ErrorCode>MessageNotExist</ErrorCode>` +
      `<ErrorMessage>Message not exist.</ErrorMessage><ReceiptHandle>1-ODU4OTkzNDU5NC0xNjc4ODYwNDc4LTEtOA==</ReceiptHandle></Error></Errors>`;
    assert.deepEqual(parseBatchDeleteErrors(one), {
      failures: [
        { receiptHandle: '1-ODU4OTkzNDU5NC0xNjc4ODYwNDc4LTEtOA==', code: 'MessageNotExist', message: 'Message not exist.' },
      ],
    });
    const two =
      '<Errors><Error><ErrorCode>MessageNotExist</ErrorCode><ErrorMessage>m1</ErrorMessage><ReceiptHandle>1-A</ReceiptHandle></Error>' +
      '<Error><ErrorCode>ReceiptHandleError</ErrorCode><ErrorMessage>m2</ErrorMessage><ReceiptHandle>1-B</ReceiptHandle></Error></Errors>';
    assert.deepEqual(
      parseBatchDeleteErrors(two).failures?.map((f) => [f.receiptHandle, f.code]),
      [
        ['1-A', 'MessageNotExist'],
        ['1-B', 'ReceiptHandleError'],
      ],
    );
  });

  it('falls back to a request-level <Error>', () => {
    const result = parseBatchDeleteErrors('<Error><Code>QueueNotExist</Code><Message>The queue name you provided is not exist.</Message></Error>');
    assert.equal(result.failures, undefined);
    assert.equal(result.error?.code, 'QueueNotExist');
  });

  it('rejects anything else', () => {
    assert.throws(() => parseBatchDeleteErrors('<Messages/>'), /expected an <Errors> or <Error> document/);
    assert.throws(() => parseBatchDeleteErrors('<Errors><Error>'), MnsXmlError);
  });
});

describe('parseChangeVisibility', () => {
  it('reads the new handle and visibility time', () => {
    const xml =
      `${DECLARATION}<ChangeVisibility xmlns="http://mns.aliyuncs.com/doc/v1/">\n` +
      `  <ReceiptHandle>1-ODU4OTkzNDU5My0xNjc4ODYwNTE4LTEtOA==</ReceiptHandle>\n  <NextVisibleTime>1678860518000</NextVisibleTime>\n</ChangeVisibility>`;
    assert.deepEqual(parseChangeVisibility(xml), {
      receiptHandle: '1-ODU4OTkzNDU5My0xNjc4ODYwNTE4LTEtOA==',
      nextVisibleTime: 1678860518000,
    });
  });

  it('rejects a document without NextVisibleTime or of another kind', () => {
    assert.throws(() => parseChangeVisibility('<ChangeVisibility><ReceiptHandle>1-A</ReceiptHandle></ChangeVisibility>'), /<NextVisibleTime>/);
    assert.throws(() => parseChangeVisibility('<Error><Code>X</Code></Error>'), /expected a <ChangeVisibility> document/);
  });
});

describe('buildReceiptHandlesXml', () => {
  it('produces the body of the @alicloud/mns example byte for byte', () => {
    assert.equal(
      buildReceiptHandlesXml(['1-AAAA', '1-BBBB']),
      '<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/">' +
        '<ReceiptHandle>1-AAAA</ReceiptHandle><ReceiptHandle>1-BBBB</ReceiptHandle></ReceiptHandles>',
    );
  });

  it('escapes XML special characters so that the parser reads the handles back unchanged', () => {
    const handles = ['1-a&b', '1-<x>', `1-"q'`, '1-ODU+/=='];
    const xml = buildReceiptHandlesXml(handles);
    assert.ok(
      xml.endsWith(
        '<ReceiptHandle>1-a&amp;b</ReceiptHandle><ReceiptHandle>1-&lt;x&gt;</ReceiptHandle>' +
          '<ReceiptHandle>1-&quot;q&apos;</ReceiptHandle><ReceiptHandle>1-ODU+/==</ReceiptHandle></ReceiptHandles>',
      ),
    );
    // Same element shape as a per-handle failure list, so the production parser can read it back.
    const asErrors = xml
      .replace(/<ReceiptHandles[^>]*>/, '<Errors>')
      .replace('</ReceiptHandles>', '</Errors>')
      .replace(/<ReceiptHandle>/g, '<Error><ErrorCode>E</ErrorCode><ReceiptHandle>')
      .replace(/<\/ReceiptHandle>/g, '</ReceiptHandle></Error>');
    assert.deepEqual(parseBatchDeleteErrors(asErrors).failures?.map((f) => f.receiptHandle), handles);
  });
});
