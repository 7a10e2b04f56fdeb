import type { Knex } from '@tln/db'
import { randomId, sha256 } from '../hash.ts'
import type { LaunchSummary, Session } from './session-store.ts'
import type { TopLevelPath } from './top-level-paths.ts'

/** How long a hand-off link works: long enough for one click, too short to be worth stealing. */
export const HANDOFF_TTL_MS = 60_000

/** What a redeemed hand-off gives: the session to open, where to send the browser. */
export interface Handoff {
  readonly userId: string
  readonly tenantId: string
  readonly launch: LaunchSummary
  /** The path it was minted for; the router checks it against the allowlist again before redirecting. */
  readonly targetPath: string
  /** The framed session's expiry: the new session never outlives it. */
  readonly sessionExpiresAt: number
}

/** Why a hand-off token was refused (for the log; the user sees one message). */
export type HandoffRefusal = 'unknown-or-used' | 'expired' | 'tenant-mismatch'

interface Row { user_id: string; tenant_id: string; user_tenant_id: string; target_path: string; launch: unknown; session_expires_at: Date; expires_at: Date }

/**
 * Session hand-offs in PostgreSQL (`lti_session_handoff`): a session framed inside the LMS (its
 * cookie partitioned under the LMS's site) asks for a page that is never framed; the token lets
 * the top-level window open a first-party session of the same user, launch and tenant. The token
 * is random, 256 bits, stored as SHA-256 (as session ids and invitations are), used once.
 */
export class SessionHandoffStore {
  constructor(private readonly knex: Knex, private readonly now: () => number) {}

  /** Mint a token for `session`'s user, tenant and launch, bound to `target`; returns the token (never stored). */
  async mint(session: Pick<Session, 'user' | 'launch' | 'expiresAt'>, target: TopLevelPath, ttlMs: number = HANDOFF_TTL_MS): Promise<string> {
    const token = randomId()
    await this.knex('lti_session_handoff').insert({
      token_hash: sha256(token), user_id: session.user.id, tenant_id: session.user.tenantId, target_path: target,
      launch: JSON.stringify(session.launch), session_expires_at: new Date(session.expiresAt), expires_at: new Date(this.now() + ttlMs),
    })
    return token
  }

  /**
   * Use the token up: one `DELETE … RETURNING`, so of two requests racing with the same token at
   * most one gets the row. Then, in order: it must not have expired (nor the framed session), and
   * the user must still belong to the tenant it was minted for.
   */
  async redeem(token: string): Promise<{ ok: true; handoff: Handoff } | { ok: false; refusal: HandoffRefusal }> {
    const { rows } = (await this.knex.raw(
      `delete from lti_session_handoff h using lti_user u where h.token_hash = ? and u.id = h.user_id
       returning h.user_id, h.tenant_id, u.tenant_id as user_tenant_id, h.target_path, h.launch, h.session_expires_at, h.expires_at`,
      [sha256(token)],
    )) as { rows: Row[] }
    const row = rows[0]
    if (row === undefined) return { ok: false, refusal: 'unknown-or-used' }
    const now = this.now()
    const sessionExpiresAt = new Date(row.session_expires_at).getTime()
    if (new Date(row.expires_at).getTime() <= now || sessionExpiresAt <= now) return { ok: false, refusal: 'expired' }
    if (row.user_tenant_id !== row.tenant_id) return { ok: false, refusal: 'tenant-mismatch' }
    const launch = (typeof row.launch === 'string' ? JSON.parse(row.launch) : row.launch) as LaunchSummary
    return { ok: true, handoff: { userId: row.user_id, tenantId: row.tenant_id, launch, targetPath: row.target_path, sessionExpiresAt } }
  }
}
