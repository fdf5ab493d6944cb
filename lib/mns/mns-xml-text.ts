import { isDecimalDigits } from '../utils/decimal-digits.js';

// What both MNS document readers (mns-xml.ts and mns-messages.scanner.ts) share: the error, and
// the rules for an element's text, so both give the same answers and the same errors.

/** A response body that is not the XML document the operation answers with. */
export class MnsXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MnsXmlError';
  }
}

/** An element's children by name, as fast-xml-parser gives them. */
export type XmlElement = Record<string, unknown>;

export function optionalText(element: XmlElement, name: string): string | undefined {
  const value = element[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredText(element: XmlElement, name: string, where: string): string {
  const value = element[name];
  if (typeof value === 'string' && value !== '') return value;
  throw new MnsXmlError(`expected a non-empty <${name}> in ${where}`);
}

/** Epoch-ms / counter fields: decimal digits only, 0 when the element is absent. */
export function integerText(element: XmlElement, name: string, where: string): number {
  const value = element[name];
  if (value === undefined) return 0;
  if (typeof value === 'string' && isDecimalDigits(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new MnsXmlError(`expected <${name}> in ${where} to be a non-negative integer`);
}

