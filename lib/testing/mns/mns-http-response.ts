import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { MNS_API_VERSION } from './mns-request-authenticator.js';

// Response framing shared by every MNS answer (PROTOCOL.md §4.1).

/** A fresh `x-mns-request-id`: 24 upper-case hex characters. */
export function newMnsRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

/** Writes an MNS response unless the client is already gone. */
export function writeMnsResponse(res: ServerResponse, status: number, requestId: string, xml?: string): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = {
    'x-mns-request-id': requestId,
    'x-mns-version': MNS_API_VERSION,
    Server: 'AliyunMNS',
  };
  if (xml === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/xml;charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}
