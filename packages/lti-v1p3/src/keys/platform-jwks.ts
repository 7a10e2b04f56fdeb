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
  /**
   * How long past `maxAgeMs` the last good key set is still used when a refresh **fails**
   * (network error, timeout, HTTP 5xx, 408 or 429); default 24 hours, 0 turns it off. Modelled
   * on RFC 5861 §4 `stale-if-error`. The bound is there because a key the platform removed (a
   * rotation, or a key it stopped trusting) keeps verifying launches while the tool cannot see
   * the new set: 24 hours covers a platform JWKS endpoint that is down overnight or behind a
   * broken proxy for a school day, and no longer. A refresh that succeeds ends it at once; an
   * answer that is no key set (a 404, HTML) or a refused address never falls back.
   */
  readonly maxStaleMs?: number
  /**
   * Called when a refresh failed and the last good key set is used instead, at most once per
   * `refreshCooldownMs` and URL: the app logs it (a warning) so an operator sees the platform's
   * JWKS endpoint is failing before the stale window ends.
   */
  readonly onStale?: (event: PlatformJwksStaleEvent) => void
  /**
   * Where the last good key set of each JWKS URL is kept beyond this process (the app's database):
   * written after each successful fetch, read only when a process that has no set of its own in
   * memory (just started, or another server) meets a refresh failure that a last good set may
   * stand in for. Without it, a server restarted while a platform's JWKS endpoint is down has no
   * set to fall back on. The same `maxStaleMs` bound applies, counted from the stored fetch time.
   */
  readonly lastGood?: PlatformJwksLastGood
  /** Called when `lastGood` fails to save or load (the launch goes on as without it); the app logs it. */
  readonly onLastGoodError?: (error: unknown, jwksUri: string) => void
}

/** Keeps the last good key set per JWKS URL outside the process (public data: no secret in it). */
export interface PlatformJwksLastGood {
  load(jwksUri: string): Promise<{ readonly jwks: JSONWebKeySet; readonly fetchedAt: number } | undefined>
  save(jwksUri: string, jwks: JSONWebKeySet, fetchedAt: number): Promise<void>
}

