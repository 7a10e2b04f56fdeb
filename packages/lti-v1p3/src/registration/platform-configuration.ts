import { LtiError } from '../errors.ts'
import { isObject, stringOf, stringsOf } from '../launch/id-token-claims.ts'
import { checkOutboundAddress, isLocalhostName, type PrivateAddressAllowance } from '../outbound/address-policy.ts'
import { parseIp } from '../outbound/ip-address.ts'
import { MAX_PLATFORM_URL_LENGTH, platformUrlRule, type PlatformUrlRule } from './platform-url-rules.ts'

/** A message type the platform supports, and where it can place it (`messages_supported`). */
export interface SupportedMessage {
  readonly type: string
  /** Placements the platform named for it; empty when it named none (Moodle 3.10–4.0, Sakai). */
  readonly placements: readonly string[]
}

/** The parts of a platform's openid-configuration the tool uses (Dynamic Registration 1.0 §3.4). */
export interface PlatformConfiguration {
  readonly issuer: string
  readonly authorizationEndpoint: string
  readonly tokenEndpoint: string
  readonly jwksUri: string
  readonly registrationEndpoint: string
  readonly authorizationServer?: string
  readonly scopesSupported?: readonly string[]
  readonly productFamilyCode?: string
  readonly messagesSupported?: readonly SupportedMessage[]
}

/** Which platform URLs the tool will call during a registration. */
export interface PlatformUrlPolicy {
  /**
   * Development only: also accept plain-http URLs on loopback (a platform on the developer's
   * machine). Off by default, since `/register` is open to anyone and would otherwise make the
   * tool call services on its own host.
   */
  readonly allowHttpLoopback?: boolean
  /**
   * Special-purpose addresses (RFC 6890) platforms may be at: a district's Moodle on its LAN.
   * Every other private, loopback, link-local, … address is refused (`checkOutboundAddress`).
   */
  readonly allowPrivate?: PrivateAddressAllowance
}

/**
 * Refuse the configuration. `detail.field` names the member, `detail.problem` says what is wrong in
 * the library's own words (member names, never the platform's values): the page shows it to the
 * administrator who started the registration.
 */
const fail = (problem: string, detail: Record<string, unknown> = {}): never => {
  throw new LtiError('ERR_LTI_REGISTRATION_INVALID_CONFIGURATION', `openid-configuration refused: ${problem}`, { ...detail, problem })
}

const URL_RULE_MESSAGES: Readonly<Record<PlatformUrlRule, string>> = {
  url: 'is not an absolute http(s) URL',
  https: 'must be an https URL',
  credentials: 'must not carry a user name or password (RFC 9110 §4.2.4)',
  fragment: 'must not have a #fragment (RFC 6749 §3.1)',
  'too-long': `is longer than ${MAX_PLATFORM_URL_LENGTH} characters`,
}

/**
 * A platform URL the tool may call at registration: https (Dynamic Registration 1.0 §3.5.1, the
 * issuer and its endpoints are https URLs), or loopback http when the policy allows it; no
 * credentials, no fragment, at most `MAX_PLATFORM_URL_LENGTH` (`platformUrlRule`, the rules an
 * operator's URLs follow too; detail `field`, `rule`). Anything
 * else (http to a metadata service, `file:`) is refused before a request is made, and so is a host
 * that is a special-purpose IP address (`https://10.0.0.5/`, `https://[::1]/`) or a `localhost`
 * name, unless the policy allows it (`ERR_LTI_REGISTRATION_PRIVATE_ADDRESS`). Host names are
 * checked again, with what they resolve to, when the request is made (`createGuardedFetch`).
 */
export function checkPlatformUrl(value: string, name: string, policy: PlatformUrlPolicy = {}): URL {
  const rule = platformUrlRule(value, { allowHttpLoopback: policy.allowHttpLoopback === true })
  if (rule !== undefined) return fail(`${name} ${URL_RULE_MESSAGES[rule]}`, { field: name, rule })
  const url = new URL(value)
  const host = url.hostname.replace(/^\[(.*)\]$/u, '$1')
  const addressPolicy = { allowLoopback: policy.allowHttpLoopback === true, ...(policy.allowPrivate !== undefined && { allowPrivate: policy.allowPrivate }) }
  if (parseIp(host) !== undefined) checkOutboundAddress(url, host, addressPolicy, name)
  else if (isLocalhostName(host)) checkOutboundAddress(url, '127.0.0.1', addressPolicy, name)
  return url
}

const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration'

/** A URL without its query and fragment: Canvas puts the registration token in the configuration URL's query. */
export function withoutQuery(url: string): string {
  if (!URL.canParse(url)) return '?'
  const { origin, pathname } = new URL(url)
  return `${origin}${pathname}`
}

