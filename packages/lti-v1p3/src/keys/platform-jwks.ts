import { createLocalJWKSet, type CryptoKey, type JSONWebKeySet, type JWSHeaderParameters } from 'jose'
import { LtiError } from '../errors.ts'
import type { Clock, FetchLike } from '../fetch-like.ts'
import type { Platform } from '../platform.ts'

export interface PlatformJwksOptions {
  readonly fetch?: FetchLike
  readonly now?: Clock
  /** How long a fetched JWKS is used before it is fetched again; default 10 minutes. */
  readonly maxAgeMs?: number
  /**
   * Minimum time between two fetches of one JWKS triggered by an unknown `kid`; default 10 s, so
   * tokens with made-up kids cannot turn the tool into a request amplifier against the platform.
   */
  readonly refreshCooldownMs?: number
}

/**
 * Resolves the platform public key that verifies a token, given the JWKS URL and the token header.
 * `platform` is the registration whose token it is, so an app can fetch per platform (a guarded
 * fetch for a dynamically registered one); `createPlatformJwks` does not need it.
 */
export interface PlatformJwks {
  getKey(jwksUri: string, header: JWSHeaderParameters, platform?: Platform): Promise<CryptoKey>
}

interface Entry {
  readonly resolve: ReturnType<typeof createLocalJWKSet>
  readonly fetchedAt: number
}

/**
 * Cache of platform JWKS per URL (Security Framework 1.0 §6.3: platforms publish keys at a JWKS
 * URL and rotate them; the tool "SHOULD cache" and refetch when it meets a key it does not know).
 * A token whose `kid` is not in the cached set triggers one refetch (outside the cooldown); if
 * the key is still missing, the launch fails with `ERR_LTI_UNKNOWN_KID`. Concurrent fetches of one
 * URL are shared. A per-process cache of public data: safe with several server processes.
 */
export function createPlatformJwks(options: PlatformJwksOptions = {}): PlatformJwks {
  const doFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init))
  const now = options.now ?? Date.now
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000
  const cooldownMs = options.refreshCooldownMs ?? 10_000
  const entries = new Map<string, Entry>()
  const inFlight = new Map<string, Promise<Entry>>()

  const load = (jwksUri: string): Promise<Entry> => {
    const pending = inFlight.get(jwksUri)
    if (pending) return pending
    const promise = fetchJwks(doFetch, jwksUri)
      .then((jwks) => {
        const entry = { resolve: createLocalJWKSet(jwks), fetchedAt: now() }
        entries.set(jwksUri, entry)
        return entry
      })
      .finally(() => inFlight.delete(jwksUri))
    inFlight.set(jwksUri, promise)
    return promise
  }

  return {
    async getKey(jwksUri, header) {
      let entry = entries.get(jwksUri)
      if (!entry || now() - entry.fetchedAt >= maxAgeMs) entry = await load(jwksUri)
      const found = await select(entry, header)
      if (found) return found
      if (now() - entry.fetchedAt >= cooldownMs) {
        const fresh = await load(jwksUri)
        const retried = await select(fresh, header)
        if (retried) return retried
      }
      throw new LtiError('ERR_LTI_UNKNOWN_KID', 'no key of the platform JWKS matches the token kid', { kid: header.kid, jwksUri })
    },
  }
}

async function select(entry: Entry, header: JWSHeaderParameters): Promise<CryptoKey | undefined> {
  try {
    return await entry.resolve(header, { payload: '', signature: '' })
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ERR_JWKS_NO_MATCHING_KEY' || error.code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS')) return undefined
    throw error
  }
}

async function fetchJwks(doFetch: FetchLike, jwksUri: string): Promise<JSONWebKeySet> {
  let response: Response
  try {
    response = await doFetch(jwksUri, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5_000) })
  } catch (cause) {
    // A guarded fetch that refused the address: that refusal, not "unavailable", is what to tell.
    if (cause instanceof LtiError) throw cause
    throw new LtiError('ERR_LTI_JWKS_UNAVAILABLE', 'platform JWKS could not be fetched', { jwksUri }, { cause })
  }
  const body: unknown = response.ok ? await response.json().catch(() => undefined) : undefined
  if (!body || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw new LtiError('ERR_LTI_JWKS_UNAVAILABLE', 'platform JWKS answer is not a JWK set', { jwksUri, status: response.status })
  }
  return body as JSONWebKeySet
}
