// Which peers may read phone directories: a list of CIDRs (IPv4 and IPv6) from `phone_api.authorized_subnets`.
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Throws on an entry that is neither a CIDR nor an address (a typo must not open or close the API silently). */
export function parseSubnets(entries: unknown): Range[] {
  if (entries == null) return [];
  if (!Array.isArray(entries)) throw new Error('phone_api.authorized_subnets must be a list of CIDRs');
  return entries.map((entry) => {
    const text = String(entry).trim();
    try {
      if (text.includes('/')) return ipaddr.parseCIDR(text);
      const address = ipaddr.parse(text);
      return [address, address.kind() === 'ipv4' ? 32 : 128] as Range;
    } catch {
      throw new Error(`phone_api.authorized_subnets: "${text}" is not a CIDR`);
    }
  });
}

export class AllowList {
  private readonly ranges: Range[];

  constructor(entries: unknown) {
    this.ranges = parseSubnets(entries);
  }

  /** An IPv4-mapped IPv6 peer (::ffff:a.b.c.d, what a dual-stack socket reports) is checked as IPv4. */
  allows(address: string | undefined): boolean {
    if (!address || !ipaddr.isValid(address)) return false;
    const peer = ipaddr.process(address);
    return this.ranges.some(([network, bits]) => peer.kind() === network.kind() && peer.match(network, bits));
  }
}
