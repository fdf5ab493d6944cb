// Keeps the README honest: every ```ts block in README.md is, character for character, one of the
// files in test/readme-examples/ (in file-name order), which tsc type-checks with the rest of the
// test build (and 09-testing-your-app.spec.ts even runs). Edit the file, then paste it into the
// README, or the other way round; this test fails until both agree.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// Compiled to <outDir>/test/, so the repository root is two levels up.
const root = fileURLToPath(new URL('../../', import.meta.url));
const examplesDir = join(root, 'test', 'readme-examples');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function fencedBlocks(markdown: string): { lang: string; code: string }[] {
  const blocks: { lang: string; code: string }[] = [];
  const fence = /^```([\w-]*)\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) blocks.push({ lang: match[1], code: match[2] });
  return blocks;
}

const exampleFiles = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
  .sort();

describe('README code examples', () => {
  const blocks = fencedBlocks(readme);
  const tsBlocks = blocks.filter((block) => block.lang === 'ts').map((block) => block.code);

  it('writes TypeScript only in ```ts blocks (the checked ones)', () => {
    const unchecked = blocks.filter((block) => ['typescript', 'js', 'javascript', 'tsx', 'mts'].includes(block.lang));
    assert.deepEqual(unchecked.map((block) => block.code.split('\n')[0]), []);
  });

  it('has one example file per ```ts block', () => {
    assert.ok(tsBlocks.length > 0, 'README has TypeScript examples');
    assert.equal(tsBlocks.length, exampleFiles.length, `README has ${tsBlocks.length} ts blocks, test/readme-examples has ${exampleFiles.length} files`);
  });

  exampleFiles.forEach((name, index) => {
    it(`block ${index + 1} is test/readme-examples/${name}`, () => {
      const file = readFileSync(join(examplesDir, name), 'utf8');
      assert.equal(tsBlocks[index], file.endsWith('\n') ? file : `${file}\n`);
    });
  });
});
