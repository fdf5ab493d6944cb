// Text-level XML writing shared by the emulator's MNS documents and RPC answers: both are rendered
// by hand so element order and text are exactly what Alibaba sends.

/** Escapes text for use as XML element content. */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** `<name>text</name>` with the text escaped; numbers and booleans in their decimal / `true` form. */
export function xmlElement(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXmlText(String(value))}</${name}>`;
}
