import { Transform, Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const MAX_REPORT_WAIT_MS = 120_000;
const PHONE = { message: 'is required: the recipient number, e.g. ?phone=13800138000' };
const TIMEOUT = { message: `must be an integer from 1 to ${MAX_REPORT_WAIT_MS} (ms)` };
const BIZ_ID = { message: 'must be a BizId when given' };

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `GET /sms/:bizId/report?phone=13800138000&timeoutMs=30000` */
export class ReportQueryDto {
  @Transform(trim)
  @IsString(PHONE)
  @IsNotEmpty(PHONE)
  phone!: string;

  /** How long to wait for the report. */
  @IsOptional()
  @Type(() => Number)
  @IsInt(TIMEOUT)
  @Min(1, TIMEOUT)
  @Max(MAX_REPORT_WAIT_MS, TIMEOUT)
  timeoutMs: number = 30_000;
}

/** `GET /sms/details?phone=13800138000&date=2026-11-28&bizId=...` */
export class DetailsQueryDto {
  @Transform(trim)
  @IsString(PHONE)
  @IsNotEmpty(PHONE)
  phone!: string;

  /** `yyyyMMdd` (QuerySendDetails' own format) once read; today (Beijing time) when absent. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.replaceAll('-', '') : value))
  @Matches(/^\d{8}$/, { message: 'must be a day as yyyy-MM-dd or yyyyMMdd (Beijing time)' })
  date?: string;

  @IsOptional()
  @IsString(BIZ_ID)
  @IsNotEmpty(BIZ_ID)
  bizId?: string;
}
