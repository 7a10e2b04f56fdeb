import type { Knex } from '@tln/db'
import type { NonceStore } from '@tln/lti-v1p3'

/**
 * id_token nonces in PostgreSQL (`lti_nonce`). `consume` is `INSERT … ON CONFLICT DO NOTHING
 * RETURNING`: a row back means first use; none means a replay, whichever process saw it first
 * (OIDC Core 1.0 §3.1.3.7 rule 11; STYLE.md rule 5).
 */
export class DbNonceStore implements NonceStore {
  constructor(private readonly knex: Knex) {}

  async consume(nonce: string, expiresAt: number): Promise<boolean> {
    const rows = await this.knex('lti_nonce').insert({ nonce, expires_at: new Date(expiresAt) }).onConflict('nonce').ignore().returning('nonce')
    return rows.length === 1
  }
}
