import { isLocalhostName } from '../outbound/address-policy.ts'

/**
 * The rule a platform URL broke, by stable name (tests and the operator's form use them):
 * - `url`: not an absolute `http:`/`https:` URL;
 * - `https`: plain `http:` where only `https:` is allowed (Security Framework 1.0 §3: every
 *   endpoint over TLS; plain http only on loopback, for development);
 * - `credentials`: a user name or password in the URL (RFC 9110 §4.2.4: "A sender MUST NOT
 *   generate the userinfo subcomponent"; it would also be shown and logged with the URL);
 * - `fragment`: a `#fragment` (RFC 6749 §3.1 and §3.2: an endpoint URI "MUST NOT include a
 *   fragment component"; it never reaches the server, so the URL is not what it looks like);
 * - `too-long`: longer than `MAX_PLATFORM_URL_LENGTH`.
 */
export type PlatformUrlRule = 'url' | 'https' | 'credentials' | 'fragment' | 'too-long'

/**
 * The longest platform URL taken, in characters: the authentication request adds its parameters
 * (with a `lti_message_hint` of up to 4 KiB) to the authorization endpoint, and RFC 9110 §4.1
 * asks servers for only 8,000 octets of request line. Real endpoints are under 100.
 */
export const MAX_PLATFORM_URL_LENGTH = 2000

/**
 * Check the form of a platform URL (issuer, authorization, token, JWKS endpoint): the same rules
 * for one an operator types and one a platform sends at Dynamic Registration. Returns the first
 * rule broken, or undefined. `allowHttpLoopback` also accepts plain `http:` on a loopback host
 * (`localhost`, `*.localhost` (RFC 6761 §6.3), `127.0.0.1`, `[::1]`). Which *addresses* a URL may
 * name is a separate question (`checkOutboundAddress`): an operator may name a LAN host. Pure.
 */
export function platformUrlRule(value: string, options: { readonly allowHttpLoopback?: boolean } = {}): PlatformUrlRule | undefined {
  if (value.length > MAX_PLATFORM_URL_LENGTH) return 'too-long'
  if (!URL.canParse(value)) return 'url'
  const url = new URL(value)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url'
  if (url.username !== '' || url.password !== '') return 'credentials'
  // `https://x/#` has an empty fragment that `url.hash` does not show.
  if (url.hash !== '' || value.includes('#')) return 'fragment'
  if (url.protocol === 'http:' && !(options.allowHttpLoopback === true && isLoopbackHost(url.hostname))) return 'https'
  return undefined
}

/** localhost, `*.localhost` (RFC 6761 §6.3), 127.0.0.1 and [::1]: only this machine answers there. */
export function isLoopbackHost(hostname: string): boolean {
  return isLocalhostName(hostname) || hostname === '127.0.0.1' || hostname === '[::1]'
}
