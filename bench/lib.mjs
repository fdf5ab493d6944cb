// Where the benchmarks get the library from. By default the package itself, by name
// (`nestjs-alicom-sms`, i.e. the built dist/ through package.json "exports"), so
// `npm run build && node bench/run.mjs` measures exactly what would be published.
// BENCH_LIB_DIR=<dir> points at another build of lib/ (e.g. a private snapshot compiled with
// `npx tsc -p tsconfig.build.json --outDir bench/.dist`) so a benchmark is not disturbed by
// someone rebuilding dist/ meanwhile.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const dir = process.env.BENCH_LIB_DIR ? resolve(repoRoot, process.env.BENCH_LIB_DIR) : undefined;

export function libSource() {
  return dir ? resolve(dir) : 'nestjs-alicom-sms (dist/esm/)';
}

/** URL of the directory the library is loaded from (ends with /). */
export function libDir() {
  return pathToFileURL(resolve(dir ?? resolve(repoRoot, 'dist/esm')) + '/');
}

export async function loadLib() {
  await import('reflect-metadata');
  return dir ? import(pathToFileURL(resolve(dir, 'index.js')).href) : import('nestjs-alicom-sms');
}

export async function loadTesting() {
  return dir ? import(pathToFileURL(resolve(dir, 'testing/index.js')).href) : import('nestjs-alicom-sms/testing');
}

/** Another build of lib/ (a directory like dist/), e.g. one with a proposed fix applied. */
export async function loadLibFrom(path) {
  await import('reflect-metadata');
  return import(pathToFileURL(resolve(repoRoot, path, 'index.js')).href);
}
