import type { Knex } from '@tln/db'
import { generateToolKey, openPrivateKey, sealPrivateKey, type KeyStore, type ToolKey } from '@tln/lti-v1p3'

type JWK = ToolKey['publicJwk']

interface Row { kid: string; public_jwk: JWK | string; sealed_private_key: string; created_at: Date; retired_at: Date | null }

/**
 * The tool's signing keys in PostgreSQL (`lti_tool_key`), private halves sealed with AES-256-GCM
 * under the configured 32-byte secret (`sealPrivateKey`, kid bound as AAD). Rotation runs under a
 * table lock, so two processes rotating at once serialise instead of leaving two current keys.
 */
export class DbKeyStore implements KeyStore {
  constructor(private readonly knex: Knex, private readonly secret: Uint8Array) {}

  async current(): Promise<ToolKey | undefined> {
    const row = (await this.knex('lti_tool_key').whereNull('retired_at').first()) as Row | undefined
    return row === undefined ? undefined : this.open(row)
  }

  async previous(): Promise<readonly ToolKey[]> {
    const rows = (await this.knex('lti_tool_key').whereNotNull('retired_at').orderBy('retired_at', 'desc')) as Row[]
    return rows.map((r) => this.open(r))
  }

  async rotate(next: ToolKey, dropRetiredBefore: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx.raw('lock table lti_tool_key in share row exclusive mode')
      await trx('lti_tool_key').update({ retired_at: new Date(next.createdAt) }).whereNull('retired_at')
      await trx('lti_tool_key').where('retired_at', '<', new Date(dropRetiredBefore)).delete()
      await trx('lti_tool_key').insert(this.row(next))
    })
  }

  /** Make a first key when there is none (safe when several processes start at once). */
  async ensureCurrent(now: number): Promise<void> {
    if ((await this.current()) !== undefined) return
    const key = await generateToolKey(now)
    await this.knex.transaction(async (trx) => {
      await trx.raw('lock table lti_tool_key in share row exclusive mode')
      const existing = await trx('lti_tool_key').whereNull('retired_at').first()
      if (existing === undefined) await trx('lti_tool_key').insert(this.row(key))
    })
  }

  private row(key: ToolKey) {
    return {
      kid: key.kid, public_jwk: JSON.stringify(key.publicJwk), sealed_private_key: sealPrivateKey(key.privateJwk, key.kid, this.secret),
      created_at: new Date(key.createdAt), retired_at: null,
    }
  }

  private open(row: Row): ToolKey {
    const publicJwk = typeof row.public_jwk === 'string' ? (JSON.parse(row.public_jwk) as JWK) : row.public_jwk
    return { kid: row.kid, publicJwk, privateJwk: openPrivateKey(row.sealed_private_key, row.kid, this.secret), createdAt: new Date(row.created_at).getTime() }
  }
}
