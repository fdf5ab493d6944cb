import { xmlElement } from '../xml-text.js';

// The XML form of a POP RPC answer, what Alibaba sends when a request asks for `Format=XML` or
// names no Format at all (PROTOCOL.md §2.1, §9.1 item 10). It mirrors the JSON form: the root is
// `<{Action}Response>` (or `<Error>` for a gateway error), each field an element in the same order,
// an object a nested element, and a list the same element repeated, the way the JSON shape
// `{"SmsSendDetailDTOs":{"SmsSendDetailDTO":[…]}}` came from XML in the first place.

const XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>";

/** Renders `fields` as the children of `<root>`, with the XML declaration. */
export function renderRpcXml(root: string, fields: Readonly<Record<string, unknown>>): string {
  return `${XML_DECLARATION}<${root}>${renderFields(fields)}</${root}>`;
}

function renderFields(fields: Readonly<Record<string, unknown>>): string {
  let xml = '';
  for (const [name, value] of Object.entries(fields)) xml += renderValue(name, value);
  return xml;
}

function renderValue(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => renderValue(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${renderFields(value as Record<string, unknown>)}</${name}>`;
  return xmlElement(name, String(value));
}
