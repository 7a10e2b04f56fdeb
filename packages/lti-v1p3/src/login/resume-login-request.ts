import { LtiError } from '../errors.ts'
import { checkBrowserBinding } from '../launch/check-browser-binding.ts'
import { checkState } from '../launch/check-state.ts'
import { authenticationRequestUrl, type LoginOptions } from './create-login-request.ts'

/**
 * The cookie check between login initiation and the platform (as pylti1.3 does it): the login set
 * its state cookie and sent the browser to a same-origin check URL instead of the platform; here
 * the cookie must have come back before the authentication request is built. A platform may spend
 * `lti_message_hint` when it reads the request (Moodle removes the launch data from its session),
 * so a browser that drops the cookie is stopped before that, and the same login can still start
 * again in a new window. Throws `ERR_LTI_STATE_UNKNOWN` / `ERR_LTI_STATE_EXPIRED`, or
 * `LtiStateNotBoundError` (with the saved initiation to restart) when the cookie did not come back;
 * the state is never consumed here (the launch consumes it).
 *
 * @returns the authentication request (Security Framework 1.0 §5.1.1.2) to redirect to.
 */
export async function resumeLoginRequest(state: string, cookieHeader: string | undefined, options: LoginOptions): Promise<{ redirectUrl: string }> {
  const saved = await checkState(state, options.loginStates, (options.now ?? Date.now)())
  checkBrowserBinding(state, saved, { cookieHeader }, options.redirectUri)
  const platform = await options.platforms.find(saved.iss, saved.clientId)
  // The registration was removed between login and check.
  if (!platform) throw new LtiError('ERR_LTI_UNKNOWN_PLATFORM', 'no registration for this issuer and client_id', { iss: saved.iss, clientId: saved.clientId })
  if (saved.loginHint === undefined) throw new LtiError('ERR_LTI_STATE_UNKNOWN', 'the login state keeps no login_hint to resume with')
  return { redirectUrl: authenticationRequestUrl(platform, options.redirectUri, { loginHint: saved.loginHint, ltiMessageHint: saved.ltiMessageHint }, state, saved.nonce) }
}