/** What `PlatformJwksOptions.onStale` is told: which JWKS, how old the set in use is, why the refresh failed. */
export interface PlatformJwksStaleEvent {
  readonly jwksUri: string
  /** Age of the key set used instead, in milliseconds (over `maxAgeMs`). */
  readonly ageMs: number
  /** Time left before that key set is no longer used, in milliseconds. */
  readonly staleForMs: number
  /** The refresh failure (`ERR_LTI_JWKS_UNAVAILABLE`). */
  readonly error: LtiError
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

/** The refresh failures a last good key set may stand in for (RFC 5861 §4: network errors and 5xx; RFC 9110 408 and 429 too). */
const transientFailures = new WeakSet<LtiError>()
const transient = (error: LtiError): LtiError => { transientFailures.add(error); return error }

/**
 * Cache of platform JWKS per URL (Security Framework 1.0 §6.3: platforms publish keys at a JWKS
 * URL and rotate them; the tool "SHOULD cache" and refetch when it meets a key it does not know).
 * A token whose `kid` is not in the cached set triggers one refetch (outside the cooldown); if
 * the key is still missing, the launch fails with `ERR_LTI_UNKNOWN_KID`. Concurrent fetches of one
 * URL are shared. The answer is read up to `MAX_JWKS_BYTES`; members that cannot verify an RS256
 * token are ignored (RFC 7517 §5): not RSA, private, for encryption, another `alg`, or a modulus
 * under 2048 bits (RFC 7518 §3.3). A per-process cache of public data: safe with several server processes.
 *
 * Stale-if-error (RFC 5861 §4 as the model): when a set older than `maxAgeMs` cannot be refreshed
 * because the platform is down or slow (network error, timeout, 5xx, 408, 429), the last good set
 * keeps verifying launches for `maxStaleMs` more, and the refresh is tried again after each
 * cooldown. Never when the refresh succeeded: a set without the token's kid is the platform's
 * word that the key is gone (`ERR_LTI_UNKNOWN_KID`); never when the address was refused
 * (`ERR_LTI_PLATFORM_PRIVATE_ADDRESS`), nor for an answer that is not a key set.
 */
export function createPlatformJwks(options: PlatformJwksOptions = {}): PlatformJwks {
  const doFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init))
  const now = options.now ?? Date.now
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000
  const cooldownMs = options.refreshCooldownMs ?? 10_000
  const maxStaleMs = options.maxStaleMs ?? DEFAULT_MAX_STALE_MS
  if (!Number.isFinite(maxStaleMs) || maxStaleMs < 0) throw new TypeError('PlatformJwksOptions.maxStaleMs must be a finite number ≥ 0')
  const warnedAt = new Map<string, number>()
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
        options.lastGood?.save(jwksUri, jwks, entry.fetchedAt).catch((error: unknown) => options.onLastGoodError?.(error, jwksUri))
        return entry
      }, (error: unknown) => {
        failures.set(jwksUri, { error, at: now() })
        throw error
      })
      .finally(() => inFlight.delete(jwksUri))
    inFlight.set(jwksUri, promise)
    return promise
  }

  /** The last good set of `jwksUri` when the refresh failed in a way it may stand in for; else the failure. */
  const staleOrThrow = (jwksUri: string, entry: Entry | undefined, error: unknown): Entry => {
    if (entry === undefined || !(error instanceof LtiError) || !transientFailures.has(error)) throw error
    const ageMs = now() - entry.fetchedAt
    const staleForMs = maxAgeMs + maxStaleMs - ageMs
    if (staleForMs <= 0) throw error
    const warned = warnedAt.get(jwksUri)
    if (options.onStale !== undefined && (warned === undefined || now() - warned >= cooldownMs)) {
      warnedAt.set(jwksUri, now())
      options.onStale({ jwksUri, ageMs, staleForMs, error })
    }
    return entry
  }

  /** The set `lastGood` kept for `jwksUri`, as an entry of its stored age; undefined when none or unreadable. */
  const loadLastGood = async (jwksUri: string): Promise<Entry | undefined> => {
    if (options.lastGood === undefined) return undefined
    try {
      const kept = await options.lastGood.load(jwksUri)
      if (kept === undefined) return undefined
      return { resolve: createLocalJWKSet({ keys: kept.jwks.keys.filter(isRsaSigningKey) }), fetchedAt: kept.fetchedAt }
    } catch (error) {
      options.onLastGoodError?.(error, jwksUri)
      return undefined
    }
  }

  return {
    async getKey(jwksUri, header) {
      let entry = entries.get(jwksUri)
      if (!entry || now() - entry.fetchedAt >= maxAgeMs) {
        const cached = entry
        entry = await load(jwksUri).catch(async (error: unknown) => {
          // A process without a set of its own asks the kept one, only for a failure a stale set may stand in for.
          const fallback = cached ?? (error instanceof LtiError && transientFailures.has(error) ? await loadLastGood(jwksUri) : undefined)
          const stale = staleOrThrow(jwksUri, fallback, error)
          if (cached === undefined && !entries.has(jwksUri)) entries.set(jwksUri, stale)
          return stale
        })
      }
      const found = await select(entry, header)
      if (found) return found
      if (now() - entry.fetchedAt >= cooldownMs) {
        const fresh = await load(jwksUri)
        const retried = await select(fresh, header)
        if (retried) return retried
      }
      throw new LtiError('ERR_LTI_UNKNOWN_KID', 'no key of the platform JWKS matches the token kid', { kid: header.kid, jwksUri, claim: 'kid', rule: 'must name a key of the platform’s JWKS (Security Framework 1.0 §6.3)' })
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

/** How long past its `maxAgeMs` a platform JWKS may stand in for a failed refresh, by default: 24 hours. */
export const DEFAULT_MAX_STALE_MS = 24 * 60 * 60_000

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
    const error = new LtiError('ERR_LTI_JWKS_UNAVAILABLE', 'platform JWKS could not be fetched', { jwksUri, reason: cause instanceof Error ? cause.message : String(cause) }, { cause })
    // Down, unreachable, slow (the timeout), cut off mid-answer; not an answer too big to hold.
    const network = !(cause instanceof LtiServiceError) || cause.code === 'ERR_LTI_SERVICE_NETWORK'
    throw network ? transient(error) : error
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    const error = new LtiError('ERR_LTI_JWKS_UNAVAILABLE', `platform JWKS answered HTTP ${response.status}`, { jwksUri, status: response.status })
    throw response.status >= 500 || response.status === 408 || response.status === 429 ? transient(error) : error
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
