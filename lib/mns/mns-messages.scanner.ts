import type { MnsMessage } from './mns.types.js';
import { integerText, requiredText } from './mns-xml-text.js';

// The (Batch)ReceiveMessage document read in one pass, for the receipt loop: the drain benchmark
// shows it worth keeping beside fast-xml-parser (BENCHMARKS.md, "One path per behaviour").

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
export function scanMessagesDocument(xml: string): MnsMessage[] | undefined {
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

