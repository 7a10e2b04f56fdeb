import type { Knex } from '@tln/db'
import type { JWK } from 'jose'
import { BadgeError } from './badge-error.ts'
import { BADGE_ALG } from './badge-urls.ts'
import { generateIssuerKey, openPrivateJwk, sealPrivateJwk } from './issuer-keys.ts'

interface KeyRow { kid: string; public_jwk: JWK | string; sealed_private_key: string | null; created_at: Date | string; retired_at: Date | string | null }

export interface PublicIssuerKey {
  readonly thumbprint: string
  readonly publicJwk: JWK
  readonly current: boolean
}

/** One key of a tenant as `tln badges keys list` shows it (never the private half). */
export interface IssuerKeyInfo {
  readonly tenantId: string
  readonly tenantSlug: string
  readonly thumbprint: string
  readonly createdAt: Date
  /** Null for the current (signing) key. */
  readonly retiredAt: Date | null
}

export interface RotatedKeys {
  /** Thumbprint of the new signing key. */
  readonly current: string
  /** Thumbprints of the keys retired now (none on a tenant's first key). */
  readonly retired: readonly string[]
}

/**
 * Each tenant's badge signing keys in `badge_issuer_key`, the private half sealed under a 32-byte
 * secret derived from `TLN_SECRET_KEY` (as `lti_tool_key`). Reading public keys needs no secret;
 * signing does. A rotated-out key keeps only its public half (migration
 * 20261129001620): it verifies what it signed, and signs nothing more.
 */
export class IssuerKeyStore {
  constructor(private readonly knex: Knex, private readonly secret?: Uint8Array) {}

  /** Every key of the tenant, current first: retired keys stay published so old badges still verify. */
  async publicKeys(tenantId: string): Promise<PublicIssuerKey[]> {
    const rows = (await this.knex('badge_issuer_key').where({ tenant_id: tenantId }).orderByRaw('retired_at is not null, created_at desc, kid')) as KeyRow[]
    return rows.map((r) => ({ thumbprint: r.kid, publicJwk: jsonOf(r.public_jwk), current: r.retired_at === null }))
  }

  /**
   * The tenant's current key, opened; made on first use. Two processes making the first key at once
   * both insert `on conflict do nothing` against the one-current-key index, and both then read the
   * one that won.
   */
  async signingKey(tenantId: string): Promise<{ thumbprint: string; privateJwk: JWK }> {
    const secret = this.needSecret()
    let row = await this.current(tenantId)
    if (row === undefined) {
      const key = await generateIssuerKey()
      await this.knex.raw(
        `insert into badge_issuer_key (tenant_id, kid, alg, public_jwk, sealed_private_key)
         values (?, ?, ?, ?::jsonb, ?) on conflict do nothing`,
        [tenantId, key.thumbprint, BADGE_ALG, JSON.stringify(key.publicJwk), sealPrivateJwk(key.privateJwk, key.thumbprint, secret)],
      )
      row = await this.current(tenantId)
    }
    return { thumbprint: row!.kid, privateJwk: openPrivateJwk(row!.sealed_private_key!, row!.kid, secret) }
  }

  /**
   * A new signing key for the tenant (OB 3.0 leaves key management to the issuer, VC DM 2.0 §8
   * "Key management"): the current key is retired — its public half stays in the JWKS so every
   * credential it signed still verifies (OB 3.0 #jwt-verify dereferences the `kid`), its private
   * half is erased so it signs nothing more. Takes the tenant's `badge_issuer` row lock, the one
   * `BadgeStore.issue` holds while it signs, so no badge is signed with a key after its retirement.
   */
  async rotate(tenantId: string, now: Date = new Date()): Promise<RotatedKeys> {
    const secret = this.needSecret()
    const key = await generateIssuerKey()
    return this.knex.transaction(async (trx) => {
      await trx.raw('insert into badge_issuer (tenant_id) values (?) on conflict do nothing', [tenantId])
      await trx.raw('select 1 from badge_issuer where tenant_id = ? for update', [tenantId])
      const retired = (await trx.raw(
        `update badge_issuer_key set retired_at = ?, sealed_private_key = null
          where tenant_id = ? and retired_at is null returning kid`,
        [now, tenantId],
      )).rows as { kid: string }[]
      await trx.raw(
        `insert into badge_issuer_key (tenant_id, kid, alg, public_jwk, sealed_private_key, created_at)
         values (?, ?, ?, ?::jsonb, ?, ?)`,
        [tenantId, key.thumbprint, BADGE_ALG, JSON.stringify(key.publicJwk), sealPrivateJwk(key.privateJwk, key.thumbprint, secret), now],
      )
      return { current: key.thumbprint, retired: retired.map((r) => r.kid) }
    })
  }

  /**
   * Inside a transaction that holds the tenant's `badge_issuer` lock: refuses a key that is no
   * longer the current one.
   * @throws BadgeError `ERR_BADGE_KEY_RETIRED`
   */
  static async assertCurrent(trx: Knex | Knex.Transaction, tenantId: string, thumbprint: string): Promise<void> {
    const row = (await trx('badge_issuer_key').where({ tenant_id: tenantId, kid: thumbprint }).whereNull('retired_at').first('kid')) as { kid: string } | undefined
    if (row === undefined) throw new BadgeError('ERR_BADGE_KEY_RETIRED', `badge key ${thumbprint} is not the current signing key: it was rotated out`)
  }

  /** Every tenant's keys (or one tenant's), by tenant, current first. */
  async list(tenantId?: string): Promise<IssuerKeyInfo[]> {
    const query = this.knex('badge_issuer_key as k').join('tenant as t', 't.id', 'k.tenant_id')
      .select('k.tenant_id', 't.slug', 'k.kid', 'k.created_at', 'k.retired_at')
      .orderBy([{ column: 't.slug' }]).orderByRaw('k.retired_at is not null, k.created_at desc, k.kid')
    if (tenantId !== undefined) void query.where('k.tenant_id', tenantId)
    const rows = (await query) as { tenant_id: string; slug: string; kid: string; created_at: Date | string; retired_at: Date | string | null }[]
    return rows.map((r) => ({
      tenantId: r.tenant_id, tenantSlug: r.slug, thumbprint: r.kid, createdAt: new Date(r.created_at), retiredAt: r.retired_at === null ? null : new Date(r.retired_at),
    }))
  }

  private needSecret(): Uint8Array {
    if (this.secret === undefined) throw new TypeError('IssuerKeyStore needs the badge key secret to sign')
    return this.secret
  }

  private async current(tenantId: string): Promise<KeyRow | undefined> {
    return (await this.knex('badge_issuer_key').where({ tenant_id: tenantId }).whereNull('retired_at').first()) as KeyRow | undefined
  }
}

function jsonOf(value: JWK | string): JWK {
  return typeof value === 'string' ? (JSON.parse(value) as JWK) : value
}
