import type { Knex } from '@tln/db'
import type { JWK } from 'jose'
import { BADGE_ALG } from './badge-urls.ts'
import { generateIssuerKey, openPrivateJwk, sealPrivateJwk } from './issuer-keys.ts'

interface KeyRow { kid: string; public_jwk: JWK | string; sealed_private_key: string; retired_at: Date | null }

export interface PublicIssuerKey {
  readonly thumbprint: string
  readonly publicJwk: JWK
  readonly current: boolean
}

/**
 * Each tenant's badge signing keys in `badge_issuer_key`, the private half sealed under a 32-byte
 * secret derived from `TLN_SECRET_KEY` (as `lti_tool_key`). Reading public keys needs no secret;
 * signing does.
 */
export class IssuerKeyStore {
  constructor(private readonly knex: Knex, private readonly secret?: Uint8Array) {}

  /** Every key of the tenant, current first: retired keys stay published so old badges still verify. */
  async publicKeys(tenantId: string): Promise<PublicIssuerKey[]> {
    const rows = (await this.knex('badge_issuer_key').where({ tenant_id: tenantId }).orderByRaw('retired_at is not null, created_at desc')) as KeyRow[]
    return rows.map((r) => ({ thumbprint: r.kid, publicJwk: jsonOf(r.public_jwk), current: r.retired_at === null }))
  }

  /**
   * The tenant's current key, opened; made on first use. Two processes making the first key at once
   * both insert `on conflict do nothing` against the one-current-key index, and both then read the
   * one that won.
   */
  async signingKey(tenantId: string): Promise<{ thumbprint: string; privateJwk: JWK }> {
    if (this.secret === undefined) throw new TypeError('IssuerKeyStore needs the badge key secret to sign')
    let row = await this.current(tenantId)
    if (row === undefined) {
      const key = await generateIssuerKey()
      await this.knex.raw(
        `insert into badge_issuer_key (tenant_id, kid, alg, public_jwk, sealed_private_key)
         values (?, ?, ?, ?::jsonb, ?) on conflict do nothing`,
        [tenantId, key.thumbprint, BADGE_ALG, JSON.stringify(key.publicJwk), sealPrivateJwk(key.privateJwk, key.thumbprint, this.secret)],
      )
      row = await this.current(tenantId)
    }
    return { thumbprint: row!.kid, privateJwk: openPrivateJwk(row!.sealed_private_key, row!.kid, this.secret) }
  }

  private async current(tenantId: string): Promise<KeyRow | undefined> {
    return (await this.knex('badge_issuer_key').where({ tenant_id: tenantId }).whereNull('retired_at').first()) as KeyRow | undefined
  }
}

function jsonOf(value: JWK | string): JWK {
  return typeof value === 'string' ? (JSON.parse(value) as JWK) : value
}
