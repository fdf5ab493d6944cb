// What the handset shows for a send: `【signature】` + the template with its variables filled in.

const VARIABLE = /\$\{([^}]+)\}/g;
const SINGLE_SEGMENT_CHARS = 70;
const LONG_SEGMENT_CHARS = 67;

/** Variable names of a template content (`${code}` → `code`), in order of first use. */
export function templateVariables(templateContent: string): string[] {
  return [...new Set([...templateContent.matchAll(VARIABLE)].map((match) => match[1]))];
}

/**
 * The message text. With a known template its variables are substituted; without one the emulator
 * cannot know the wording, so it shows the template code and the variables.
 */
export function renderSmsContent(
  signName: string,
  templateCode: string,
  templateContent: string | undefined,
  templateParam: Readonly<Record<string, string>> | undefined,
): string {
  const params = templateParam ?? {};
  if (templateContent !== undefined) {
    return `【${signName}】${templateContent.replace(VARIABLE, (placeholder, name: string) => params[name] ?? placeholder)}`;
  }
  let body = `[${templateCode}]`;
  for (const name of Object.keys(params)) body += ` ${name}=${params[name]}`;
  return `【${signName}】${body}`;
}

/** Billed segments: one up to 70 characters, else one per 67 (characters, not bytes). */
export function countSmsSegments(content: string): number {
  const length = countCharacters(content);
  return length <= SINGLE_SEGMENT_CHARS ? 1 : Math.ceil(length / LONG_SEGMENT_CHARS);
}

/** Code points, as `[...text].length` counts them (a lone surrogate is one), without the array. */
function countCharacters(text: string): number {
  let pairs = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}
