import type { Knex } from '@tln/db'
import type { TlnRole } from './roles.ts'

/** A person who arrived by LTI launch: one per (issuer, sub). */
export interface TlnUser {
  readonly id: string
  readonly tenantId: string
  readonly issuer: string
  readonly sub: string
  readonly name?: string
  readonly email?: string
  readonly role: TlnRole
}

interface Row { id: string; tenant_id: string; issuer: string; sub: string; name: string | null; email: string | null; role: TlnRole }

export function toUser(row: Row): TlnUser {
  return {
    id: row.id, tenantId: row.tenant_id, issuer: row.issuer, sub: row.sub, role: row.role,
    ...(row.name !== null && { name: row.name }), ...(row.email !== null && { email: row.email }),
  }
}

/** Users in PostgreSQL (`lti_user`). */
export class UserStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Match the user by (issuer, sub) or create them, in one statement (`INSERT … ON CONFLICT DO
   * UPDATE`), so two launches racing on two processes make one row. Name and email are updated
   * when the launch sent them and kept otherwise; the role follows the latest launch.
   */
  async upsert(input: { tenantId: string; issuer: string; sub: string; name?: string; email?: string; role: TlnRole }): Promise<TlnUser> {
    const [row] = (await this.knex('lti_user')
      .insert({ tenant_id: input.tenantId, issuer: input.issuer, sub: input.sub, name: input.name ?? null, email: input.email ?? null, role: input.role })
      .onConflict(['issuer', 'sub'])
      .merge({
        name: this.knex.raw('coalesce(excluded.name, lti_user.name)'),
        email: this.knex.raw('coalesce(excluded.email, lti_user.email)'),
        role: this.knex.raw('excluded.role'),
        updated_at: this.knex.fn.now(),
      })
      .returning('*')) as Row[]
    return toUser(row!)
  }

  async find(issuer: string, sub: string): Promise<TlnUser | undefined> {
    const row = (await this.knex('lti_user').where({ issuer, sub }).first()) as Row | undefined
    return row === undefined ? undefined : toUser(row)
  }
}
