import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Refuses webhook destinations in private, loopback, link-local, cloud-metadata and other special
 * address ranges (IPv4 and IPv6), unless an operator allows a range with DESTINATION_ALLOW_CIDRS.
 * It runs when a subscription is created (after DNS resolution) and again at every connection (a
 * custom DNS lookup for names, a direct check for IP literals), so a name that later resolves to
 * an internal address (DNS rebinding) is caught where it matters. Decimal, octal and hex IPv4
 * spellings are normalised by the WHATWG URL parser before any check.
 */
export interface DestinationGuard {
  /** The rule that blocks `address`, or undefined when it may be reached. */
  blockedBy(address: string): string | undefined;
  /**
   * The rule that blocks a URL host given as an IP literal (`10.0.0.1`, `[::1]`); undefined for a
   * host name, which the connection's lookup checks instead, and for a reachable address.
   */
  literalBlockedBy(host: string): string | undefined;
  /** Resolves the URL's host and checks every address; the reason when any is blocked. */
  checkUrl(url: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** A `dns.lookup` replacement for socket connections that fails for blocked addresses. */
  lookup: typeof dnsLookup;
}

interface Rule {
  cidr: string;
  label: string;
}

export const BLOCKED_RANGES: readonly Rule[] = [
  { cidr: '0.0.0.0/8', label: '"this network"' },
  { cidr: '10.0.0.0/8', label: 'private' },
  { cidr: '100.64.0.0/10', label: 'carrier-grade NAT' },
  { cidr: '127.0.0.0/8', label: 'loopback' },
  { cidr: '169.254.0.0/16', label: 'link-local (cloud metadata)' },
  { cidr: '172.16.0.0/12', label: 'private' },
  { cidr: '192.0.0.0/24', label: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', label: 'documentation' },
  { cidr: '192.88.99.0/24', label: '6to4 relay anycast (deprecated)' },
  { cidr: '192.168.0.0/16', label: 'private' },
  { cidr: '198.18.0.0/15', label: 'benchmarking' },
  { cidr: '198.51.100.0/24', label: 'documentation' },
  { cidr: '203.0.113.0/24', label: 'documentation' },
  { cidr: '224.0.0.0/4', label: 'multicast' },
  { cidr: '240.0.0.0/4', label: 'reserved' },
  { cidr: '::/128', label: 'unspecified' },
  { cidr: '::1/128', label: 'loopback' },
  // IPv6 forms that carry an IPv4 address inside, so ::7f00:1 or 2002:7f00:1:: cannot reach
  // 127.0.0.1 through a translator or relay. (IPv4-mapped ::ffff:a.b.c.d is checked against the
  // IPv4 rules by BlockList itself.)
  { cidr: '::/96', label: 'IPv4-compatible (deprecated; embeds an IPv4 address)' },
  { cidr: '::ffff:0:0:0/96', label: 'IPv4-translated (embeds an IPv4 address)' },
  { cidr: '64:ff9b::/96', label: 'NAT64 (embeds an IPv4 address)' },
  { cidr: '64:ff9b:1::/48', label: 'local-use NAT64 (embeds an IPv4 address)' },
  { cidr: '100::/64', label: 'discard' },
  { cidr: '2001::/32', label: 'Teredo (embeds an IPv4 address)' },
  { cidr: '2001:2::/48', label: 'benchmarking' },
  { cidr: '2001:db8::/32', label: 'documentation' },
  { cidr: '2002::/16', label: '6to4 (embeds an IPv4 address)' },
  { cidr: 'fc00::/7', label: 'unique local (includes the AWS metadata address fd00:ec2::254)' },
  { cidr: 'fe80::/10', label: 'link-local' },
  { cidr: 'ff00::/8', label: 'multicast' },
];

function toList(rules: readonly Rule[]): Array<{ rule: Rule; list: BlockList }> {
  return rules.map((rule) => {
    const [network = '', prefix = ''] = rule.cidr.split('/');
    const list = new BlockList();
    list.addSubnet(network, Number(prefix), isIP(network) === 6 ? 'ipv6' : 'ipv4');
    return { rule, list };
  });
}

/** Parses `10.0.0.0/8, 127.0.0.0/8`; throws with the bad entry named. */
export function parseCidrs(text: string): Rule[] {
  return text
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map((cidr) => {
      const [network = '', prefix = ''] = cidr.split('/');
      const family = isIP(network);
      const bits = Number(prefix);
      if (family === 0 || !/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) {
        throw new Error(`"${cidr}" is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
      }
      return { cidr, label: 'allowed' };
    });
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function makeDestinationGuard(options: {
  /** CIDR ranges reachable anyway (DESTINATION_ALLOW_CIDRS), e.g. `127.0.0.0/8` for tests. */
  allowCidrs: readonly string[];
}): DestinationGuard {
  const blocked = toList(BLOCKED_RANGES);
  const allowed = toList(parseCidrs(options.allowCidrs.join(',')));
  const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

  const blockedBy = (rawAddress: string): string | undefined => {
    // A zone id (fe80::1%eth0) names an interface, not another address: judge the address.
    const address = rawAddress.split('%')[0] ?? rawAddress;
    const type = family(address);
    if (allowed.some(({ list }) => list.check(address, type))) {
      return undefined;
    }
    const hit = blocked.find(({ list }) => list.check(address, type));
    return hit === undefined
      ? undefined
      : `${address} is in ${hit.rule.cidr} (${hit.rule.label}); allow it with DESTINATION_ALLOW_CIDRS if this is intended`;
  };

  const resolveAll = (host: string): Promise<LookupAddress[]> =>
    new Promise((resolve, reject) => {
      dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
    });

  const lookup = ((hostname: string, options: unknown, callback: unknown) => {
    const done = (typeof options === 'function' ? options : callback) as (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const lookupOptions =
      typeof options === 'object' && options !== null ? (options as { all?: boolean }) : {};
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) {
        done(error, []);
        return;
      }
      for (const { address } of addresses) {
        const reason = blockedBy(address);
        if (reason !== undefined) {
          const refused: NodeJS.ErrnoException = new Error(`Destination ${hostname} blocked: ${reason}`);
          refused.code = 'SC_ERR_DESTINATION_BLOCKED';
          done(refused, []);
          return;
        }
      }
      const first = addresses[0];
      if (lookupOptions.all === true) {
        done(null, addresses);
      } else {
        done(null, first?.address ?? '', first?.family);
      }
    });
  }) as typeof dnsLookup;

  const literalBlockedBy = (host: string): string | undefined => {
    const address = stripBrackets(host);
    return isIP(address) === 0 ? undefined : blockedBy(address);
  };

  return {
    blockedBy,
    literalBlockedBy,
    lookup,
    async checkUrl(url) {
      const host = stripBrackets(new URL(url).hostname);
      if (isIP(host) !== 0) {
        const reason = blockedBy(host);
        return reason === undefined ? { ok: true } : { ok: false, reason };
      }
      let addresses: LookupAddress[];
      try {
        addresses = await resolveAll(host);
      } catch (error: unknown) {
        return {
          ok: false,
          reason: `${host} does not resolve (${error instanceof Error ? error.message : String(error)})`,
        };
      }
      for (const { address } of addresses) {
        const reason = blockedBy(address);
        if (reason !== undefined) {
          return { ok: false, reason: `${host} resolves to ${reason}` };
        }
      }
      return { ok: true };
    },
  };
}
