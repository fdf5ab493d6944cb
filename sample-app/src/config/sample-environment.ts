import { join } from 'node:path';
import { readEnvFiles } from './env-file.js';

/** Injection token of the sample's configuration variables (process env merged over `.env` files). */
export const SAMPLE_ENVIRONMENT = Symbol('SAMPLE_ENVIRONMENT');

/** The variables the sample reads, by name. Tests provide their own instead of the process's. */
export type SampleEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * `.env` in the working directory (the repo root under `npm start`), then `sample-app/.env`,
 * then the real environment: real variables win, like dotenv.
 */
export function loadSampleEnvironment(cwd = process.cwd()): { env: SampleEnvironment; files: string[] } {
  const { values, files } = readEnvFiles([join(cwd, '.env'), join(cwd, 'sample-app', '.env')]);
  return { env: { ...values, ...process.env }, files };
}
