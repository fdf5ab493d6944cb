import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf, validateSync, type ValidationError } from 'class-validator';

const PORT_RANGE = { message: 'must be an integer from 0 to 65535 (0 picks a free port)' };

/** The variables the sample reads (README, "Quick start"), from the environment or a `.env` file. */
export class EnvironmentVariables {
  /** With the secret: Alibaba mode (real SMS, billed); without both: the embedded emulator. */
  @ValidateIf((env: EnvironmentVariables) => env.ALICOM_ACCESS_KEY_SECRET !== undefined)
  @IsString({ message: "is required with ALICOM_ACCESS_KEY_SECRET: set both (a RAM user's AccessKey) or neither (emulator)" })
  ALICOM_ACCESS_KEY_ID?: string;

  @ValidateIf((env: EnvironmentVariables) => env.ALICOM_ACCESS_KEY_ID !== undefined)
  @IsString({ message: "is required with ALICOM_ACCESS_KEY_ID: set both (a RAM user's AccessKey) or neither (emulator)" })
  ALICOM_ACCESS_KEY_SECRET?: string;

  /** e.g. `cn-hangzhou`; the module checks the value. */
  @IsOptional()
  @IsString()
  ALICOM_REGION_ID?: string;

  /** `Alicom-Queue-<uid>-` from the SMS console; receipts are off without it (Alibaba mode). */
  @IsOptional()
  @IsString()
  ALICOM_QUEUE_PREFIX?: string;

  /** How receipts arrive: pulled from the MNS queues (default) or pushed by Alibaba over HTTP. */
  @IsOptional()
  @IsIn(['mns', 'push'], { message: "must be 'mns' (pull from the MNS queues, the default) or 'push' (Alibaba POSTs them to this app)" })
  ALICOM_RECEIPTS?: 'mns' | 'push';

  /** Push mode: the secret in the receiving URL (required with an AccessKey; made up per start on the emulator). */
  @ValidateIf((env: EnvironmentVariables) => env.ALICOM_PUSH_SECRET !== undefined || (env.ALICOM_RECEIPTS === 'push' && env.ALICOM_ACCESS_KEY_ID !== undefined))
  @Matches(/^[A-Za-z0-9._~-]{16,100}$/, {
    message: ({ value }) =>
      value === undefined
        ? 'is required with ALICOM_RECEIPTS=push: the secret of the URL you give the SMS console, e.g. from node -p "crypto.randomBytes(24).toString(\'base64url\')"'
        : 'must be 16-100 characters among A-Z a-z 0-9 - _ . ~',
  })
  ALICOM_PUSH_SECRET?: string;

  /** A shared receipt store for several instances of the sample (e.g. redis://127.0.0.1:6379). */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' })
  ALICOM_REDIS_URL?: string;

  /** Names the sample's data in Redis. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be 1-64 letters, digits or -_.:' })
  ALICOM_REDIS_KEY_PREFIX?: string;

  @IsOptional()
  @IsString()
  ALICOM_SIGN_NAME?: string;

  @IsOptional()
  @IsString()
  ALICOM_TEMPLATE_CODE?: string;

  /** The number the page's form suggests. */
  @IsOptional()
  @IsString()
  ALICOM_TEST_PHONE?: string;

  @Type(() => Number)
  @IsInt(PORT_RANGE)
  @Min(0, PORT_RANGE)
  @Max(65535, PORT_RANGE)
  PORT: number = 3000;

  /** The sample is not meant to be exposed: loopback by default. */
  @IsString()
  HOST: string = '127.0.0.1';
}

/**
 * Checks and converts the variables the sample reads; throws one error naming every bad one
 * (never its value: some are secrets). Empty values count as unset, so a `.env` copied with
 * blanks behaves like no `.env` at all.
 */
export function validateEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentVariables {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const variables = plainToInstance(EnvironmentVariables, set);
  const errors = validateSync(variables);
  if (errors.length > 0) {
    throw new Error(`Invalid configuration (environment or .env file):\n${errors.map(describe).join('\n')}`);
  }
  return variables;
}

function describe(error: ValidationError): string {
  const problems = [...new Set(Object.values(error.constraints ?? {}))];
  return `  ${error.property}: ${problems.join('; ')}`;
}
