import { existsSync, readFileSync } from 'node:fs';

/**
 * Parses `.env` text: `KEY=value` lines, optional `export `, `#` comments, single- or
 * double-quoted values (double quotes understand `\n`). A tiny subset of dotenv, enough for
 * credentials and ports, so the sample needs no extra dependency.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rest] = match;
    values[key] = unquote(rest);
  }
  return values;
}

function unquote(rest: string): string {
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const end = rest.indexOf(quote, 1);
    const inner = end === -1 ? rest.slice(1) : rest.slice(1, end);
    return quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
  }
  // Unquoted: an inline comment starts at " #".
  const comment = rest.search(/\s#/);
  return (comment === -1 ? rest : rest.slice(0, comment)).trim();
}

/**
 * Reads the given `.env` files that exist; a later file wins over an earlier one. Returns the
 * merged variables and which files were read.
 */
export function readEnvFiles(paths: readonly string[]): { values: Record<string, string>; files: string[] } {
  const values: Record<string, string> = {};
  const files: string[] = [];
  for (const path of new Set(paths)) {
    if (!existsSync(path)) continue;
    Object.assign(values, parseEnvFile(readFileSync(path, 'utf8')));
    files.push(path);
  }
  return { values, files };
}
