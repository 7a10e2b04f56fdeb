import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from '@tln/db'
import type { Agent } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import { AuthThrottle, DEFAULT_THROTTLE, type ThrottlePolicy } from './auth-throttle.ts'
import { isScope, type Scope } from './scopes.ts'
import { hashSecret, verifySecret } from './secret-hash.ts'

/** An LRS client: one HTTP Basic key/secret pair of one tenant. */
export interface Credential {
  id: string
  tenantId: string
  key: string
  label: string
  scopes: Scope[]
}

export interface NewCredential {
  /** Tenant slug; `default` when absent. */
  tenant?: string
  key?: string
  secret?: string
  label?: string
  scopes: string[]
}

type CredentialRow = { id: string; tenant_id: string; api_key: string; label: string; scopes: string[]; secret_hash: string }
type NullableRow = { [K in keyof CredentialRow]: CredentialRow[K] | null }

/** The outcome of checking a key/secret pair. */
export type CredentialCheck =
  | { outcome: 'valid'; credential: Credential }
  /** Too many failures from this address or against this key: the secret was not checked. */
  | { outcome: 'throttled'; retryAfterS: number }
  /** Unknown key, revoked credential or wrong secret; `keyExists` says whether the key is live. */
  | { outcome: 'invalid'; keyExists: boolean }

/**
 * Credentials, with secrets stored as scrypt hashes. Verifying scrypt on every request would cost
 * tens of milliseconds, so a successful check is remembered until `cacheTtlMs` after its last use,
 * under a SHA-256 of key and secret (never the secret itself). The cache only saves the scrypt: every check still
 * reads the credential row (and the failure counters, in the same query), and a cached entry
 * counts only while the row is unrevoked and has the same secret hash. A revocation by any
 * process is therefore honoured by the next request on every process.
 */
export class CredentialStore {
  private readonly verified = new Map<string, { secretHash: string; until: number }>()
  /** scrypt checks under way, by pair and stored hash: requests that arrive meanwhile wait for the same one. */
  private readonly verifying = new Map<string, Promise<boolean>>()
  private readonly throttle: AuthThrottle

  constructor(
    private readonly knex: Knex,
    private readonly options: {
      cacheTtlMs: number
      now: () => number
      throttle?: ThrottlePolicy
      /** The scrypt check (`verifySecret`); a test counts its calls through this. */
      verifySecret?: (secret: string, stored: string) => Promise<boolean>
    },
  ) {
    this.throttle = new AuthThrottle(knex, options.throttle ?? DEFAULT_THROTTLE, options.now)
  }

  /** Creates a credential; generates key and secret when not given. Returns the secret once. */
  async create(input: NewCredential): Promise<{ credential: Credential; secret: string }> {
    const scopes = input.scopes.map((s) => s.trim()).filter((s) => s !== '')
    const unknown = scopes.filter((s) => !isScope(s))
    if (scopes.length === 0 || unknown.length > 0) {
      throw new LrsError('ERR_LRS_BAD_REQUEST', `scopes must be one or more of the xAPI scopes (all, all/read, statements/write, statements/read, statements/read/mine, define, state, profile); got ${unknown.join(', ') || 'none'}`, 'scopes')
    }
    const key = input.key ?? randomBytes(12).toString('base64url')
    const secret = input.secret ?? randomBytes(24).toString('base64url')
    if (!/^[A-Za-z0-9._~-]{3,128}$/.test(key)) throw new LrsError('ERR_LRS_BAD_REQUEST', 'key must be 3–128 characters of letters, digits, dot, underscore, tilde or hyphen', 'key')
    if (secret.length < 8) throw new LrsError('ERR_LRS_BAD_REQUEST', 'secret must be at least 8 characters', 'secret')
    const tenant = (await this.knex('tenant').select('id').where({ slug: input.tenant ?? 'default' }).first()) as { id: string } | undefined
    if (tenant === undefined) throw new LrsError('ERR_LRS_BAD_REQUEST', `tenant ${input.tenant} does not exist`, 'tenant')
    const taken = await this.knex('lrs_credential').where({ api_key: key }).first()
    if (taken !== undefined) throw new LrsError('ERR_LRS_CONFLICT', `a credential with key ${key} exists already`, 'key')
    const [row] = (await this.knex('lrs_credential')
      .insert({ tenant_id: tenant.id, api_key: key, secret_hash: await hashSecret(secret), scopes, label: input.label ?? key })
      .returning(['id', 'tenant_id', 'api_key', 'label', 'scopes', 'secret_hash'])) as CredentialRow[]
    return { credential: toCredential(row!), secret }
  }

