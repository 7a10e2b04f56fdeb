import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from '@tln/db'
import type { Agent } from '@tln/xapi'
import { LrsError } from '../errors.ts'
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

/**
 * Credentials, with secrets stored as scrypt hashes. Verifying scrypt on every request would cost
 * tens of milliseconds, so a successful check is remembered for `cacheTtlMs` under a SHA-256 of
 * key and secret (never the secret itself); revocation takes effect within that time.
 */
export class CredentialStore {
  private readonly verified = new Map<string, { credential: Credential; until: number }>()

  constructor(
    private readonly knex: Knex,
    private readonly options: { cacheTtlMs: number; now: () => number },
  ) {}

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

  /** The credential for a key/secret pair, or undefined when unknown, revoked or wrong. */
  async verify(key: string, secret: string): Promise<Credential | undefined> {
    const cacheKey = createHash('sha256').update(`${key}\u0000${secret}`).digest('base64')
    const cached = this.verified.get(cacheKey)
    const now = this.options.now()
    if (cached !== undefined && cached.until > now) return cached.credential
    const row = (await this.knex('lrs_credential').where({ api_key: key }).whereNull('revoked_at').first()) as CredentialRow | undefined
    if (row === undefined || !(await verifySecret(secret, row.secret_hash))) return undefined
    const credential = toCredential(row)
    if (this.verified.size > 10_000) this.verified.clear()
    this.verified.set(cacheKey, { credential, until: now + this.options.cacheTtlMs })
    return credential
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
