import { createLocalJWKSet, type CryptoKey, type JSONWebKeySet, type JWK, type JWSHeaderParameters } from 'jose'
import { LtiError, LtiServiceError } from '../errors.ts'
import { readBoundedText } from '../services/http.ts'
import type { Clock, FetchLike } from '../fetch-like.ts'
import type { Platform } from '../platform.ts'

export interface PlatformJwksOptions {
  readonly fetch?: FetchLike
  readonly now?: Clock
  /** How long a fetched JWKS is used before it is fetched again; default 10 minutes. */
  readonly maxAgeMs?: number
  /**
   * Minimum time between two fetches of one JWKS triggered by an unknown `kid`, or after a failed
   * fetch; default 10 s, so tokens with made-up kids (or a broken JWKS) cannot turn the tool into a
   * request amplifier against the platform.
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
 * URL are shared. The answer is read up to `MAX_JWKS_BYTES`; members that cannot verify an RS256
 * token are ignored (RFC 7517 §5): not RSA, private, for encryption, another `alg`, or a modulus
 * under 2048 bits (RFC 7518 §3.3). A per-process cache of public data: safe with several server processes.
 */
export function createPlatformJwks(options: PlatformJwksOptions = {}): PlatformJwks {
  const doFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init))
  const now = options.now ?? Date.now
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000
  const cooldownMs = options.refreshCooldownMs ?? 10_000
  const entries = new Map<string, Entry>()
  const inFlight = new Map<string, Promise<Entry>>()

  const failures = new Map<string, { readonly error: unknown; readonly at: number }>()

  const load = (jwksUri: string): Promise<Entry> => {
    const pending = inFlight.get(jwksUri)
    if (pending) return pending
    // A JWKS that failed (down, slow, not a key set, too big) is not asked again within the cooldown:
    // every launch of a login anyone can start would otherwise be one more request to it.
    const failed = failures.get(jwksUri)
    if (failed !== undefined && now() - failed.at < cooldownMs) return Promise.reject(failed.error)
    const promise = fetchJwks(doFetch, jwksUri)
      .then((jwks) => {
        const entry = { resolve: createLocalJWKSet(jwks), fetchedAt: now() }
        entries.set(jwksUri, entry)
        failures.delete(jwksUri)
        return entry
      }, (error: unknown) => {
        failures.set(jwksUri, { error, at: now() })
        throw error
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
    // The platform published a key under this kid that is no RSA public key (a broken `n`, a private key's members): its fault, not ours.
    throw new LtiError('ERR_LTI_JWKS_UNAVAILABLE', 'the platform JWKS key for this kid cannot be used', { kid: header.kid }, { cause: error })
  }
}

/** The largest JWKS read, 1 MiB: a platform publishes a few keys (some 2 KiB); a bigger answer is refused, not held. */
export const MAX_JWKS_BYTES = 1024 * 1024

async function fetchJwks(doFetch: FetchLike, jwksUri: string): Promise<JSONWebKeySet> {
  let response: Response
  let text: string
  try {
    response = await doFetch(jwksUri, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5_000) })
    text = response.ok ? await readBoundedText(response, jwksUri, MAX_JWKS_BYTES) : ''
  } catch (cause) {
    // A guarded fetch that refused the address: that refusal, not "unavailable", is what to tell.
    if (cause instanceof LtiError && !(cause instanceof LtiServiceError)) throw cause
    throw new LtiError('ERR_LTI_JWKS_UNAVAILABLE', 'platform JWKS could not be fetched', { jwksUri, reason: cause instanceof Error ? cause.message : String(cause) }, { cause })
  }
  let body: unknown
  try { body = JSON.parse(text) } catch { body = undefined }
  if (!body || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw new LtiError('ERR_LTI_JWKS_UNAVAILABLE', 'platform JWKS answer is not a JWK set', { jwksUri, status: response.status })
  }
  // RFC 7517 §5: "Implementations SHOULD ignore JWKs within a JWK Set that use "kty" (key type) values
  // that are not understood by them, that are missing required members, or for which values are out
  // of the supported ranges." Only RSA signing keys can verify an RS256 id_token (Security Framework 1.0 §6.1).
  const keys = ((body as { keys: unknown[] }).keys).filter(isRsaSigningKey)
  return { keys }
}

/** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms." */
export const MIN_RSA_MODULUS_BITS = 2048

function isRsaSigningKey(key: unknown): key is JWK {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false
  const { kty, n, e, use, alg, d } = key as Record<string, unknown>
  return kty === 'RSA' && typeof n === 'string' && typeof e === 'string' && d === undefined
    && (use === undefined || use === 'sig') && (alg === undefined || alg === 'RS256')
    && modulusBits(n) >= MIN_RSA_MODULUS_BITS
}

function modulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url')
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i += 1
  return i === bytes.length ? 0 : (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!))
}
