import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { EmulatedMns } from '../../lib/testing/mns/emulated-mns.js';
import { hexBase64Md5, testSign, testStringToSign, type TestMnsCredentials } from './emulator-mns-signer.js';

// A plain HTTP host for EmulatedMns plus a signed request helper, so the MNS side can be tested
// without the full AlicomEmulator.

/** A running loopback server in front of an EmulatedMns. */
export interface MnsTestServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts `http.createServer` on 127.0.0.1 that buffers bodies and hands `/queues/` to `mns`. */
export async function startMnsTestServer(mns: EmulatedMns): Promise<MnsTestServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url?.startsWith('/queues/')) {
        void mns.handle(req, res, Buffer.concat(chunks));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How a test request is built; every header the signer uses can be bent to provoke errors. */
export interface TestMnsRequest {
  method: 'GET' | 'DELETE' | 'PUT' | 'POST';
  /** Raw request-target, sent and signed byte for byte. */
  target: string;
  credentials: TestMnsCredentials;
  body?: string;
  /** `'hex'` (SDK style, default when there is a body), a literal value, or `false` to omit. */
  contentMd5?: 'hex' | string | false;
  contentType?: string;
  /** Date header value. @default now */
  date?: string;
  /** Also send `x-mns-date` (signed) with this value, as the Node SDK does. */
  mnsDate?: string;
  /** Leave out the Date header (use with `mnsDate`). */
  omitDate?: boolean;
  omitVersion?: boolean;
  omitAuthorization?: boolean;
  /** Replace the computed signature. */
  signatureOverride?: string;
  /** Replace the security-token header value (`null` omits it). */
  securityTokenOverride?: string | null;
  signal?: AbortSignal;
}

/** Response of a test request. */
export interface TestMnsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed XML (namespace prefixes removed, all values as strings), or undefined for no body. */
  xml?: Record<string, any>;
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name, jpath) => jpath === 'Messages.Message' || jpath === 'Errors.Error',
});

/** Signs and sends one MNS request to the test server. */
export function mnsRequest(port: number, spec: TestMnsRequest): Promise<TestMnsResponse> {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
  const date = spec.date ?? new Date().toUTCString();
  const contentMd5 =
    spec.contentMd5 === false || (spec.contentMd5 === undefined && body === undefined)
      ? ''
      : spec.contentMd5 === undefined || spec.contentMd5 === 'hex'
        ? hexBase64Md5(body ?? '')
        : spec.contentMd5;
  const contentType = spec.contentType ?? (body ? 'text/xml' : '');
  const mnsHeaders: Record<string, string> = {};
  if (!spec.omitVersion) mnsHeaders['x-mns-version'] = '2015-06-06';
  if (spec.mnsDate !== undefined) mnsHeaders['x-mns-date'] = spec.mnsDate;
  const signedDate = spec.omitDate ? (spec.mnsDate ?? '') : date;
  const signature =
    spec.signatureOverride ??
    testSign(testStringToSign(spec.method, contentMd5, contentType, signedDate, mnsHeaders, spec.target), spec.credentials.accessKeySecret);

  const headers: Record<string, string | number> = { ...mnsHeaders };
  if (!spec.omitDate) headers['Date'] = date;
  if (contentMd5) headers['Content-MD5'] = contentMd5;
  if (contentType) headers['Content-Type'] = contentType;
  if (!spec.omitAuthorization) headers['Authorization'] = `MNS ${spec.credentials.accessKeyId}:${signature}`;
  const token = spec.securityTokenOverride === undefined ? spec.credentials.securityToken : spec.securityTokenOverride;
  if (token !== undefined && token !== null) headers['security-token'] = token;
  if (body) headers['Content-Length'] = body.length;

  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: spec.method, path: spec.target, headers, signal: spec.signal, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            xml: text ? (xmlParser.parse(text) as Record<string, any>) : undefined,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