  /** The credential for a key/secret pair, or undefined when unknown, revoked or wrong (not throttled). */
  async verify(key: string, secret: string): Promise<Credential | undefined> {
    const checked = await this.check(key, secret)
    return checked.outcome === 'valid' ? checked.credential : undefined
  }

  /**
   * Checks a key/secret pair from a client address, throttling failures (see `AuthThrottle`).
   * One read query finds the credential and whether the client is blocked; a blocked client is
   * answered before the secret is looked at, so guessing costs the server no scrypt and tells
   * the client nothing. A failure is counted (one write); a success writes nothing.
   *
   * @param address the client address, when the caller knows it
   */
  async check(key: string, secret: string, address?: string): Promise<CredentialCheck> {
    const row = await this.lookup(key, address)
    if (row.blocked_since !== null) return { outcome: 'throttled', retryAfterS: this.throttle.retryAfterS(new Date(row.blocked_since)) }
    const live = row.id !== null && row.revoked_at === null
    if (live && (await this.secretMatches(key, secret, row as CredentialRow))) return { outcome: 'valid', credential: toCredential(row as CredentialRow) }
    await this.throttle.recordFailure(key, address, live)
    return { outcome: 'invalid', keyExists: live }
  }

  /** The credential row (all null when the key is unknown) and the start of the client's blocked window, in one query. */
  private async lookup(key: string, address: string | undefined): Promise<NullableRow & { revoked_at: Date | null; blocked_since: Date | string | null }> {
    const blocked = this.throttle.blockedSinceSql(key, address)
    const result = (await this.knex.raw(
      `select c.id, c.tenant_id, c.api_key, c.label, c.scopes, c.secret_hash, c.revoked_at, ${blocked.sql} as blocked_since
         from (select 1) as one left join lrs_credential c on c.api_key = ?`,
      [...blocked.bindings, key] as Knex.RawBinding[],
    )) as { rows: Array<NullableRow & { revoked_at: Date | null; blocked_since: Date | string | null }> }
    return result.rows[0]!
  }

  /** scrypt, unless this process verified the same pair against the same stored hash recently. */
  private async secretMatches(key: string, secret: string, row: CredentialRow): Promise<boolean> {
    const cacheKey = createHash('sha256').update(`${key}\u0000${secret}`).digest('base64')
    const cached = this.verified.get(cacheKey)
    const now = this.options.now()
    if (cached !== undefined && cached.until > now && cached.secretHash === row.secret_hash) {
      // Remembered for cacheTtlMs after its last use: a credential in steady use never runs scrypt
      // again, which would leave another 16 MiB in the arena of another libuv thread.
      cached.until = now + this.options.cacheTtlMs
      return true
    }
    // One scrypt per pair at a time. When the cached check expires under load, every request in
    // flight with that pair would run its own: 16 MiB each (N = 16384, r = 8) on libuv's threads,
    // whose glibc arenas keep that memory for the life of the process, and ≈ 50 ms of CPU each
    // (docs/performance-notes.md, 2026-11-29, M). Same pair, same stored hash: same answer.
    const flight = `${cacheKey}\u0000${row.secret_hash}`
    let pending = this.verifying.get(flight)
    if (pending === undefined) {
      pending = (this.options.verifySecret ?? verifySecret)(secret, row.secret_hash).finally(() => this.verifying.delete(flight))
      this.verifying.set(flight, pending)
    }
    if (!(await pending)) return false
    if (this.verified.size > 10_000) this.verified.clear()
    this.verified.set(cacheKey, { secretHash: row.secret_hash, until: now + this.options.cacheTtlMs })
    return true
  }

  async revoke(key: string): Promise<boolean> {
    const count = await this.knex('lrs_credential').update({ revoked_at: this.knex.fn.now() }).where({ api_key: key }).whereNull('revoked_at')
    this.verified.clear()
    return count > 0
  }

  async list(): Promise<Array<Credential & { tenant: string }>> {
    const rows = (await this.knex('lrs_credential as c')
      .join('tenant as t', 't.id', 'c.tenant_id')
      .select('c.*', 't.slug as tenant')
      .whereNull('c.revoked_at')
      .orderBy('c.created_at')) as Array<CredentialRow & { tenant: string }>
    return rows.map((row) => ({ ...toCredential(row), tenant: row.tenant }))
  }
}

function toCredential(row: CredentialRow): Credential {
  return { id: row.id, tenantId: row.tenant_id, key: row.api_key, label: row.label, scopes: row.scopes.filter(isScope) }
}

/**
 * The statement `authority` for a credential (xAPI 1.0.3 Data 2.4.9): an Agent identified by
 * an account on this LRS whose name is the credential key.
 */
export function authorityOf(credential: Credential, homePage: string): Agent {
  return { objectType: 'Agent', name: credential.label, account: { homePage, name: credential.key } }
}
