// Builds POP-signed RPC requests with the CLIENT's signer and sends them to an emulator with
// fetch, so the tests check the client's signing against the emulator's independent verifier.
import { randomUUID } from 'node:crypto';
import { signRpcParameters } from '../../lib/rpc/pop-signature.js';
import type { AlicomEmulator } from '../../lib/testing/index.js';

/** How to build one call; every field defaults to a correct request. */
export interface EmulatorRpcCallOptions {
  method?: 'GET' | 'POST';
  /** Which endpoint to call. @default `token` for QueryTokenForMnsQueue, `sms` for every other action */
  endpoint?: 'sms' | 'token';
  accessKeyId?: string;
  accessKeySecret?: string;
  /** Signing time. @default now */
  timestamp?: Date;
  nonce?: string;
  /** Common parameters to leave out (before signing). */
  omit?: readonly string[];
  /** Common parameters to override (before signing). */
  override?: Readonly<Record<string, string>>;
  /** Changes the wire text after signing (to tamper with a signed request). */
  tamper?: (encoded: string) => string;
}

/** What came back, plus what the client signed. */
export interface EmulatorRpcCallResult {
  status: number;
  contentType: string | null;
  // Tests read arbitrary JSON fields of Alibaba's answers.
  body: any;
  /** The body as received (the text of an XML answer; `body` is then undefined). */
  text: string;
  /** The client's string-to-sign. */
  stringToSign: string;
}

/** `YYYY-MM-DDThh:mm:ssZ` as pop-core sends it. */
export function popTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sends one signed RPC call for `action` with its own parameters. */
export async function callEmulatorRpc(
  emulator: AlicomEmulator,
  action: string,
  actionParameters: Readonly<Record<string, string>>,
  options: EmulatorRpcCallOptions = {},
): Promise<EmulatorRpcCallResult> {
  const method = options.method ?? 'GET';
  const common: Record<string, string> = {
    Action: action,
    Version: '2017-05-25',
    Format: 'JSON',
    AccessKeyId: options.accessKeyId ?? emulator.credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: options.nonce ?? randomUUID(),
    Timestamp: popTimestamp(options.timestamp ?? new Date()),
    ...options.override,
  };
  for (const name of options.omit ?? []) delete common[name];
  const signed = signRpcParameters(
    method,
    { ...common, ...actionParameters },
    options.accessKeySecret ?? emulator.credentials.accessKeySecret,
  );
  const wire = options.tamper ? options.tamper(signed.encoded) : signed.encoded;
  const origin = emulator.endpoints[options.endpoint ?? (action === 'QueryTokenForMnsQueue' ? 'token' : 'sms')];
  const response =
    method === 'GET'
      ? await fetch(`${origin}/?${wire}`)
      : await fetch(`${origin}/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: wire,
        });
  const contentType = response.headers.get('content-type');
  const text = await response.text();
  return {
    status: response.status,
    contentType,
    body: contentType?.startsWith('application/json') ? JSON.parse(text) : undefined,
    text,
    stringToSign: signed.stringToSign,
  };
}
