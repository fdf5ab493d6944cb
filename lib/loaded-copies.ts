import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Key on `globalThis` of the list of this package's copies loaded in the process (one entry per
 * build directory). Exactly one entry is the healthy state.
 */
const LOADED_COPIES_KEY = Symbol.for('nestjs-alicom-sms.loaded-copies');

/** One loaded copy of the package: its module format and the build directory it was loaded from. */
interface LoadedCopy {
  readonly format: 'commonjs' | 'esm';
  readonly path: string;
}

type CopiesHolder = { [LOADED_COPIES_KEY]?: LoadedCopy[] };

/**
 * The file this code runs from, read from V8's structured call sites so that source maps
 * (`--enable-source-maps`, source-map-support) cannot rewrite it to the TypeScript source.
 */
function currentFile(): string {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    const callSites = new Error().stack as unknown as NodeJS.CallSite[];
    const fileName = callSites[0]?.getFileName() ?? '(unknown file)';
    return fileName.startsWith('file:') ? fileURLToPath(fileName) : fileName;
  } finally {
    Error.prepareStackTrace = original;
  }
}

// NOTE: the same source is compiled twice (dist/esm for `import`, dist/cjs for `require`); only
// the CommonJS build runs inside a module wrapper that defines `module` and `exports`.
const thisCopy: LoadedCopy = {
  format: typeof module === 'object' && typeof exports === 'object' ? 'commonjs' : 'esm',
  path: dirname(currentFile()),
};

function describeCopy(copy: LoadedCopy): string {
  return `the ${copy.format === 'esm' ? 'ESM' : 'CommonJS'} build at ${copy.path}`;
}

/**
 * Marks this copy as loaded and warns once when another copy (the other build, or a second
 * install) is already loaded: each copy has its own classes, which Nest uses as injection tokens,
 * so a module registered through one is invisible to the other (the dual-package hazard).
 */
function registerThisCopy(): void {
  const holder = globalThis as CopiesHolder;
  const copies = (holder[LOADED_COPIES_KEY] ??= []);
  if (copies.some((copy) => copy.path === thisCopy.path)) return;
  const others = copies.slice();
  copies.push(thisCopy);
  if (others.length === 0 || typeof process !== 'object' || typeof process.emitWarning !== 'function') return;
  process.emitWarning(
    `nestjs-alicom-sms is loaded twice in this process: ${others.map(describeCopy).join(', ')} and ` +
      `${describeCopy(thisCopy)}. Each copy has its own classes (AlicomSmsModule, SmsService, ` +
      'SmsReceiptListener, the error classes), so a provider or error from one is not found or ' +
      'recognised by the other. Load the package one way only: `import` it everywhere (ESM) or `require` ' +
      'it everywhere (CommonJS), and make sure a single version is installed (`npm ls nestjs-alicom-sms`).',
    { code: 'ALICOM_SMS_DUPLICATE_PACKAGE' },
  );
}

registerThisCopy();
