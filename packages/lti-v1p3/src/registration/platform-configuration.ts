import { LtiError } from '../errors.ts'
import { isObject, stringOf, stringsOf } from '../launch/id-token-claims.ts'
import { checkOutboundAddress, isLocalhostName, type PrivateAddressAllowance } from '../outbound/address-policy.ts'
import { parseIp } from '../outbound/ip-address.ts'
import { MAX_PLATFORM_URL_LENGTH, platformUrlRule, type PlatformUrlRule } from './platform-url-rules.ts'

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

const fail = (message: string, detail?: Record<string, unknown>): never => {
  throw new LtiError('ERR_LTI_REGISTRATION_INVALID_CONFIGURATION', message, detail)
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

/**
 * Validate an openid-configuration document fetched from `configurationUrl` (Dynamic Registration
 * 1.0 §3.4–3.5.1): the endpoints are absolute https URLs (`checkPlatformUrl`), RS256 is
 * supported, and the `issuer` is a prefix of the configuration URL on the same origin — "the issuer ... MUST match" the URL
 * the configuration came from, so a platform cannot claim another platform's issuer.
 */
export function parsePlatformConfiguration(document: unknown, configurationUrl: string, policy: PlatformUrlPolicy = {}): PlatformConfiguration {
  if (!isObject(document)) return fail('openid-configuration is not a JSON object')
  const url = (name: string): string => {
    const value = stringOf(document[name])
    if (value === undefined) return fail(`openid-configuration lacks ${name}`, { field: name })
    checkPlatformUrl(value, `openid-configuration ${name}`, policy)
    return value
  }
  const issuer = url('issuer')
  const source = new URL(configurationUrl)
  if (new URL(issuer).origin !== source.origin || !configurationUrl.startsWith(issuer)) {
    throw new LtiError('ERR_LTI_REGISTRATION_ISSUER_MISMATCH', 'openid-configuration issuer does not match the URL it was fetched from (Dynamic Registration 1.0 §3.5.1)', { issuer, configurationUrl })
  }
  const algs = stringsOf(document.id_token_signing_alg_values_supported)
  if (algs && !algs.includes('RS256')) fail('platform does not sign id_tokens with RS256')
  const lti = isObject(document['https://purl.imsglobal.org/spec/lti-platform-configuration']) ? document['https://purl.imsglobal.org/spec/lti-platform-configuration'] as Record<string, unknown> : {}
  const authorizationServer = stringOf(document.authorization_server)
  const scopesSupported = stringsOf(document.scopes_supported)
  const productFamilyCode = stringOf(lti.product_family_code)
  return {
    issuer,
    authorizationEndpoint: url('authorization_endpoint'),
    tokenEndpoint: url('token_endpoint'),
    jwksUri: url('jwks_uri'),
    registrationEndpoint: url('registration_endpoint'),
    ...(authorizationServer && { authorizationServer }),
    ...(scopesSupported && { scopesSupported }),
    ...(productFamilyCode && { productFamilyCode }),
  }
}
