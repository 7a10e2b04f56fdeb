import { isIP } from 'node:net'

/** An IP address as a number, so ranges compare with plain arithmetic. */
export interface IpAddress {
  readonly family: 4 | 6
  readonly value: bigint
}

/** A CIDR block (`10.0.0.0/8`, `fc00::/7`). */
export interface IpRange {
  readonly family: 4 | 6
  readonly base: bigint
  readonly prefix: number
}

/**
 * Parse an IPv4 or IPv6 address (brackets and an IPv6 zone such as `%eth0` allowed), or undefined.
 * IPv6 goes through the WHATWG URL parser first, which writes an embedded dotted quad
 * (`::ffff:127.0.0.1`) as hex groups, so one expansion below covers every spelling.
 */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.replace(/^\[(.*)\]$/u, '$1').replace(/%.*$/u, '')
  const family = isIP(bare)
  if (family === 4) return { family: 4, value: bare.split('.').reduce((n, octet) => (n << 8n) + BigInt(octet), 0n) }
  if (family !== 6) return undefined
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1)
  const [head = '', tail] = canonical.split('::')
  const groups = (part: string) => (part === '' ? [] : part.split(':'))
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  return { family: 6, value: all.reduce((n, group) => (n << 16n) + BigInt(`0x${group}`), 0n) }
}

/** Parse `address/prefix` (or a lone address, a /32 or /128), or undefined when it is neither. */
export function parseCidr(text: string): IpRange | undefined {
  const [address = '', prefixText, extra] = text.split('/')
  if (extra !== undefined) return undefined
  const ip = parseIp(address)
  if (ip === undefined || address.includes('%')) return undefined
  const bits = ip.family === 4 ? 32 : 128
  if (prefixText !== undefined && !/^\d{1,3}$/u.test(prefixText)) return undefined
  const prefix = prefixText === undefined ? bits : Number(prefixText)
  if (prefix > bits) return undefined
  return { family: ip.family, base: ip.value & mask(ip.family, prefix), prefix }
}

/** True when `ip` lies inside `range` (same family only). */
export function inRange(ip: IpAddress, range: IpRange): boolean {
  return ip.family === range.family && (ip.value & mask(range.family, range.prefix)) === range.base
}

/** The IPv4 address held in bits `shift`..`shift + 31` of an IPv6 address. */
export function embeddedIpv4(ip: IpAddress, shift = 0n): IpAddress {
  return { family: 4, value: (ip.value >> shift) & 0xffff_ffffn }
}

/** Dotted-quad form of an IPv4 address, for messages. */
export function formatIpv4(ip: IpAddress): string {
  return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.')
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = family === 4 ? 32n : 128n
  const all = (1n << bits) - 1n
  return (all >> BigInt(prefix)) ^ all
}
