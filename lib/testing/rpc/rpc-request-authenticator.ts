import { gatewayErrors } from './rpc-error-catalog.js';
import { NonceRegistry } from './nonce-registry.js';
import { buildRpcStringToSign, computeRpcSignature, rpcSignaturesMatch, type RpcHttpMethod } from './rpc-signature.js';

/** Largest accepted distance between `Timestamp` and the server clock. */
export const TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000;

/** Common parameters every POP RPC request must carry (PROTOCOL.md §2.6 step 2). */
const REQUIRED_COMMON_PARAMETERS = [
  'Action',
  'Version',
  'AccessKeyId',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'Signature',
] as const;

/** `YYYY-MM-DDThh:mm:ssZ`, UTC, no fraction (PROTOCOL.md §2.1). */
const TIMESTAMP_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** What the authenticator needs to know about the server. */
export interface RpcRequestAuthenticatorOptions {
  /** Secret per AccessKeyId; read on every request so keys can change at runtime. */
  readonly accessKeys: ReadonlyMap<string, string>;
  /** The server clock. */
  readonly clock: () => Date;
}

/**
 * Verifies a POP RPC request the way Alibaba's gateway does (PROTOCOL.md §2.6): required common
 * parameters, signature method/version, key lookup, HMAC-SHA1 signature, timestamp window and
 * nonce replay. Throws an `RpcGatewayError` on the first violation.
 */
export class RpcRequestAuthenticator {
  private readonly nonces = new NonceRegistry();

  constructor(private readonly options: RpcRequestAuthenticatorOptions) {}

  /** Accepts the request or throws the gateway error Alibaba would answer with. */
  authenticate(method: RpcHttpMethod, parameters: Readonly<Record<string, string>>): void {
    for (const name of REQUIRED_COMMON_PARAMETERS) {
      if (!parameters[name]) throw gatewayErrors.missingParameter(name);
    }
    if (parameters.SignatureMethod !== 'HMAC-SHA1') throw gatewayErrors.invalidSignatureMethod();
    if (parameters.SignatureVersion !== '1.0') throw gatewayErrors.invalidSignatureVersion();

    const secret = this.options.accessKeys.get(parameters.AccessKeyId);
    if (secret === undefined) throw gatewayErrors.accessKeyNotFound();

    const stringToSign = buildRpcStringToSign(method, parameters);
    if (!rpcSignaturesMatch(parameters.Signature, computeRpcSignature(stringToSign, secret))) {
      throw gatewayErrors.signatureDoesNotMatch(stringToSign);
    }

    const now = this.options.clock().getTime();
    this.checkTimestamp(parameters.Timestamp, now);
    if (!this.nonces.claim(parameters.AccessKeyId, parameters.SignatureNonce, now)) throw gatewayErrors.nonceUsed();
  }

  private checkTimestamp(timestamp: string, nowMs: number): void {
    const at = TIMESTAMP_FORMAT.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(at)) throw gatewayErrors.timestampMalformed();
    if (Math.abs(nowMs - at) > TIMESTAMP_TOLERANCE_MS) throw gatewayErrors.timestampExpired();
  }
}
