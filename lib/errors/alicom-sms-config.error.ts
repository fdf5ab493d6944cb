import { AlicomSmsError } from './alicom-sms.error.js';

/**
 * Invalid module options. Thrown while Nest builds the module (`NestFactory.create()`,
 * `Test.createTestingModule(...).compile()`), naming every bad field at once, so the app fails to
 * start instead of failing on the first send.
 *
 * @publicApi
 */
export class AlicomSmsConfigError extends AlicomSmsError {
  /** Every bad field with what is wrong and how to fix it. */
  readonly problems: ReadonlyArray<{ field: string; problem: string }>;

  constructor(problems: ReadonlyArray<{ field: string; problem: string }>) {
    super(
      `Invalid AlicomSmsModule options (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.field}: ${p.problem}`).join('\n'),
      { code: 'InvalidOptions' },
    );
    this.problems = problems;
  }
}
