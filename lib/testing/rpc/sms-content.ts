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
  const body =
    templateContent === undefined
      ? [`[${templateCode}]`, ...Object.entries(params).map(([name, value]) => `${name}=${value}`)].join(' ')
      : templateContent.replace(VARIABLE, (placeholder, name: string) => params[name] ?? placeholder);
  return `【${signName}】${body}`;
}

/** Billed segments: one up to 70 characters, else one per 67 (characters, not bytes). */
export function countSmsSegments(content: string): number {
  const length = [...content].length;
  return length <= SINGLE_SEGMENT_CHARS ? 1 : Math.ceil(length / LONG_SEGMENT_CHARS);
}
