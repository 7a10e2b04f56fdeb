import type { Knex } from '@tln/db'
import { deleteAbandonedUploads, UPLOAD_TTL_MS } from '../uploads/chunked-uploads.ts'

/**
 * Delete expired login states, nonces, sessions and tickets, session hand-offs, access tokens, and unanswered
 * Deep Linking requests, account invitations, stale login throttles, and upload sessions (task
 * files, mentoring evidence) never completed within `uploadMaxAgeMs` (default 24 h), bytes and all. Safe on any
 * process at any time: a nonce row past its `expires_at` belongs to a token whose `exp` has
 * passed (plus tolerance), which the launch check rejects anyway.
 * @returns how many rows each table lost
 */
export async function deleteExpired(knex: Knex, now: number, uploadMaxAgeMs: number = UPLOAD_TTL_MS): Promise<Record<string, number>> {
  const at = new Date(now)
  const counts: Record<string, number> = {}
  for (const table of ['lti_login_state', 'lti_nonce', 'lti_session', 'lti_access_token', 'lti_deep_linking_request', 'account_invitation', 'lti_session_handoff']) {
    counts[table] = await knex(table).where('expires_at', '<=', at).delete()
  }
  // Failures older than the lockout window no longer slow anyone down (`accounts/accounts.ts`).
  counts.login_throttle = await knex('login_throttle').where('last_failure_at', '<=', new Date(now - 15 * 60_000)).delete()
  Object.assign(counts, await deleteAbandonedUploads(knex, new Date(now - uploadMaxAgeMs)))
  return counts
}
