import { invalidRequest, type FieldProblem } from './field-problems.js';

const MAX_REPORT_WAIT_MS = 120_000;
const DEFAULT_REPORT_WAIT_MS = 30_000;

/** Query of `GET /sms/:bizId/report`. */
export interface ReportQuery {
  phoneNumber: string;
  timeoutMs: number;
}

/** Query of `GET /sms/details`. */
export interface DetailsQuery {
  phoneNumber: string;
  /** `yyyyMMdd` (QuerySendDetails' own format) or a Date; today when absent. */
  sendDate: string | Date;
  bizId?: string;
}

/** `?phone=13800138000&timeoutMs=30000`; throws a 400 listing every bad parameter. */
export function parseReportQuery(query: Record<string, unknown>): ReportQuery {
  const problems: FieldProblem[] = [];
  const phoneNumber = readPhone(query, problems);
  let timeoutMs = DEFAULT_REPORT_WAIT_MS;
  if (query.timeoutMs !== undefined) {
    timeoutMs = Number(query.timeoutMs);
    if (typeof query.timeoutMs !== 'string' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_REPORT_WAIT_MS) {
      problems.push({ field: 'timeoutMs', problem: `must be an integer from 1 to ${MAX_REPORT_WAIT_MS} (ms)` });
    }
  }
  if (problems.length > 0) throw invalidRequest(problems);
  return { phoneNumber, timeoutMs };
}

/** `?phone=13800138000&date=2026-11-28&bizId=...`; throws a 400 listing every bad parameter. */
export function parseDetailsQuery(query: Record<string, unknown>): DetailsQuery {
  const problems: FieldProblem[] = [];
  const phoneNumber = readPhone(query, problems);
  let sendDate: string | Date = new Date();
  if (query.date !== undefined) {
    const text = typeof query.date === 'string' ? query.date.replaceAll('-', '') : '';
    if (!/^\d{8}$/.test(text)) problems.push({ field: 'date', problem: 'must be a day as yyyy-MM-dd or yyyyMMdd (Beijing time)' });
    sendDate = text;
  }
  const bizId = query.bizId;
  if (bizId !== undefined && (typeof bizId !== 'string' || bizId === '')) problems.push({ field: 'bizId', problem: 'must be a BizId when given' });
  if (problems.length > 0) throw invalidRequest(problems);
  return { phoneNumber, sendDate, bizId: bizId as string | undefined };
}

function readPhone(query: Record<string, unknown>, problems: FieldProblem[]): string {
  const phone = query.phone;
  if (typeof phone !== 'string' || phone.trim() === '') {
    problems.push({ field: 'phone', problem: 'is required: the recipient number, e.g. ?phone=13800138000' });
    return '';
  }
  return phone.trim();
}
