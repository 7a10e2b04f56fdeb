import type { Knex } from '@tln/db'
import type { AccessToken, AccessTokenCache } from '@tln/lti-v1p3'
import { openJson, sealJson } from '../hash.ts'

/**
 * Platform access tokens in PostgreSQL (`lti_access_token`), sealed at rest like the tool's keys,
 * shared by every server process so a grade passback on any of them reuses one token.
 */
export class DbAccessTokenCache implements AccessTokenCache {
  constructor(private readonly knex: Knex, private readonly secret: Uint8Array) {}

  async get(key: string): Promise<AccessToken | undefined> {
    const row = (await this.knex('lti_access_token').where({ cache_key: key }).first()) as { sealed_token: string } | undefined
    if (row === undefined) return undefined
    return openJson(row.sealed_token, key, this.secret) as AccessToken | undefined
  }

  async set(key: string, token: AccessToken): Promise<void> {
    await this.knex('lti_access_token')
      .insert({ cache_key: key, sealed_token: sealJson(token, key, this.secret), expires_at: new Date(token.expiresAt) })
      .onConflict('cache_key').merge()
  }
}