/**
 * Validate an openid-configuration document fetched from `configurationUrl` (Dynamic Registration
 * 1.0 §3.4–3.5.1; OpenID Connect Discovery 1.0 §3):
 * - the endpoints are absolute https URLs (`checkPlatformUrl`);
 * - the `issuer` is a prefix of the configuration URL on the same origin, ending at a path segment
 *   — "the issuer ... MUST match" the URL the configuration came from, so a platform cannot claim
 *   another platform's issuer, not even a neighbour's on the same host (`/moodle` vs `/moodle2`);
 * - nothing it says contradicts what the tool relies on: a `token_endpoint_auth_methods_supported`
 *   without `private_key_jwt`, an `id_token_signing_alg_values_supported` without RS256 or a
 *   `response_types_supported` without `id_token` is refused. A member that is absent is not: LTI
 *   Security Framework 1.0 requires all three of every platform, and refusing a platform over an
 *   omission (a `subject_types_supported`, a `version`) would stop a registration that works.
 * - the `lti-platform-configuration`, when given, names the product and the messages the platform
 *   supports: `messages_supported` as objects (the spec; Moodle 4.x, Canvas, Sakai) or bare type
 *   strings (Moodle 3.10–4.0); entries without a type are skipped.
 * Each refusal names the member (`detail.field`) and the problem (`detail.problem`).
 */
export function parsePlatformConfiguration(document: unknown, configurationUrl: string, policy: PlatformUrlPolicy = {}): PlatformConfiguration {
  if (!isObject(document)) return fail('the answer is not a JSON object', { field: 'openid-configuration' })
  const url = (name: string): string => {
    const value = stringOf(document[name])
    if (value === undefined) return fail(`${name} is missing`, { field: name })
    checkPlatformUrl(value, `openid-configuration ${name}`, policy)
    return value
  }
  const issuer = url('issuer')
  if (!issuerMatches(issuer, configurationUrl)) {
    const source = withoutQuery(configurationUrl)
    throw new LtiError('ERR_LTI_REGISTRATION_ISSUER_MISMATCH', 'openid-configuration issuer does not match the URL it was fetched from (Dynamic Registration 1.0 §3.5.1)', {
      issuer, configurationUrl: source, problem: `the issuer ${issuer} is not where the configuration came from (${source}); the configuration URL must start with the issuer (LTI DR 1.0 §3.5.1)`,
    })
  }
  // Every URL first: a refused address (SSRF) is named before any missing member.
  const authorizationEndpoint = url('authorization_endpoint')
  const tokenEndpoint = url('token_endpoint')
  const jwksUri = url('jwks_uri')
  const registrationEndpoint = url('registration_endpoint')
  const including = (name: string, value: string, why: string): void => {
    if (document[name] === undefined) return
    const values = stringsOf(document[name])
    if (values === undefined) fail(`${name} is not a list of strings; it must include ${value} (${why})`, { field: name })
    else if (!values.includes(value)) fail(`${name} does not include ${value} (${why})`, { field: name })
  }
  including('token_endpoint_auth_methods_supported', 'private_key_jwt', 'the tool signs its token requests, LTI Security Framework 1.0 §4.1')
  including('id_token_signing_alg_values_supported', 'RS256', 'LTI Security Framework 1.0 §5.1.3')
  including('response_types_supported', 'id_token', 'LTI launches are id_tokens')
  const lti = isObject(document[PLATFORM_CONFIGURATION]) ? document[PLATFORM_CONFIGURATION] : {}
  const productFamilyCode = stringOf(lti.product_family_code)
  const messagesSupported = supportedMessagesOf(lti.messages_supported)
  const authorizationServer = stringOf(document.authorization_server)
  const scopesSupported = stringsOf(document.scopes_supported)
  return {
    issuer,
    authorizationEndpoint,
    tokenEndpoint,
    jwksUri,
    registrationEndpoint,
    ...(authorizationServer && { authorizationServer }),
    ...(scopesSupported && { scopesSupported }),
    ...(productFamilyCode && { productFamilyCode }),
    ...(messagesSupported && { messagesSupported }),
  }
}

/**
 * The configuration URL starts with the issuer, on the same origin, and the issuer ends where a
 * path segment does: `https://lms/moodle` matches `https://lms/moodle/mod/lti/…` and
 * `https://lms/moodle?…`, not `https://lms/moodle2/…`.
 */
function issuerMatches(issuer: string, configurationUrl: string): boolean {
  // Compared as parsed URLs: a host name is case-insensitive (RFC 3986 §6.2.2.1), so
  // `https://Moodle.example.org` is the issuer of `https://moodle.example.org/...`. The issuer kept
  // is the platform's own string, which launches' `iss` must match exactly.
  const base = new URL(issuer)
  const source = new URL(configurationUrl)
  if (base.origin !== source.origin || !source.href.startsWith(base.href)) return false
  const next = source.href.charAt(base.href.length)
  return base.href.endsWith('/') || next === '' || next === '/' || next === '?'
}

/** `messages_supported` as objects `{ type, placements? }` or, from Moodle 3.10–4.0, as type strings; undefined when not a list. */
function supportedMessagesOf(value: unknown): SupportedMessage[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.flatMap((message: unknown): SupportedMessage[] => {
    if (typeof message === 'string' && message !== '') return [{ type: message, placements: [] }]
    const type = isObject(message) ? stringOf(message.type) : undefined
    return isObject(message) && type !== undefined ? [{ type, placements: stringsOf(message.placements) ?? [] }] : []
  })
}
