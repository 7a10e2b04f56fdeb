import type { Knex } from '@tln/db'

/**
 * Delete expired login states, nonces, sessions and tickets, access tokens, and unanswered
 * Deep Linking requests, account invitations, and stale login throttles. Safe on any
 * process at any time: a nonce row past its `expires_at` belongs to a token whose `exp` has
 * passed (plus tolerance), which the launch check rejects anyway.
 * @returns how many rows each table lost
 */
export async function deleteExpired(knex: Knex, now: number): Promise<Record<string, number>> {
  const at = new Date(now)
  const counts: Record<string, number> = {}
  for (const table of ['lti_login_state', 'lti_nonce', 'lti_session', 'lti_access_token', 'lti_deep_linking_request', 'account_invitation']) {
    counts[table] = await knex(table).where('expires_at', '<=', at).delete()
  }
  // Failures older than the lockout window no longer slow anyone down (`accounts/accounts.ts`).
  counts.login_throttle = await knex('login_throttle').where('last_failure_at', '<=', new Date(now - 15 * 60_000)).delete()
  return counts
}
