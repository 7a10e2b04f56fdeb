import type { Knex } from '@tln/db'
import type { PlatformJwksLastGood } from '@tln/lti-v1p3'

/**
 * The last good key set of each platform JWKS URL in the database (`lti_platform_jwks`), shared by
 * every server process and kept across restarts: `createPlatformJwks` saves after each successful
 * fetch and reads it only when a process with no set of its own meets a failing JWKS endpoint.
 */
export class DbPlatformJwksLastGood implements PlatformJwksLastGood {
  constructor(private readonly knex: Knex) {}

  async load(jwksUri: string): Promise<{ jwks: { keys: Array<Record<string, unknown>> }; fetchedAt: number } | undefined> {
    const row = await this.knex('lti_platform_jwks').where({ jwks_uri: jwksUri }).first('jwks', 'fetched_at') as { jwks: { keys: Array<Record<string, unknown>> }; fetched_at: Date } | undefined
    return row === undefined ? undefined : { jwks: row.jwks, fetchedAt: new Date(row.fetched_at).getTime() }
  }

  async save(jwksUri: string, jwks: { keys: ReadonlyArray<object> }, fetchedAt: number): Promise<void> {
    // Only ever forward in time: of two processes refreshing at once, the later fetch stays.
    await this.knex.raw(
      `insert into lti_platform_jwks (jwks_uri, jwks, fetched_at) values (?, ?::jsonb, ?)
       on conflict (jwks_uri) do update set jwks = excluded.jwks, fetched_at = excluded.fetched_at
       where lti_platform_jwks.fetched_at < excluded.fetched_at`,
      [jwksUri, JSON.stringify({ keys: jwks.keys }), new Date(fetchedAt)],
    )
  }
}
