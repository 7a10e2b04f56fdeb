import { describe, expect, it } from 'vitest'
import { LtiStateNotBoundError } from '../errors.ts'
import { newStateCookie, stateCookieHash } from '../login/state-cookie.ts'
import { T0 } from '../testing/launch-harness.ts'
import { checkBrowserBinding } from './check-browser-binding.ts'

const uri = 'https://tln.example/lti/launch'
const cookie = newStateCookie('s1', uri, 300)
const login = {
  nonce: 'n', iss: 'https://lms.example.org', clientId: 'tln', targetLinkUri: 'https://tln.example/lti/launch', expiresAt: T0 + 60_000,
  cookieHash: stateCookieHash(cookie.value), loginHint: 'user-17', ltiMessageHint: 'hint', ltiDeploymentId: 'd1',
}

describe('checkBrowserBinding (OIDC Core 1.0 §3.1.2.1, RFC 6749 §10.12: state bound to the user agent; Security Framework 1.0 §5.1.1)', () => {
  it('accepts the launch when the login\'s state cookie came back', () => {
    expect(() => checkBrowserBinding('s1', login, { cookieHeader: `${cookie.name}=${cookie.value}` }, uri)).not.toThrow()
  })
  it('accepts the launch when the app verified the platform-storage check, cookie or not', () => {
    expect(() => checkBrowserBinding('s1', login, { platformStorageVerified: true }, uri)).not.toThrow()
  })
  it('refuses a launch with neither, offering the saved login initiation for a new window', () => {
    const error = (() => { try { checkBrowserBinding('s1', login, { cookieHeader: 'tln_session=x' }, uri) } catch (e) { return e } })()
    expect(error).toBeInstanceOf(LtiStateNotBoundError)
    expect(error).toMatchObject({
      code: 'ERR_LTI_STATE_NOT_BOUND',
      restart: { iss: 'https://lms.example.org', login_hint: 'user-17', target_link_uri: 'https://tln.example/lti/launch', client_id: 'tln', lti_message_hint: 'hint', lti_deployment_id: 'd1' },
    })
  })
  it('over https refuses the state cookie under its plain name, which a sibling subdomain can set (RFC 6265bis §4.1.3.2)', () => {
    expect(cookie.name).toMatch(/^__Host-/)
    expect(() => checkBrowserBinding('s1', login, { cookieHeader: `${cookie.name.slice('__Host-'.length)}=${cookie.value}` }, uri)).toThrow(LtiStateNotBoundError)
  })
  it('refuses the cookie of another login', () => {
    const other = newStateCookie('s2', 'https://tln.example/lti/launch', 300)
    expect(() => checkBrowserBinding('s1', login, { cookieHeader: `${other.name}=${other.value}` }, uri)).toThrow(LtiStateNotBoundError)
  })
  it('refuses a login state saved without a cookie hash unless platform storage vouches for it', () => {
    const { cookieHash: _, ...bare } = login
    expect(() => checkBrowserBinding('s1', bare, { cookieHeader: `${cookie.name}=${cookie.value}` }, uri)).toThrow(LtiStateNotBoundError)
  })
})
