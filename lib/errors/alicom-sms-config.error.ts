import { AlicomSmsError } from './alicom-sms.error.js';

/**
 * Invalid configuration: the module options, thrown while Nest builds the module
 * (`NestFactory.create()`, `Test.createTestingModule(...).compile()`) so the app fails to start
 * instead of failing on the first send; or the settings of another part the app configures in
 * code (`InMemoryReceiptStore` limits, health-check thresholds). Names every bad field at once.
 *
 * @publicApi
 */
export class AlicomSmsConfigError extends AlicomSmsError {
  /** Every bad field with what is wrong and how to fix it. */
  readonly problems: ReadonlyArray<{ field: string; problem: string }>;

  /**
   * @param problems every bad field
   * @param subject what was configured, for the headline
   */
  constructor(problems: ReadonlyArray<{ field: string; problem: string }>, subject = 'AlicomSmsModule options') {
    super(
      `Invalid ${subject} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.field}: ${p.problem}`).join('\n'),
      { code: 'InvalidOptions' },
    );
    this.problems = problems;
  }
}
