import { describe, expect, it } from 'vitest'
import { createLaunchHarness, T0 } from '../testing/launch-harness.ts'
import { createLoginRequest } from './create-login-request.ts'
import { stateCookieHash, stateCookieName } from './state-cookie.ts'

async function setup() {
  const h = await createLaunchHarness()
  const options = { platforms: h.platforms, loginStates: h.loginStates, redirectUri: h.redirectUri, now: h.now }
  const params = { iss: h.double.issuer, login_hint: 'user-17', target_link_uri: 'https://tln.example/lti/launch', client_id: h.double.clientId, lti_message_hint: '{"cmid":5,"launchid":"ltilaunch1_x"}', lti_deployment_id: 'deployment-1' }
  return { h, options, params }
}

describe('createLoginRequest (Security Framework 1.0 §5.1.1.1–5.1.1.2; LTI Core 1.3 §4.1)', () => {
  it('builds the authentication request with exactly the spec parameters, lti_message_hint unaltered', async () => {
    const { h, options, params } = await setup()
    const request = await createLoginRequest(params, options)
    const url = new URL(request.redirectUrl)
    expect(url.origin + url.pathname).toBe(h.double.platform.authorizationEndpoint)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none',
      client_id: h.double.clientId, redirect_uri: h.redirectUri, login_hint: 'user-17',
      lti_message_hint: params.lti_message_hint, state: request.state, nonce: request.nonce,
    })
  })
  it('stores a 256-bit state and nonce server-side with a short expiry', async () => {
    const { h, options, params } = await setup()
    const request = await createLoginRequest(params, options)
    expect(Buffer.from(request.state, 'base64url')).toHaveLength(32)
    expect(Buffer.from(request.nonce, 'base64url')).toHaveLength(32)
    expect(h.loginStates.states.get(request.state)).toEqual({
      nonce: request.nonce, iss: h.double.issuer, clientId: h.double.clientId, targetLinkUri: params.target_link_uri, expiresAt: T0 + 5 * 60_000,
      cookieHash: stateCookieHash(request.stateCookie.value), loginHint: 'user-17', ltiMessageHint: params.lti_message_hint, ltiDeploymentId: 'deployment-1',
    })
  })
  it('binds the login to the browser with a state cookie of its own, keeping only its hash (Security Framework 1.0 §5.1.1; RFC 6749 §10.12)', async () => {
    const { h, options, params } = await setup()
    const a = await createLoginRequest(params, options)
    const b = await createLoginRequest(params, options)
    expect(a.stateCookie.name).toBe(stateCookieName(a.state, options.redirectUri))
    expect(a.stateCookie.name).not.toBe(b.stateCookie.name)
    expect(Buffer.from(a.stateCookie.value, 'base64url')).toHaveLength(32)
    expect(a.stateCookie.header).toBe(`${a.stateCookie.name}=${a.stateCookie.value}; Path=/; Max-Age=300; HttpOnly; Secure; SameSite=None; Partitioned`)
    expect(JSON.stringify(h.loginStates.states.get(a.state))).not.toContain(a.stateCookie.value)
  })
  it('omits lti_message_hint when the platform sent none', async () => {
    const { options, params } = await setup()
    const { lti_message_hint: _, ...rest } = params
    expect(new URL((await createLoginRequest(rest, options)).redirectUrl).searchParams.has('lti_message_hint')).toBe(false)
  })
  it('finds the registration by issuer alone when client_id is absent and the issuer has one registration', async () => {
    const { h, options, params } = await setup()
    const { client_id: _, ...rest } = params
    expect((await createLoginRequest(rest, options)).platform.clientId).toBe(h.double.clientId)
  })
  it('returns what the tool page needs for platform storage when lti_storage_target is sent (LTI Client Side postMessage)', async () => {
    const { h, options, params } = await setup()
    const request = await createLoginRequest({ ...params, lti_storage_target: 'post_message_forwarding' }, options)
    expect(request.platformStorage).toEqual({
      target: 'post_message_forwarding', platformOrigin: h.double.issuer,
      state: request.state, stateKey: `state_${request.state}`, nonce: request.nonce, nonceKey: `nonce_${request.nonce}`,
    })
    expect(new URL(request.redirectUrl).searchParams.has('lti_storage_target')).toBe(false)
  })
  it.each(['iss', 'login_hint', 'target_link_uri'])('rejects an initiation without %s', async (name) => {
    const { options, params } = await setup()
    await expect(createLoginRequest({ ...params, [name]: undefined }, options)).rejects.toMatchObject({ code: 'ERR_LTI_INVALID_LOGIN_REQUEST' })
  })
  it('rejects repeated parameters', async () => {
    const { options, params } = await setup()
    await expect(createLoginRequest({ ...params, login_hint: ['a', 'b'] }, options)).rejects.toMatchObject({ code: 'ERR_LTI_INVALID_LOGIN_REQUEST' })
  })
  it.each(['login_hint', 'lti_message_hint', 'lti_deployment_id', 'client_id', 'iss'])('rejects a %s over 4096 characters, saving no state (the hints must fit the authentication request URL, RFC 9110 §4.1)', async (name) => {
    const { options, params } = await setup()
    const long = name === 'iss' ? `https://lms.example.org/${'x'.repeat(4096)}` : 'x'.repeat(4097)
    await expect(createLoginRequest({ ...params, [name]: long }, options)).rejects.toMatchObject({ code: 'ERR_LTI_INVALID_LOGIN_REQUEST', detail: { param: name } })
    await expect(createLoginRequest({ ...params, login_hint: 'x'.repeat(4096) }, options)).resolves.toBeDefined()
  })
  it('keeps CR, LF and other text of a hint inside the query string of the authentication request (no header injection)', async () => {
    const { options, params } = await setup()
    const request = await createLoginRequest({ ...params, login_hint: 'a\r\nSet-Cookie: x=1', lti_message_hint: '<"\u2028>' }, options)
    expect(request.redirectUrl).not.toMatch(/[\r\n\u2028]/u)
    expect(new URL(request.redirectUrl).searchParams.get('login_hint')).toBe('a\r\nSet-Cookie: x=1')
  })
  it('rejects a target_link_uri outside the tool (no open redirect)', async () => {
    const { options, params } = await setup()
    await expect(createLoginRequest({ ...params, target_link_uri: 'https://evil.example/x' }, options)).rejects.toMatchObject({ code: 'ERR_LTI_INVALID_LOGIN_REQUEST' })
  })
  it('rejects an unknown issuer or client_id', async () => {
    const { options, params } = await setup()
    await expect(createLoginRequest({ ...params, client_id: 'other' }, options)).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_PLATFORM' })
    await expect(createLoginRequest({ ...params, iss: 'https://other.example' }, options)).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_PLATFORM' })
  })

  it('refuses an lti_deployment_id the registration does not list, as the launch would, storing no state (LTI Core 1.3 §4.1.2; §5.3.3)', async () => {
    const { h, options, params } = await setup()
    await expect(createLoginRequest({ ...params, lti_deployment_id: 'deployment-9' }, options)).rejects.toMatchObject({
      code: 'ERR_LTI_UNKNOWN_DEPLOYMENT',
      detail: { deploymentId: 'deployment-9', iss: h.double.issuer, clientId: h.double.clientId, param: 'lti_deployment_id' },
    })
    // Without client_id, the issuer's one registration is the one whose deployments count.
    const { client_id: _, ...withoutClientId } = params
    await expect(createLoginRequest({ ...withoutClientId, lti_deployment_id: 'deployment-9' }, options)).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_DEPLOYMENT' })
    expect(h.loginStates.states.size).toBe(0)
  })
  it('accepts a registered lti_deployment_id, and a login without one (the parameter is optional; the launch checks the claim)', async () => {
    const { h, options, params } = await setup()
    await expect(createLoginRequest(params, options)).resolves.toMatchObject({ platform: { clientId: h.double.clientId } })
    const { lti_deployment_id: _, ...withoutDeployment } = params
    await expect(createLoginRequest(withoutDeployment, options)).resolves.toBeDefined()
    await expect(createLoginRequest({ ...params, lti_deployment_id: '' }, options)).resolves.toBeDefined()
  })
})
