import {
  createGuardedFetch, createPlatformJwks,
  type Clock, type FetchLike, type Platform, type PlatformJwks, type PlatformJwksLastGood, type PrivateAddressAllowance, type ResolveHost,
} from '@tln/lti-v1p3'
import type { ToolLogger } from '../logger.ts'

/**
 * What a request to a platform is for: `service` (JWKS, access token, AGS: answers of a few KiB)
 * or `roster` (NRPS membership pages, which may be large).
 */
export type PlatformRequestUse = 'service' | 'roster'

/**
 * The fetch for requests to a platform's own URLs. `undefined` means the global `fetch`.
 * Choose it per registration: `fetchFor(toPlatform(record))`.
 */
export interface PlatformOutbound {
  fetchFor(platform: Pick<Platform, 'dynamicallyRegistered'>, use?: PlatformRequestUse): FetchLike | undefined
}

export interface PlatformOutboundOptions {
  /** Requests to platforms an operator added (`tln platform add`, the admin page); tests inject a platform double. Default: global `fetch`. */
  readonly fetch?: FetchLike
  /** Private addresses dynamically registered platforms may be at (`TLN_LTI_PLATFORM_ALLOW_PRIVATE`, parsed). */
  readonly allowPrivate?: PrivateAddressAllowance
  /** Loopback too: a development tool on plain-http loopback, as at registration. */
  readonly allowLoopback?: boolean
  /** Host name resolution of the guarded fetch; tests inject it (no DNS). */
  readonly resolveHost?: ResolveHost
}

/**
 * An NRPS membership page is the whole course unless the tool asks for a `limit` (Moodle answers
 * every member in one page), at some 300–600 bytes a member: 1 MiB would stop near 2,000 members,
 * too few for a district-wide course. 32 MiB holds some 60,000.
 */
export const ROSTER_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

/**
 * Requests TLN makes on behalf of a platform. A platform registered by Dynamic Registration chose
 * its `jwks_uri` and `token_endpoint` itself, and its launches name the AGS and NRPS URLs: whoever
 * called the open `/lti/register` (with `TLN_LTI_DYNAMIC_REGISTRATION=active`, a stranger). Every
 * such request goes through `createGuardedFetch` under the same allowance as the registration, so
 * a host that resolves to a private, loopback or link-local address is refused
 * (`ERR_LTI_PLATFORM_PRIVATE_ADDRESS`; OWASP SSRF Prevention Cheat Sheet). Whatever `fetch` is
 * injected, it never replaces that guard. An operator typed the URLs of a platform added by hand:
 * those keep the plain fetch, so a LAN Moodle added by hand works without the allowance.
 */
export function createPlatformOutbound(options: PlatformOutboundOptions = {}): PlatformOutbound {
  const guard = (maxResponseBytes?: number) => createGuardedFetch({
    refusalCode: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS',
    allowLoopback: options.allowLoopback === true,
    ...(options.allowPrivate !== undefined && { allowPrivate: options.allowPrivate }),
    ...(options.resolveHost !== undefined && { resolve: options.resolveHost }),
    ...(maxResponseBytes !== undefined && { maxResponseBytes }),
  })
  const guarded: Record<PlatformRequestUse, FetchLike> = { service: guard(), roster: guard(ROSTER_MAX_RESPONSE_BYTES) }
  return {
    fetchFor: (platform, use = 'service') => (platform.dynamicallyRegistered === true ? guarded[use] : options.fetch),
  }
}

/**
 * Platform JWKS for launches, fetched per registration as `outbound` says: one cache for operator
 * platforms, one for dynamically registered ones, so a guarded fetch refused for one platform
 * never fails (or serves) a shared in-flight fetch of another's. A caller that names no platform
 * gets the guarded side. When a platform's JWKS cannot be refreshed (down, slow, 5xx) its last good
 * key set keeps verifying launches for a day (`createPlatformJwks` stale-if-error); `logger` gets a
 * warning about it once per refresh attempt, so the operator hears of it before that day is over.
 * With `lastGood` (the database), that set outlives the process: a server restarted during the
 * outage, or a second server, falls back on it too.
 */
export function createToolPlatformJwks(outbound: PlatformOutbound, options: { now?: Clock; logger?: Pick<ToolLogger, 'warn'>; lastGood?: PlatformJwksLastGood } = {}): PlatformJwks {
  const { logger } = options
  const jwksOf = (dynamicallyRegistered: boolean) => {
    const fetch = outbound.fetchFor({ dynamicallyRegistered })
    return createPlatformJwks({
      ...(options.now !== undefined && { now: options.now }), ...(fetch !== undefined && { fetch }),
      ...(options.lastGood !== undefined && { lastGood: options.lastGood }),
      ...(logger !== undefined && {
        onStale: ({ jwksUri, ageMs, staleForMs, error }) => logger.warn(
          { jwksUri, ageS: Math.round(ageMs / 1000), staleForS: Math.round(staleForMs / 1000), reason: error.message, detail: error.detail },
          'platform JWKS refresh failed; launches are verified with its last good key set',
        ),
        onLastGoodError: (error, jwksUri) => logger.warn(
          { jwksUri, reason: error instanceof Error ? error.message : String(error) },
          'the last good platform JWKS could not be saved or read from the database; launches go on without it',
        ),
      }),
    })
  }
  const operator = jwksOf(false)
  const dynamic = jwksOf(true)
  return {
    getKey: (jwksUri, header, platform) => (platform !== undefined && platform.dynamicallyRegistered !== true ? operator : dynamic).getKey(jwksUri, header, platform),
  }
}
