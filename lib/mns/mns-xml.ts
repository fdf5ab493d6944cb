import { XMLParser } from 'fast-xml-parser';
import type { MnsDeleteFailure, MnsErrorDocument, MnsMessage } from './mns.types.js';
import { scanMessagesDocument } from './mns-messages.scanner.js';
import { integerText, MnsXmlError, optionalText, requiredText, type XmlElement } from './mns-xml-text.js';

export { MnsXmlError } from './mns-xml-text.js';

// Reading MNS response documents and writing the BatchDeleteMessage body (PROTOCOL.md §4.5, §4.7).

/** Request namespace (responses have been seen without the trailing slash; parsing ignores it). */
const MNS_NAMESPACE = 'http://mns.aliyuncs.com/doc/v1/';

/** Elements that repeat; listed so that a single child still parses as an array. */
const REPEATED_ELEMENTS = new Set(['Messages.Message', 'Errors.Error']);

// One parser for the process: it is stateless between parse() calls.
const parser = new XMLParser({
  // MessageId / ReceiptHandle must stay text: `1E5` would otherwise become 100000.
  parseTagValue: false,
  ignoreAttributes: true,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  jPath: true,
  isArray: (_name, jPath) => REPEATED_ELEMENTS.has(jPath as string),
});

/** Parses and validates well-formedness; returns the root element's name and content. */
function parseDocument(xml: string, expected: string): { root: string; content: unknown } {
  let doc: XmlElement;
  try {
    doc = parser.parse(xml, true) as XmlElement;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MnsXmlError(`expected ${expected}, got a body that is not well-formed XML (${reason})`);
  }
  for (const root in doc) return { root, content: doc[root] };
  throw new MnsXmlError(`expected ${expected}, got an empty body`);
}

function elementOf(content: unknown, what: string): XmlElement {
  if (typeof content === 'object' && content !== null && !Array.isArray(content)) return content as XmlElement;
  throw new MnsXmlError(`expected ${what} with child elements`);
}

function toMessage(content: unknown): MnsMessage {
  const element = elementOf(content, '<Message>');
  const messageId = requiredText(element, 'MessageId', '<Message>');
  const where = `<Message> ${messageId}`;
  return {
    messageId,
    receiptHandle: requiredText(element, 'ReceiptHandle', where),
    // An odd body is left to the receipt decoder, which turns it into a poison message the
    // consumer can delete; rejecting the whole batch here would redeliver it forever.
    body: optionalText(element, 'MessageBody') ?? '',
    bodyMd5: optionalText(element, 'MessageBodyMD5') ?? '',
    enqueueTime: integerText(element, 'EnqueueTime', where),
    firstDequeueTime: integerText(element, 'FirstDequeueTime', where),
    nextVisibleTime: integerText(element, 'NextVisibleTime', where),
    dequeueCount: integerText(element, 'DequeueCount', where),
    priority: integerText(element, 'Priority', where),
  };
}

/**
 * Reads a (Batch)ReceiveMessage response: a `<Messages>` list, or the single `<Message>` that
 * ReceiveMessage returns. The common document goes through the single-pass scanner; anything it
 * does not take is read by fast-xml-parser, which validates, and both give the same answers.
 *
 * @throws MnsXmlError when the body is not such a document.
 */
export function parseMessages(xml: string): MnsMessage[] {
  const scanned = scanMessagesDocument(xml);
  if (scanned !== undefined) return scanned;
  const { root, content } = parseDocument(xml, 'a <Messages> or <Message> document');
  if (root === 'Message') return [toMessage(content)];
  if (root !== 'Messages') throw new MnsXmlError(`expected a <Messages> or <Message> document, got <${root}>`);
  if (content === '') return [];
  const list = elementOf(content, '<Messages>').Message;
  return Array.isArray(list) ? list.map(toMessage) : [];
}

function toErrorDocument(content: unknown): MnsErrorDocument {
  const element = elementOf(content, '<Error>');
  return {
    code: requiredText(element, 'Code', '<Error>'),
    message: optionalText(element, 'Message') ?? '',
    requestId: optionalText(element, 'RequestId'),
    hostId: optionalText(element, 'HostId'),
  };
}

/**
 * Reads the `<Error>` document of a failed request.
 *
 * @throws MnsXmlError when the body is not such a document (e.g. an HTML page from a proxy).
 */
export function parseErrorDocument(xml: string): MnsErrorDocument {
  const { root, content } = parseDocument(xml, 'an <Error> document');
  if (root !== 'Error') throw new MnsXmlError(`expected an <Error> document, got <${root}>`);
  return toErrorDocument(content);
}

/** A BatchDeleteMessage 404: either per-handle failures or a request-level error. */
export type BatchDeleteErrorResponse =
  | { failures: MnsDeleteFailure[]; error?: undefined }
  | { failures?: undefined; error: MnsErrorDocument };

/**
 * Reads a failed BatchDeleteMessage response: the `<Errors>` list of handles that were not deleted
 * (the others were), or else a request-level `<Error>` document.
 *
 * @throws MnsXmlError when the body is neither.
 */
export function parseBatchDeleteErrors(xml: string): BatchDeleteErrorResponse {
  const { root, content } = parseDocument(xml, 'an <Errors> or <Error> document');
  if (root === 'Error') return { error: toErrorDocument(content) };
  if (root !== 'Errors') throw new MnsXmlError(`expected an <Errors> or <Error> document, got <${root}>`);
  const list = content === '' ? [] : elementOf(content, '<Errors>').Error;
  const failures = (Array.isArray(list) ? list : []).map((entry): MnsDeleteFailure => {
    const element = elementOf(entry, '<Errors><Error>');
    return {
      receiptHandle: requiredText(element, 'ReceiptHandle', '<Errors><Error>'),
      code: requiredText(element, 'ErrorCode', '<Errors><Error>'),
      message: optionalText(element, 'ErrorMessage') ?? '',
    };
  });
  return { failures };
}

/**
 * Reads a ChangeMessageVisibility response (`<ChangeVisibility>`; an older doc shows `<Message>`).
 *
 * @throws MnsXmlError when the body is not such a document.
 */
export function parseChangeVisibility(xml: string): { receiptHandle: string; nextVisibleTime: number } {
  const { root, content } = parseDocument(xml, 'a <ChangeVisibility> document');
  if (root !== 'ChangeVisibility' && root !== 'Message') {
    throw new MnsXmlError(`expected a <ChangeVisibility> document, got <${root}>`);
  }
  const element = elementOf(content, `<${root}>`);
  const nextVisibleTime = integerText(element, 'NextVisibleTime', `<${root}>`);
  if (nextVisibleTime === 0) throw new MnsXmlError(`expected <NextVisibleTime> in <${root}>`);
  return { receiptHandle: requiredText(element, 'ReceiptHandle', `<${root}>`), nextVisibleTime };
}

const XML_SPECIAL = /[&<>"']/;
const XML_SPECIAL_GLOBAL = /[&<>"']/g;
const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for an XML element; handles (Base64 text) normally need nothing. */
function escapeXmlText(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_GLOBAL, (c) => XML_ESCAPES[c]) : text;
}

/** The BatchDeleteMessage request body listing the handles to delete. */
export function buildReceiptHandlesXml(receiptHandles: readonly string[]): string {
  let xml = `<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="${MNS_NAMESPACE}">`;
  for (const handle of receiptHandles) xml += `<ReceiptHandle>${escapeXmlText(handle)}</ReceiptHandle>`;
  return xml + '</ReceiptHandles>';
}
