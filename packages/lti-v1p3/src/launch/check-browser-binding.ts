import { LtiStateNotBoundError } from '../errors.ts'
import { stateCookieMatches } from '../login/state-cookie.ts'
import type { LoginState } from '../stores/login-state-store.ts'

/** What the launch request shows about the browser that posted it. */
export interface LaunchBinding {
  /** The request's `Cookie` header: a browser sends back the state cookie set at login. */
  readonly cookieHeader?: string | undefined
  /**
   * True only when the app verified, for this very request, that the page it served read the state
   * back from platform storage (LTI Client Side postMessage storage, `lti.get_data`) and posted the
   * result same-origin. A cookie-less frame has no other proof.
   */
  readonly platformStorageVerified?: boolean
}

/**
 * The launch must come from the browser that started the login (OIDC Core 1.0 §3.1.2.1 and RFC 6749
 * §10.12: state "MUST" be bound to the user agent; Security Framework 1.0 §5.1.1): its state cookie
 * matches, or platform storage confirmed it. Otherwise it may be an attacker's own id_token posted
 * from the victim's browser (login CSRF): refused with `ERR_LTI_STATE_NOT_BOUND`, state not consumed.
 * `redirectUri` (the tool's launch URL) names the cookie: `__Host-` prefixed over https (`state-cookie.ts`).
 */
export function checkBrowserBinding(state: string, login: LoginState, binding: LaunchBinding, redirectUri: string): void {
  if (binding.platformStorageVerified === true) return
  if (stateCookieMatches(binding.cookieHeader, state, login.cookieHash, redirectUri)) return
  throw new LtiStateNotBoundError('the launch is not bound to the browser that started the login (no matching state cookie, no platform-storage check)', loginRestart(login))
}

/**
 * The login initiation saved with a state, to start it again in a new window (Security Framework
 * 1.0 §5.1.1.1 names); undefined for a state saved without it.
 */
export function loginRestart(login: LoginState): Readonly<Record<string, string>> | undefined {
  if (login.loginHint === undefined || login.loginHint === '') return undefined
  return {
    iss: login.iss, login_hint: login.loginHint, target_link_uri: login.targetLinkUri, client_id: login.clientId,
    ...(login.ltiMessageHint !== undefined && { lti_message_hint: login.ltiMessageHint }),
    ...(login.ltiDeploymentId !== undefined && { lti_deployment_id: login.ltiDeploymentId }),
  }
}
