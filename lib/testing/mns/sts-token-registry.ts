import { randomBytes } from 'node:crypto';
import { formatBeijingDateTime } from '../beijing-time.js';

// STS-style credentials as handed out by QueryTokenForMnsQueue (PROTOCOL.md §6): one queue per
// token, an `STS.` id, a secret and an opaque security token that must travel in `security-token`.

/** Credentials QueryTokenForMnsQueue hands out (times are Beijing `yyyy-MM-dd HH:mm:ss`). */
export interface EmulatedMnsToken {
  /** STS access key id, starts with `STS.`. */
  AccessKeyId: string;
  /** Secret used as the bare HMAC key of the MNS signature. */
  AccessKeySecret: string;
  /** Opaque token the client must send in the `security-token` header. */
  SecurityToken: string;
  /** Issue time, Beijing time `yyyy-MM-dd HH:mm:ss`. */
  CreateTime: string;
  /** Expiry time, Beijing time `yyyy-MM-dd HH:mm:ss`. */
  ExpireTime: string;
}

/** What the emulator remembers about an issued token. */
export interface IssuedStsCredential {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
  readonly messageType: string;
  /** The only queue this credential may touch. */
  readonly queueName: string;
  readonly createdAt: number;
  expiresAt: number;
}

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';

function randomText(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ID_ALPHABET[byte % ID_ALPHABET.length];
  return text;
}

/** Issues, looks up and expires STS credentials. */
export class StsTokenRegistry {
  private readonly byAccessKeyId = new Map<string, IssuedStsCredential>();
  private issuedCount = 0;

  constructor(
    /** Lifetime of newly issued credentials, read at each issue. */
    private readonly lifetimeMs: () => number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Number of credentials issued so far. */
  get issued(): number {
    return this.issuedCount;
  }

  /** Issues a fresh credential scoped to one queue. */
  issue(messageType: string, queueName: string): EmulatedMnsToken {
    const createdAt = this.clock();
    // The wire format truncates to whole seconds, so the ExpireTime a client reads is never later
    // than the instant the emulator starts refusing the token.
    const expiresAt = createdAt + this.lifetimeMs();
    const credential: IssuedStsCredential = {
      accessKeyId: `STS.${randomText(25)}`,
      accessKeySecret: randomText(44),
      // Base64 of 61 bytes always ends in `==` and often contains `+` or `/`: opaque on purpose.
      securityToken: `CAIS${randomBytes(61).toString('base64')}`,
      messageType,
      queueName,
      createdAt,
      expiresAt,
    };
    this.byAccessKeyId.set(credential.accessKeyId, credential);
    this.issuedCount += 1;
    return {
      AccessKeyId: credential.accessKeyId,
      AccessKeySecret: credential.accessKeySecret,
      SecurityToken: credential.securityToken,
      CreateTime: formatBeijingDateTime(new Date(createdAt)),
      ExpireTime: formatBeijingDateTime(new Date(expiresAt)),
    };
  }

  /** The credential for an access key id, if it was issued here. */
  find(accessKeyId: string): IssuedStsCredential | undefined {
    return this.byAccessKeyId.get(accessKeyId);
  }

  /** Makes every credential issued so far expire now. */
  expireAll(): void {
    const now = this.clock();
    for (const credential of this.byAccessKeyId.values()) credential.expiresAt = Math.min(credential.expiresAt, now);
  }
}
