import { LtiError } from '../errors.ts'
import { inRange, parseCidr, parseIp, type IpRange } from './ip-address.ts'
import { specialPurposeRangeOf } from './special-purpose-address.ts'

/**
 * Special-purpose addresses an operator lets the tool reach anyway: a district's Moodle on its LAN
 * (`192.168.10.0/24`, `moodle.lan`). Made by `parsePrivateAddressAllowance`.
 */
export interface PrivateAddressAllowance {
  readonly ranges: readonly IpRange[]
  /** Lower-case host names whose addresses are all allowed. */
  readonly hosts: readonly string[]
}

/**
 * What a refusal is: Dynamic Registration itself (the default), or a later request to the URLs a
 * dynamically registered platform supplied (its JWKS, token endpoint, AGS and NRPS services).
 */
export type PrivateAddressErrorCode = 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS' | 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS'

/** Which addresses an outbound request to a URL an untrusted party chose may reach. */
export interface OutboundAddressPolicy {
  /** Loopback (127.0.0.0/8, ::1) too: development, with a platform on the same machine. */
  readonly allowLoopback?: boolean
  readonly allowPrivate?: PrivateAddressAllowance
  /** The code of the refusal; default `ERR_LTI_REGISTRATION_PRIVATE_ADDRESS`. */
  readonly refusalCode?: PrivateAddressErrorCode
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/u

/**
 * Parse the operator's list of allowed private addresses: IPv4 or IPv6 addresses, CIDR blocks, or
 * exact host names (no wildcards). Order and duplicates do not matter.
 *
 * @throws TypeError naming the first entry that is none of these (a configuration mistake)
 */
export function parsePrivateAddressAllowance(entries: readonly string[]): PrivateAddressAllowance {
  const ranges: IpRange[] = []
  const hosts: string[] = []
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase()
    if (entry === '') continue
    const range = parseCidr(entry)
    if (range !== undefined) ranges.push(range)
    else if (HOST_NAME.test(entry.replace(/\.$/u, '')) && !/^[\d.]+$/u.test(entry)) hosts.push(entry.replace(/\.$/u, ''))
    else throw new TypeError(`"${raw}" is not an IP address, a CIDR block (192.168.10.0/24) or a host name (moodle.lan)`)
  }
  return { ranges, hosts }
}

/**
 * Refuse a connection to `address` (what `url`'s host is, or resolved to) when it is a
 * special-purpose address (RFC 6890; `specialPurposeRangeOf`) the policy does not allow. Checked
 * for every address the host resolves to, at connect time, so DNS cannot answer differently
 * between the check and the connection (OWASP SSRF Prevention Cheat Sheet, DNS pinning).
 *
 * @param field what the URL is (`openid_configuration`), for the message
 * @throws LtiError `policy.refusalCode` (`ERR_LTI_REGISTRATION_PRIVATE_ADDRESS`) naming the URL, the address and its block
 */
export function checkOutboundAddress(url: URL, address: string, policy: OutboundAddressPolicy = {}, field?: string): void {
  const special = specialPurposeRangeOf(address)
  if (special === undefined) return
  if (policy.allowLoopback === true && special.kind === 'loopback') return
  const allowance = policy.allowPrivate
  const host = url.hostname.replace(/\.$/u, '')
  const ip = parseIp(address)!
  if (allowance !== undefined && (allowance.hosts.includes(host) || allowance.ranges.some((r) => inRange(ip, r)))) return
  const literal = parseIp(url.hostname) !== undefined
  const where = literal ? `is a ${special.kind} address` : `resolves to ${address}, a ${special.kind} address`
  throw new LtiError(policy.refusalCode ?? 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS',
    `${field === undefined ? '' : `${field} `}${url.origin} ${where} (${special.embeddedIn !== undefined ? `${special.embeddedIn} of ` : ''}${special.cidr}, ${special.reference}); the tool does not connect to special-purpose addresses unless the operator allows them`,
    { ...(field !== undefined && { field }), url: url.href, host, address, kind: special.kind, cidr: special.cidr, reference: special.reference })
}

/** RFC 6761 §6.3: `localhost` and names below it are loopback, whatever a resolver says. */
export function isLocalhostName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/u, '')
  return host === 'localhost' || host.endsWith('.localhost')
}
