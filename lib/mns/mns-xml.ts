import { XMLParser } from 'fast-xml-parser';
import type { MnsDeleteFailure, MnsErrorDocument, MnsMessage } from './mns.types.js';
import { isDecimalDigits } from '../utils/decimal-digits.js';

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

/** A response body that is not the XML document the operation answers with. */
export class MnsXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MnsXmlError';
  }
}

type XmlElement = Record<string, unknown>;

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

function optionalText(element: XmlElement, name: string): string | undefined {
  const value = element[name];
  return typeof value === 'string' ? value : undefined;
}

function requiredText(element: XmlElement, name: string, where: string): string {
  const value = element[name];
  if (typeof value === 'string' && value !== '') return value;
  throw new MnsXmlError(`expected a non-empty <${name}> in ${where}`);
}

/** Epoch-ms / counter fields: decimal digits only, 0 when the element is absent. */
function integerText(element: XmlElement, name: string, where: string): number {
  const value = element[name];
  if (value === undefined) return 0;
  if (typeof value === 'string' && isDecimalDigits(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new MnsXmlError(`expected <${name}> in ${where} to be a non-negative integer`);
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

const NAMED_REFERENCE = /&(amp|lt|gt|quot|apos);/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Element text with the five named references resolved; `undefined` for any other `&` (numeric
 * references included), so the caller falls back to the full parser and both paths agree.
 */
function unescapeXmlText(text: string): string | undefined {
  if (text.indexOf('&') === -1) return text;
  if (text.replace(NAMED_REFERENCE, '').indexOf('&') !== -1) return undefined;
  return text.replace(NAMED_REFERENCE, (_m, named: string) => NAMED_ENTITIES[named]);
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipXmlSpace(xml: string, from: number): number {
  let i = from;
  while (i < xml.length && isXmlSpace(xml.charCodeAt(i))) i++;
  return i;
}

/** `[A-Za-z][A-Za-z0-9]*` over `xml[from, to)`. */
function isSimpleName(xml: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = xml.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter && !(i > from && c >= 48 && c <= 57)) return false;
  }
  return true;
}

// The `<Message>` children the scanner reads, as indexes into ScannedChildren; any other child is
// checked and skipped.
const MESSAGE_ID = 0;
const RECEIPT_HANDLE = 1;
const MESSAGE_BODY_MD5 = 2;
const MESSAGE_BODY = 3;
const ENQUEUE_TIME = 4;
const NEXT_VISIBLE_TIME = 5;
const FIRST_DEQUEUE_TIME = 6;
const DEQUEUE_COUNT = 7;
const PRIORITY = 8;
const MESSAGE_CHILDREN: readonly string[] = [
  'MessageId',
  'ReceiptHandle',
  'MessageBodyMD5',
  'MessageBody',
  'EnqueueTime',
  'NextVisibleTime',
  'FirstDequeueTime',
  'DequeueCount',
  'Priority',
];

/** Which of {@link MESSAGE_CHILDREN} `xml[from, to)` names, or -1. */
function knownChild(xml: string, from: number, to: number): number {
  const length = to - from;
  for (let k = 0; k < MESSAGE_CHILDREN.length; k++) {
    const name = MESSAGE_CHILDREN[k];
    if (name.length === length && xml.startsWith(name, from)) return k;
  }
  return -1;
}

/** The value of the decimal digits `xml[from, to)`, or -1 when empty, not all digits or not a safe integer. */
function digitsValue(xml: string, from: number, to: number): number {
  if (to <= from) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = xml.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  // Past 2^53 the running value is inexact, but it stays above MAX_SAFE_INTEGER either way.
  return Number.isSafeInteger(n) ? n : -1;
}

/**
 * The children of one scanned `<Message>`: where each known child's text is in the document
 * (`start` -1 when absent), or the text itself when it held entities. One instance serves every
 * message of a document.
 */
class ScannedChildren {
  readonly start: number[] = MESSAGE_CHILDREN.map(() => -1);
  readonly end: number[] = MESSAGE_CHILDREN.map(() => -1);
  readonly unescaped: (string | undefined)[] = MESSAGE_CHILDREN.map(() => undefined);

  constructor(private readonly xml: string) {}

  reset(): void {
    this.start.fill(-1);
    this.unescaped.fill(undefined);
  }

  /** {@link toMessage} for these children: the same checks in the same order, the same errors. */
  toMessage(): MnsMessage {
    const messageId = this.text(MESSAGE_ID);
    if (!messageId) requiredText({}, 'MessageId', '<Message>');
    const receiptHandle = this.text(RECEIPT_HANDLE);
    if (!receiptHandle) requiredText({}, 'ReceiptHandle', `<Message> ${messageId}`);
    return {
      messageId: messageId as string,
      receiptHandle: receiptHandle as string,
      body: this.text(MESSAGE_BODY) ?? '',
      bodyMd5: this.text(MESSAGE_BODY_MD5) ?? '',
      enqueueTime: this.integer(ENQUEUE_TIME, messageId as string),
      firstDequeueTime: this.integer(FIRST_DEQUEUE_TIME, messageId as string),
      nextVisibleTime: this.integer(NEXT_VISIBLE_TIME, messageId as string),
      dequeueCount: this.integer(DEQUEUE_COUNT, messageId as string),
      priority: this.integer(PRIORITY, messageId as string),
    };
  }

  private text(k: number): string | undefined {
    if (this.start[k] === -1) return undefined;
    return this.unescaped[k] ?? this.xml.slice(this.start[k], this.end[k]);
  }

  /** {@link integerText}'s rules; digits are read in place, without slicing the text out. */
  private integer(k: number, messageId: string): number {
    if (this.start[k] === -1) return 0;
    if (this.unescaped[k] === undefined) {
      const n = digitsValue(this.xml, this.start[k], this.end[k]);
      if (n !== -1) return n;
    }
    const name = MESSAGE_CHILDREN[k];
    return integerText({ [name]: this.text(k) }, name, `<Message> ${messageId}`);
  }
}

/**
 * Single-pass reader for the common case, a `<Messages>` list of `<Message>`s whose children are
 * plain text elements: one scan with indexOf, each child's text located in place (counters are
 * read without slicing), instead of fast-xml-parser's validate + parse + compress passes. Returns
 * `undefined` for anything else (attributes on children, CDATA, comments, duplicates, unknown
 * entities, a single-`<Message>` root, trailing garbage): the caller then runs the full,
 * validating parser, so odd and malformed documents behave as before.
 */
function scanMessagesDocument(xml: string): MnsMessage[] | undefined {
  let i = skipXmlSpace(xml, 0);
  if (xml.startsWith('<?xml', i)) {
    const end = xml.indexOf('?>', i);
    if (end === -1) return undefined;
    i = skipXmlSpace(xml, end + 2);
  }
  if (!xml.startsWith('<Messages', i)) return undefined;
  const afterName = xml.charCodeAt(i + 9);
  if (afterName !== 62 /* > */ && !isXmlSpace(afterName)) return undefined;
  const rootEnd = xml.indexOf('>', i);
  if (rootEnd === -1 || xml.charCodeAt(rootEnd - 1) === 47 /* / */) return undefined;
  i = skipXmlSpace(xml, rootEnd + 1);
  // The next `&` of the document: texts ending before it need no unescaping (one scan in all).
  let nextAmpersand = xml.indexOf('&', i);
  if (nextAmpersand === -1) nextAmpersand = xml.length;
  const children = new ScannedChildren(xml);
  const messages: MnsMessage[] = [];
  while (xml.startsWith('<Message>', i)) {
    i += 9;
    children.reset();
    let otherNames: string[] | undefined;
    for (;;) {
      i = skipXmlSpace(xml, i);
      if (xml.startsWith('</Message>', i)) {
        i += 10;
        break;
      }
      if (xml.charCodeAt(i) !== 60 /* < */) return undefined;
      const nameStart = i + 1;
      const nameEnd = xml.indexOf('>', nameStart);
      if (nameEnd === -1) return undefined;
      const known = knownChild(xml, nameStart, nameEnd);
      let name: string;
      if (known !== -1) {
        if (children.start[known] !== -1) return undefined; // a duplicate
        name = MESSAGE_CHILDREN[known];
      } else {
        if (!isSimpleName(xml, nameStart, nameEnd)) return undefined;
        name = xml.slice(nameStart, nameEnd);
        // `in Object.prototype`: the former scanner's `name in {}` check, kept so both agree.
        if (otherNames?.includes(name) || name in Object.prototype) return undefined;
        (otherNames ??= []).push(name);
      }
      // The text runs to the first `<`, which must open this element's end tag.
      const close = xml.indexOf('<', nameEnd + 1);
      if (
        close === -1 ||
        xml.charCodeAt(close + 1) !== 47 /* / */ ||
        !xml.startsWith(name, close + 2) ||
        xml.charCodeAt(close + 2 + name.length) !== 62 /* > */
      ) {
        return undefined;
      }
      if (nextAmpersand < close) {
        const text = unescapeXmlText(xml.slice(nameEnd + 1, close));
        if (text === undefined) return undefined;
        if (known !== -1) children.unescaped[known] = text;
        nextAmpersand = xml.indexOf('&', close);
        if (nextAmpersand === -1) nextAmpersand = xml.length;
      }
      if (known !== -1) {
        children.start[known] = nameEnd + 1;
        children.end[known] = close;
      }
      i = close + name.length + 3;
    }
    messages.push(children.toMessage());
    i = skipXmlSpace(xml, i);
  }
  if (!xml.startsWith('</Messages>', i)) return undefined;
  if (skipXmlSpace(xml, i + 11) !== xml.length) return undefined;
  return messages;
}

/**
 * Reads a (Batch)ReceiveMessage response: a `<Messages>` list, or the single `<Message>` that
 * ReceiveMessage returns.
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
