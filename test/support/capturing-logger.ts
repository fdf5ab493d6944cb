import type { LoggerService } from '@nestjs/common';

/** One line a logger was given. */
export interface CapturedLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
}

/** A Nest logger that keeps every line (give it to `TestingModuleBuilder.setLogger`). */
export class CapturingLogger implements LoggerService {
  readonly lines: CapturedLine[] = [];

  log(message: unknown): void {
    this.push('log', message);
  }
  error(message: unknown): void {
    this.push('error', message);
  }
  warn(message: unknown): void {
    this.push('warn', message);
  }
  debug(message: unknown): void {
    this.push('debug', message);
  }
  verbose(message: unknown): void {
    this.push('verbose', message);
  }
  fatal(message: unknown): void {
    this.push('fatal', message);
  }

  /** Lines at these levels whose text matches `pattern` (every line when none is given). */
  matching(levels: ReadonlyArray<CapturedLine['level']>, pattern?: RegExp): CapturedLine[] {
    return this.lines.filter((line) => levels.includes(line.level) && (!pattern || pattern.test(line.message)));
  }

  /** Every line, one per row (for assertion messages and secret searches). */
  text(): string {
    return this.lines.map((line) => `${line.level}: ${line.message}`).join('\n');
  }

  private push(level: CapturedLine['level'], message: unknown): void {
    this.lines.push({ level, message: typeof message === 'string' ? message : String(message) });
  }
}
