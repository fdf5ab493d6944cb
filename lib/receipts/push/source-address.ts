import { BlockList, isIP } from 'node:net';

// Who sent a push request: the connection's peer, or (behind trusted reverse proxies) an address
// from X-Forwarded-For; and whether the allow-list admits it.

/** `::ffff:203.0.113.7` (an IPv4 peer on a dual-stack socket) → `203.0.113.7`. */
function unmapped(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * Checks one `allowFrom` entry: an IPv4 / IPv6 address, or one with a `/prefix` (CIDR).
 * Returns what is wrong with it, or `undefined` when it is valid.
 */
export function allowEntryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return 'is not a string';
  const [address, prefix, extra] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return `'${entry}' is not an IP address or CIDR block (e.g. '203.0.113.7', '203.0.113.0/24', '2001:db8::/32')`;
  if (prefix === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `'${entry}': the prefix length must be 0-${max}`;
  return undefined;
}

/** The addresses allowed to push (entries checked with {@link allowEntryProblem} first). */
export class SourceAllowList {
  private readonly list = new BlockList();

  constructor(readonly entries: readonly string[]) {
    for (const entry of entries) {
      const [address, prefix] = entry.trim().split('/');
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
  }

  /** Whether `address` (absent when it could not be told) may push. */
  allows(address: string | undefined): boolean {
    if (address === undefined) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/**
 * The address a request came from. Each of the `trustedProxies` nearest hops appended the address
 * it received from to X-Forwarded-For, so the client is that many entries back from the peer;
 * when the header has fewer entries, the farthest one. `undefined` when the chosen entry is not
 * an IP address.
 */
export function sourceAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: number): string | undefined {
  if (trustedProxies === 0) return peer === undefined ? undefined : unmapped(peer);
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = header.split(',').map((hop) => hop.trim()).filter((hop) => hop !== '');
  const chain = peer === undefined ? hops : [...hops, peer];
  const chosen = chain[Math.max(0, chain.length - 1 - trustedProxies)];
  if (chosen === undefined || isIP(unmapped(chosen)) === 0) return undefined;
  return unmapped(chosen);
}
