// Removes known secrets from text that may quote a server's answer (error messages, request ids,
// codes): a gateway that reflects the request can echo a security token raw, percent-encoded once
// (the form body) or twice (its string to sign), JSON-escaped, or cut short.

const REDACTED = '***';
/** Runs of token characters at least this long that occur inside a secret are treated as a piece of it. */
const MIN_FRAGMENT = 12;
const TOKEN_RUN = /[A-Za-z0-9+/=%._~\\-]{12,}/g;
/** `AccessKeySecret: "…"`, `SecurityToken=…`, `security-token: …` in any quoting: the value goes. */
const CREDENTIAL_FIELD = /((?:AccessKeySecret|SecurityToken|security-token)(?:["'\\]|%22|%2522)*\s*(?::|=|%3D|%253D)\s*(?:["'\\]|%22|%2522)*)[^"'\\&,}\s<]+/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** One character of a secret in every form an echo may use: raw, `%XX`, `%25XX`, `\`-escaped. */
function charPattern(char: string): string {
  if (/[A-Za-z0-9]/.test(char)) return char;
  const bytes = [...Buffer.from(char, 'utf8')];
  const hex = (byte: number) => {
    const h = byte.toString(16).padStart(2, '0');
    return `[${h[0].toUpperCase()}${h[0].toLowerCase()}][${h[1].toUpperCase()}${h[1].toLowerCase()}]`;
  };
  const once = bytes.map((b) => `%${hex(b)}`).join('');
  const twice = bytes.map((b) => `%25${hex(b)}`).join('');
  return `(?:\\\\?${escapeRegExp(char)}|${once}|${twice})`;
}

/** Repeatedly percent-decodes and unescapes `text` (at most twice) to compare it with raw secrets. */
function normalized(text: string): string {
  let value = text.replace(/\\/g, '');
  for (let i = 0; i < 2 && value.includes('%'); i++) {
    try {
      value = decodeURIComponent(value);
    } catch {
      break;
    }
  }
  return value;
}

/** Whether `text` has a piece of at least {@link MIN_FRAGMENT} characters in common with a secret. */
function sharesFragment(text: string, secrets: readonly KnownSecret[]): boolean {
  for (let start = 0; start + MIN_FRAGMENT <= text.length; start++) {
    const piece = text.slice(start, start + MIN_FRAGMENT);
    if (secrets.some((s) => s.raw.includes(piece))) return true;
  }
  return false;
}

interface KnownSecret {
  raw: string;
  pattern: RegExp;
}

/**
 * Known secrets and the means to scrub them from text. Holds the secrets it was given (the module
 * already holds them elsewhere); print it and you see only how many it knows.
 */
export class SecretScrubber {
  readonly #fixed: KnownSecret[] = [];
  readonly #learned: KnownSecret[] = [];

  /**
   * @param secrets secrets scrubbed for the scrubber's whole life (the AccessKey secret, the STS token)
   * @param maxLearned how many secrets learned later (queue tokens) are remembered, newest kept
   */
  constructor(
    secrets: Iterable<string | undefined> = [],
    private readonly maxLearned = 16,
  ) {
    for (const secret of secrets) {
      const known = SecretScrubber.known(secret);
      if (known) this.#fixed.push(known);
    }
  }

  /** Remembers a secret handed out later (e.g. a queue token), forgetting the oldest past the bound. */
  learn(secret: string | undefined): void {
    const known = SecretScrubber.known(secret);
    if (!known || this.#learned.some((k) => k.raw === known.raw) || this.#fixed.some((k) => k.raw === known.raw)) return;
    this.#learned.push(known);
    if (this.#learned.length > this.maxLearned) this.#learned.shift();
  }

  /** `text` without any known secret (nor `extra` ones), nor the values of credential fields. */
  scrub(text: string, extra: ReadonlyArray<string | undefined> = []): string {
    const secrets = [...this.#fixed, ...this.#learned];
    for (const secret of extra) {
      const known = SecretScrubber.known(secret);
      if (known) secrets.push(known);
    }
    let safe = text.replace(CREDENTIAL_FIELD, `$1${REDACTED}`);
    for (const secret of secrets) safe = safe.replace(secret.pattern, REDACTED);
    if (secrets.length === 0) return safe;
    // Pieces: a long run of token characters that is part of a secret once decoded.
    return safe.replace(TOKEN_RUN, (run) => (sharesFragment(normalized(run), secrets) ? REDACTED : run));
  }

  /** Scrubs an optional server-provided value (request id, code). */
  scrubOptional(text: string | undefined, extra: ReadonlyArray<string | undefined> = []): string | undefined {
    return text === undefined ? undefined : this.scrub(text, extra);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretScrubber { known: ${this.#fixed.length + this.#learned.length} }`;
  }

  private static known(secret: string | undefined): KnownSecret | undefined {
    // Very short values cannot be told apart from ordinary text; real secrets are far longer.
    if (typeof secret !== 'string' || secret.length < 6) return undefined;
    return { raw: secret, pattern: new RegExp([...secret].map(charPattern).join(''), 'g') };
  }
}
