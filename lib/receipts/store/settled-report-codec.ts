import type { SmsReport } from '../../interfaces/sms-receipt.interface.js';

// A settled report as JSON, for a store shared by several instances: the report another instance
// reads back is the one its handlers saw, with its Dates as Dates again.

/** `report` as one JSON string. */
export function encodeSettledReport(report: SmsReport): string {
  return JSON.stringify(report);
}

const asDate = (value: unknown): Date => new Date(value as string);

/** The report of {@link encodeSettledReport}, Dates revived (those of a QuerySendDetails `raw` record too). */
export function decodeSettledReport(json: string): SmsReport {
  const report = JSON.parse(json) as SmsReport;
  report.sendTime = asDate(report.sendTime);
  report.reportTime = asDate(report.reportTime);
  if (report.sent) report.sent.sentAt = asDate(report.sent.sentAt);
  if (report.source === 'query' && report.raw && typeof report.raw === 'object') {
    const raw = report.raw as { sendDate?: unknown; receiveDate?: unknown };
    if (typeof raw.sendDate === 'string') raw.sendDate = asDate(raw.sendDate);
    if (typeof raw.receiveDate === 'string') raw.receiveDate = asDate(raw.receiveDate);
  }
  return report;
}
