import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds `sample-app/public` from wherever this file was compiled to (`sample-app/dist/...` by
 * `nest build`, or a test build elsewhere in the repo): the first ancestor holding
 * `public/index.html` or `sample-app/public/index.html`.
 */
export function locatePublicDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'public'), join(dir, 'sample-app', 'public')]) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`sample-app/public/index.html not found above ${from}`);
  }
}
