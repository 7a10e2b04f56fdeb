import { LtiError } from '../errors.ts'
import type { LoginState, LoginStateStore } from '../stores/login-state-store.ts'

/**
 * The posted `state` must be one this tool issued at login, and unexpired (Security Framework 1.0
 * §5.1.1.2–5.1.1.3; OAuth 2.0 RFC 6749 §10.12). Not consumed here: `checkBrowserBinding` runs first,
 * so a launch posted from another browser leaves the state alone, and `consumeState` then makes it
 * single use. Returns the login state: it names the registration (issuer, client_id) and the nonce
 * the id_token must carry.
 */
export async function checkState(state: string, loginStates: LoginStateStore, now: number): Promise<LoginState> {
  const saved = await loginStates.find(state)
  if (!saved) throw new LtiError('ERR_LTI_STATE_UNKNOWN', 'state does not match a login started by this tool, or was already used')
  if (saved.expiresAt <= now) throw new LtiError('ERR_LTI_STATE_EXPIRED', 'the login took too long; start again', { expiresAt: saved.expiresAt })
  return saved
}

/**
 * Consume the state atomically (`LoginStateStore.consume`): of two launches racing with one state,
 * exactly one gets past this step (Security Framework 1.0 §5.1.1.3, single use).
 */
export async function consumeState(state: string, loginStates: LoginStateStore): Promise<void> {
  if (!(await loginStates.consume(state))) throw new LtiError('ERR_LTI_STATE_UNKNOWN', 'state was used by another launch meanwhile')
}
