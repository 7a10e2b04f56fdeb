import type { Knex } from '@tln/db'
import { randomId, sha256 } from '../hash.ts'
import { toUser, type TlnUser } from './user-store.ts'

/** What a session remembers of the launch that opened it (shown on the landing page). */
export interface LaunchSummary {
  readonly issuer: string
  readonly deploymentId: string
  readonly role: string
  readonly contextTitle?: string
  readonly contextLabel?: string
  readonly resourceLinkTitle?: string
  readonly returnUrl?: string
  readonly locale?: string
  /** The registration and LMS course of the launch: a facilitator's grading queue is scoped to them. */
  readonly platformId?: string
  readonly contextId?: string
}

export interface Session {
  readonly user: TlnUser
  readonly launch: LaunchSummary
  readonly expiresAt: number
}

type Kind = 'session' | 'ticket'

/**
 * Browser sessions in PostgreSQL (`lti_session`). The cookie carries a random 256-bit id; the row
 * keeps only its SHA-256, so a database dump holds no usable session. A *ticket* is a
 * short-lived, single-use row of the same table: the "open TLN in a new window" hand-off when the
 * browser drops the session cookie inside the platform's iframe.
 */
export class SessionStore {
  /**
   * @param cookieName - the name of the cookie that carries a session id (`sessionCookieName`:
   *   `__Host-tln_session` over https); every reader of a session takes it from here.
   */
  constructor(private readonly knex: Knex, private readonly now: () => number, readonly cookieName: string) {}

  /**
   * Open a session; returns the id for the cookie (never stored). `replaces` are the session ids
   * the browser presented (`readCookies`): they are deleted in the same transaction, whoever they
   * belong to. The new cookie overwrites the old one in the browser, but the old id must stop
   * working too (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege
   * Level Change"): on a school computer two teachers share, the first one's session would
   * otherwise stay valid, for anyone who kept or reads its id, until it expires.
   */
  create(userId: string, launch: LaunchSummary, ttlMs: number, replaces: readonly string[] = []): Promise<string> {
    return this.insert('session', userId, launch, ttlMs, replaces)
  }

  /** A single-use ticket that opens a new session for the same user and launch within `ttlMs`. */
  createTicket(userId: string, launch: LaunchSummary, ttlMs: number): Promise<string> {
    return this.insert('ticket', userId, launch, ttlMs)
  }

  async find(id: string): Promise<Session | undefined> {
    const row = (await this.knex('lti_session as s').join('lti_user as u', 'u.id', 's.user_id')
      .select('u.*', 's.data', 's.expires_at as session_expires_at')
      .where('s.id_hash', sha256(id)).andWhere('s.expires_at', '>', new Date(this.now()))
      .andWhereRaw(`s.data->>'kind' = 'session'`).first()) as (Parameters<typeof toUser>[0] & { data: unknown; session_expires_at: Date }) | undefined
    if (row === undefined) return undefined
    const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as { launch: LaunchSummary }
    return { user: toUser(row), launch: data.launch, expiresAt: new Date(row.session_expires_at).getTime() }
  }

  /**
   * Consume a ticket (one `DELETE … RETURNING`) and open a session in its place, replacing the
   * browser's sessions `replaces` as `create` does; undefined if unknown, used or expired (then
   * nothing is replaced).
   */
  async redeemTicket(ticket: string, ttlMs: number, replaces: readonly string[] = []): Promise<string | undefined> {
    const [row] = (await this.knex('lti_session').where('id_hash', sha256(ticket)).andWhereRaw(`data->>'kind' = 'ticket'`)
      .delete().returning(['user_id', 'data', 'expires_at'])) as { user_id: string; data: unknown; expires_at: Date }[]
    if (row === undefined || new Date(row.expires_at).getTime() <= this.now()) return undefined
    const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as { launch: LaunchSummary }
    return this.create(row.user_id, data.launch, ttlMs, replaces)
  }

  async delete(id: string): Promise<void> {
    await this.knex('lti_session').where('id_hash', sha256(id)).delete()
  }

  private async insert(kind: Kind, userId: string, launch: LaunchSummary, ttlMs: number, replaces: readonly string[] = []): Promise<string> {
    const id = randomId()
    const row = { id_hash: sha256(id), user_id: userId, expires_at: new Date(this.now() + ttlMs), data: JSON.stringify({ kind, launch }) }
    if (replaces.length === 0) {
      await this.knex('lti_session').insert(row)
      return id
    }
    await this.knex.transaction(async (trx) => {
      await trx('lti_session').whereIn('id_hash', replaces.map(sha256)).andWhereRaw(`data->>'kind' = 'session'`).delete()
      await trx('lti_session').insert(row)
    })
    return id
  }
}
