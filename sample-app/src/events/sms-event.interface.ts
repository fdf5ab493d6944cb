/** What the page shows in its live table: one row per send, receipt, reply or receipt problem. */
export interface SmsEvent {
  /** Stable per underlying fact, so a client can drop the copy it may see twice (replay + live). */
  id: string;
  type: 'sent' | 'report' | 'reply' | 'error';
  /** Where it came from: the MNS queue, a QuerySendDetails back-fill, HTTP push, or this app. */
  source: 'mns' | 'query' | 'push' | 'app';
  /** `waiting` (sent), `delivered` / `failed` (report), `received` (reply), or the failure kind. */
  status: string;
  bizId?: string;
  phoneNumber?: string;
  outId?: string;
  /** Carrier code of a report, e.g. `DELIVERED`. */
  errCode?: string;
  /** Carrier text of a report, or what went wrong for an error. */
  detail?: string;
  /** Text of a reply. */
  content?: string;
  /** When it happened (ISO 8601): accepted, reported, replied or failed. */
  time: string;
  /** When the SMS was handed to the carrier (reports). */
  sentAt?: string;
}
