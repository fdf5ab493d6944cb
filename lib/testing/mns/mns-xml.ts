import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { xmlElement as element } from '../xml-text.js';
import { MnsErrors, batchDeleteFailureMessage, type BatchDeleteFailureCode } from './mns-error.js';

// MNS response documents (PROTOCOL.md §4.5, §4.7), rendered by hand so the element order and
// text are exactly what the spec shows, plus the one request body the emulator parses
// (BatchDeleteMessage's `<ReceiptHandles>`).

/** Namespace of MNS documents. */
export const MNS_XML_NAMESPACE = 'http://mns.aliyuncs.com/doc/v1/';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * One message as it appears in a `<Message>` element: received (with a receipt handle and the
 * time it becomes visible again) or peeked (without both).
 */
export interface MnsMessageDocument {
  messageId: string;
  /** Absent for a peeked message. */
  receiptHandle?: string;
  messageBodyMd5: string;
  messageBody: string;
  enqueueTime: number;
  /** Absent for a peeked message. */
  nextVisibleTime?: number;
  firstDequeueTime: number;
  dequeueCount: number;
  priority: number;
}

/** A per-handle BatchDeleteMessage failure. */
export interface MnsBatchDeleteFailure {
  receiptHandle: string;
  code: BatchDeleteFailureCode;
}

function messageElement(m: MnsMessageDocument): string {
  return (
    '<Message>' +
    element('MessageId', m.messageId) +
    (m.receiptHandle === undefined ? '' : element('ReceiptHandle', m.receiptHandle)) +
    element('MessageBodyMD5', m.messageBodyMd5) +
    element('MessageBody', m.messageBody) +
    element('EnqueueTime', m.enqueueTime) +
    (m.nextVisibleTime === undefined ? '' : element('NextVisibleTime', m.nextVisibleTime)) +
    element('FirstDequeueTime', m.firstDequeueTime) +
    element('DequeueCount', m.dequeueCount) +
    element('Priority', m.priority) +
    '</Message>'
  );
}

function rootWithNamespace(messageXml: string): string {
  // `<Message>` becomes `<Message xmlns="…">` for single-message documents.
  return messageXml.replace('<Message>', `<Message xmlns="${MNS_XML_NAMESPACE}">`);
}

/** ReceiveMessage / PeekMessage 200 body. */
export function renderMessageDocument(message: MnsMessageDocument): string {
  return XML_DECLARATION + rootWithNamespace(messageElement(message));
}

/** BatchReceiveMessage / BatchPeekMessage 200 body. */
export function renderMessagesDocument(messages: readonly MnsMessageDocument[]): string {
  return `${XML_DECLARATION}<Messages xmlns="${MNS_XML_NAMESPACE}">${messages.map(messageElement).join('')}</Messages>`;
}

/** ChangeMessageVisibility 200 body. */
export function renderChangeVisibilityDocument(receiptHandle: string, nextVisibleTime: number): string {
  return (
    `${XML_DECLARATION}<ChangeVisibility xmlns="${MNS_XML_NAMESPACE}">` +
    element('ReceiptHandle', receiptHandle) +
    element('NextVisibleTime', nextVisibleTime) +
    '</ChangeVisibility>'
  );
}

/** Request-level `<Error>` body. */
export function renderErrorDocument(code: string, message: string, requestId: string, hostId: string): string {
  return (
    `${XML_DECLARATION}<Error xmlns="${MNS_XML_NAMESPACE}">` +
    element('Code', code) +
    element('Message', message) +
    element('RequestId', requestId) +
    element('HostId', hostId) +
    '</Error>'
  );
}

/** BatchDeleteMessage partial-failure `<Errors>` body. */
export function renderBatchDeleteErrorsDocument(failures: readonly MnsBatchDeleteFailure[]): string {
  const entries = failures
    .map(
      (f) =>
        '<Error>' +
        element('ErrorCode', f.code) +
        element('ErrorMessage', batchDeleteFailureMessage(f.code)) +
        element('ReceiptHandle', f.receiptHandle) +
        '</Error>',
    )
    .join('');
  return `${XML_DECLARATION}<Errors xmlns="${MNS_XML_NAMESPACE}">${entries}</Errors>`;
}

const receiptHandlesParser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'ReceiptHandle',
});

/**
 * Parses a BatchDeleteMessage body into its handles (document order, XML-unescaped);
 * throws `MalformedXML` when the body is not a well-formed `<ReceiptHandles>` document.
 */
export function parseReceiptHandlesDocument(body: Buffer): string[] {
  const text = body.toString('utf8');
  if (XMLValidator.validate(text) !== true) throw MnsErrors.malformedXml();
  const parsed = receiptHandlesParser.parse(text) as Record<string, unknown>;
  const root = parsed['ReceiptHandles'];
  if (root === undefined) throw MnsErrors.malformedXml();
  if (root === '' || root === null) return [];
  if (typeof root !== 'object') throw MnsErrors.malformedXml();
  const handles = (root as Record<string, unknown>)['ReceiptHandle'] ?? [];
  if (!Array.isArray(handles) || handles.some((h) => typeof h !== 'string')) throw MnsErrors.malformedXml();
  return handles as string[];
}
