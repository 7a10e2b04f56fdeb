import { embeddedIpv4, formatIpv4, inRange, parseCidr, parseIp, type IpAddress, type IpRange } from './ip-address.ts'

/** Why an address is not a public unicast address, in words an operator searches for. */
export type SpecialPurposeKind =
  | 'unspecified' | 'this-network' | 'loopback' | 'private' | 'shared' | 'link-local' | 'unique-local' | 'site-local'
  | 'protocol-assignments' | 'documentation' | 'benchmarking' | 'multicast' | 'reserved' | 'discard' | 'translation'

/** The special-purpose block an address belongs to (RFC 6890 registries and their updates). */
export interface SpecialPurposeRange {
  readonly kind: SpecialPurposeKind
  readonly cidr: string
  /** The RFC that reserves the block. */
  readonly reference: string
  /** Set when an IPv6 address carries the IPv4 one that was classified (e.g. `IPv4-mapped ::ffff:0:0/96`). */
  readonly embeddedIn?: string
}

type Row = readonly [cidr: string, kind: SpecialPurposeKind, reference: string]

/** IPv4 Special-Purpose Address Registry (RFC 6890 §2.2.2 and later entries). Order: most specific first where blocks nest. */
const IPV4: readonly Row[] = [
  ['0.0.0.0/8', 'this-network', 'RFC 791'],
  ['10.0.0.0/8', 'private', 'RFC 1918'],
  ['100.64.0.0/10', 'shared', 'RFC 6598'],
  ['127.0.0.0/8', 'loopback', 'RFC 1122'],
  ['169.254.0.0/16', 'link-local', 'RFC 3927'],
  ['172.16.0.0/12', 'private', 'RFC 1918'],
  ['192.0.0.0/24', 'protocol-assignments', 'RFC 6890'],
  ['192.0.2.0/24', 'documentation', 'RFC 5737'],
  ['192.88.99.0/24', 'reserved', 'RFC 7526'],
  ['192.168.0.0/16', 'private', 'RFC 1918'],
  ['198.18.0.0/15', 'benchmarking', 'RFC 2544'],
  ['198.51.100.0/24', 'documentation', 'RFC 5737'],
  ['203.0.113.0/24', 'documentation', 'RFC 5737'],
  ['224.0.0.0/4', 'multicast', 'RFC 5771'],
  ['240.0.0.0/4', 'reserved', 'RFC 1112'],
]

/** IPv6 Special-Purpose Address Registry (RFC 6890 §2.2.3 and later entries), without the blocks that embed IPv4 (below). */
const IPV6: readonly Row[] = [
  ['::/128', 'unspecified', 'RFC 4291'],
  ['::1/128', 'loopback', 'RFC 4291'],
  ['64:ff9b:1::/48', 'translation', 'RFC 8215'],
  ['100::/64', 'discard', 'RFC 6666'],
  ['2001::/23', 'protocol-assignments', 'RFC 2928'],
  ['2001:db8::/32', 'documentation', 'RFC 3849'],
  ['3fff::/20', 'documentation', 'RFC 9637'],
  ['fc00::/7', 'unique-local', 'RFC 4193'],
  ['fe80::/10', 'link-local', 'RFC 4291'],
  ['fec0::/10', 'site-local', 'RFC 3879'],
  ['ff00::/8', 'multicast', 'RFC 4291'],
]

/**
 * IPv6 blocks whose addresses carry an IPv4 address: the IPv4 address decides. `::ffff:127.0.0.1`
 * reaches 127.0.0.1 on a dual-stack host, and a NAT64 or 6to4 gateway forwards to the embedded one.
 */
const EMBEDDING: ReadonlyArray<readonly [cidr: string, name: string, shift: bigint]> = [
  ['::ffff:0:0/96', 'IPv4-mapped ::ffff:0:0/96 (RFC 4291)', 0n],
  ['64:ff9b::/96', 'NAT64 64:ff9b::/96 (RFC 6052)', 0n],
  ['2002::/16', '6to4 2002::/16 (RFC 3056)', 80n],
]

const GLOBAL_UNICAST = parseCidr('2000::/3')!

const compile = (rows: readonly Row[]) => rows.map(([cidr, kind, reference]) => ({ range: parseCidr(cidr)!, kind, cidr, reference }))
const IPV4_RANGES = compile(IPV4)
const IPV6_RANGES = compile(IPV6)
const EMBEDDING_RANGES = EMBEDDING.map(([cidr, name, shift]) => ({ range: parseCidr(cidr)!, name, shift }))

/**
 * The special-purpose block of an IP address (RFC 6890: addresses that are not globally
 * reachable, or must not be a destination), or undefined for a public unicast address. IPv6
 * outside global unicast 2000::/3 is `reserved`; IPv6 that embeds IPv4 (mapped, NAT64, 6to4) is
 * judged by the IPv4 address. This is what an outbound request to an address an untrusted party
 * chose must be checked against (OWASP SSRF Prevention Cheat Sheet, "Application layer").
 *
 * @throws TypeError when `address` is not an IP address
 */
export function specialPurposeRangeOf(address: string): SpecialPurposeRange | undefined {
  const ip = parseIp(address)
  if (ip === undefined) throw new TypeError(`not an IP address: ${address}`)
  return classify(ip)
}

function classify(ip: IpAddress): SpecialPurposeRange | undefined {
  if (ip.family === 4) return find(ip, IPV4_RANGES)
  const special = find(ip, IPV6_RANGES)
  if (special !== undefined) return special
  for (const { range, name, shift } of EMBEDDING_RANGES) {
    if (!inRange(ip, range)) continue
    const ipv4 = embeddedIpv4(ip, shift)
    const inner = find(ipv4, IPV4_RANGES)
    return inner === undefined ? undefined : { ...inner, cidr: `${inner.cidr} (${formatIpv4(ipv4)})`, embeddedIn: name }
  }
  if (!inRange(ip, GLOBAL_UNICAST)) return { kind: 'reserved', cidr: '::/0 outside 2000::/3', reference: 'RFC 4291' }
  return undefined
}

function find(ip: IpAddress, ranges: ReadonlyArray<{ range: IpRange; kind: SpecialPurposeKind; cidr: string; reference: string }>): SpecialPurposeRange | undefined {
  const hit = ranges.find((r) => inRange(ip, r.range))
  return hit === undefined ? undefined : { kind: hit.kind, cidr: hit.cidr, reference: hit.reference }
}
