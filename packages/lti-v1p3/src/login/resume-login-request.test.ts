import { describe, expect, it } from 'vitest'
import { LtiStateNotBoundError } from '../errors.ts'
import { createLaunchHarness } from '../testing/launch-harness.ts'
import { createLoginRequest } from './create-login-request.ts'
import { resumeLoginRequest } from './resume-login-request.ts'

async function setup() {
  const h = await createLaunchHarness()
  const options = { platforms: h.platforms, loginStates: h.loginStates, redirectUri: h.redirectUri, now: h.now }
  const params = { iss: h.double.issuer, login_hint: 'user-17', target_link_uri: 'https://tln.example/lti/launch', client_id: h.double.clientId, lti_message_hint: '{"cmid":5}', lti_deployment_id: 'deployment-1' }
  const request = await createLoginRequest(params, options)
  const cookie = `${request.stateCookie.name}=${request.stateCookie.value}`
  return { h, options, params, request, cookie }
}

describe('resumeLoginRequest: the cookie check before the authentication request (Security Framework 1.0 §5.1.1.1–5.1.1.2; RFC 6749 §10.12)', () => {
  it('with the state cookie back: the same authentication request the login would have sent, state not consumed', async () => {
    const { h, options, request, cookie } = await setup()
    expect(await resumeLoginRequest(request.state, `other=1; ${cookie}`, options)).toEqual({ redirectUrl: request.redirectUrl })
    expect(h.loginStates.states.has(request.state)).toBe(true)
  })
  it('without the cookie (or with another login\'s): not bound, with the saved initiation to restart in a new window, state kept', async () => {
    const { h, options, params, request } = await setup()
    const other = await createLoginRequest(params, options)
    for (const cookieHeader of [undefined, '', `${other.stateCookie.name}=${other.stateCookie.value}`, `${request.stateCookie.name}=${other.stateCookie.value}`]) {
      const error = await resumeLoginRequest(request.state, cookieHeader, options).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LtiStateNotBoundError)
      expect((error as LtiStateNotBoundError).restart).toEqual({
        iss: params.iss, login_hint: 'user-17', target_link_uri: params.target_link_uri, client_id: params.client_id,
        lti_message_hint: params.lti_message_hint, lti_deployment_id: 'deployment-1',
      })
    }
    expect(h.loginStates.states.has(request.state)).toBe(true)
  })
  it('refuses an unknown, a used and an expired state (§5.1.1.2 state)', async () => {
    const { h, options, request, cookie } = await setup()
    await expect(resumeLoginRequest('never-issued', cookie, options)).rejects.toMatchObject({ code: 'ERR_LTI_STATE_UNKNOWN' })
    h.clock.now += 5 * 60_000
    await expect(resumeLoginRequest(request.state, cookie, options)).rejects.toMatchObject({ code: 'ERR_LTI_STATE_EXPIRED' })
    await h.loginStates.consume(request.state)
    await expect(resumeLoginRequest(request.state, cookie, options)).rejects.toMatchObject({ code: 'ERR_LTI_STATE_UNKNOWN' })
  })
})
