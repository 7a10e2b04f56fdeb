import { CompactSign, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import { LtiError } from '../errors.ts'
import { createLaunchHarness } from '../testing/launch-harness.ts'
import { validateLaunch } from './validate-launch.ts'

async function rejects(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(LtiError)
  return (error as LtiError).code
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('validateLaunch (Security Framework 1.0 §5.1.3; LTI Core 1.3 §5)', () => {
  it('accepts a valid resource-link launch and maps it to an LtiLaunch', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const launch = await validateLaunch({ id_token: await h.double.sign(h.double.launchClaims(nonce)), state }, h.launchOptions, h.browser)
    expect(launch).toMatchObject({
      messageType: 'LtiResourceLinkRequest', deploymentId: 'deployment-1',
      platform: { issuer: h.double.issuer, clientId: h.double.clientId },
      user: { sub: 'user-17', name: 'Siti Rahayu', email: 'siti@example.org' },
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      context: { id: 'course-1', title: 'Pelatihan PAUD' }, resourceLink: { id: 'rl-1' }, custom: { module: 'rpph' },
      ags: { lineItems: h.double.services.lineItemsUrl }, nrps: { contextMembershipsUrl: h.double.services.membershipsUrl },
    })
  })

  it('accepts a deep-linking request without data and leaves data absent (Deep Linking 2.0 §4.4.1)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const launch = await validateLaunch({ id_token: await h.double.sign(h.double.deepLinkingClaims(nonce)), state }, h.launchOptions, h.browser)
    expect(launch.messageType).toBe('LtiDeepLinkingRequest')
    expect(launch.deepLinking).toMatchObject({ acceptTypes: ['ltiResourceLink'], acceptLineItem: true })
    expect(launch.deepLinking && 'data' in launch.deepLinking).toBe(false)
  })

  it('reads accept_multiple, accept_lineitem and auto_create sent as the strings "true"/"false" as the booleans Deep Linking 2.0 §4.4.1 means', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const claims = h.double.deepLinkingClaims(nonce, { accept_multiple: 'false', accept_lineitem: 'true', auto_create: 'false' })
    const launch = await validateLaunch({ id_token: await h.double.sign(claims), state }, h.launchOptions, h.browser)
    expect(launch.deepLinking).toMatchObject({ acceptMultiple: false, acceptLineItem: true, autoCreate: false })
  })

  it('rejects a replayed launch: state is single use (Security Framework 1.0 §5.1.1.3)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const body = { id_token: await h.double.sign(h.double.launchClaims(nonce)), state }
    await validateLaunch(body, h.launchOptions, h.browser)
    expect(await rejects(validateLaunch(body, h.launchOptions, h.browser))).toBe('ERR_LTI_STATE_UNKNOWN')
  })

  it('refuses a launch from a browser without the login\'s state cookie, before any key lookup, and keeps the state (login CSRF; RFC 6749 §10.12)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const body = { id_token: await h.double.sign(h.double.launchClaims(nonce)), state }
    // The attacker's own login and id_token, posted from the victim's browser: no cookie of that login.
    expect(await rejects(validateLaunch(body, h.launchOptions, { cookieHeader: '' }))).toBe('ERR_LTI_STATE_NOT_BOUND')
    expect(h.double.counters.jwksFetches).toBe(0)
    expect(h.loginStates.states.has(state)).toBe(true)
    // The browser that started the login still can.
    await expect(validateLaunch(body, h.launchOptions, h.browser)).resolves.toMatchObject({ user: { sub: 'user-17' } })
  })

  it('rejects a replayed nonce even with a fresh state (Security Framework 1.0 §5.1.3 step 8)', async () => {
    const h = await createLaunchHarness()
    const first = await h.login()
    await validateLaunch({ id_token: await h.double.sign(h.double.launchClaims(first.nonce)), state: first.state }, h.launchOptions, h.browser)
    // An attacker who can start a login gets a fresh state, but the platform never signed its nonce:
    // the only way the token's nonce matches is if the store forgot it. Simulate a login whose stored
    // nonce is the already-used one.
    await h.loginStates.save('attacker-state', { nonce: first.nonce, iss: h.double.issuer, clientId: h.double.clientId, targetLinkUri: 'https://tln.example/lti/launch', expiresAt: h.clock.now + 60_000 })
    const replay = await h.double.sign(h.double.launchClaims(first.nonce))
    expect(await rejects(validateLaunch({ id_token: replay, state: 'attacker-state' }, h.launchOptions, { platformStorageVerified: true }))).toBe('ERR_LTI_NONCE_REPLAYED')
  })

  it('rejects a token signed with alg none before any key lookup (Security Framework 1.0 §6.1)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const token = `${b64({ alg: 'none', typ: 'JWT', kid: h.double.kid })}.${b64(h.double.launchClaims(nonce))}.`
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_ALG_NOT_ALLOWED')
    expect(h.double.counters.jwksFetches).toBe(0)
  })

  it('rejects HS256 signed with the platform public key as secret (algorithm confusion, Security Framework 1.0 §6.1)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(h.double.launchClaims(nonce))))
      .setProtectedHeader({ alg: 'HS256', kid: h.double.kid })
      .sign(new TextEncoder().encode(h.double.publicKeyPem))
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_ALG_NOT_ALLOWED')
  })

  it('rejects a tampered payload: the signature no longer verifies (Security Framework 1.0 §5.1.3 step 1)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const [header, , signature] = (await h.double.sign(h.double.launchClaims(nonce))).split('.')
    const forged = `${header}.${b64(h.double.launchClaims(nonce, { [CLAIM.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] }))}.${signature}`
    expect(await rejects(validateLaunch({ id_token: forged, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_SIGNATURE_INVALID')
  })

  it('rejects a token signed by a key the platform does not publish, under its kid (Security Framework 1.0 §5.1.3 step 1)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const { privateKey } = await generateKeyPair('RS256')
    const token = await h.double.sign(h.double.launchClaims(nonce), { key: privateKey })
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_SIGNATURE_INVALID')
  })

  it('refetches the platform JWKS on an unknown kid, then fails if it is still unknown (Security Framework 1.0 §6.3)', async () => {
    const h = await createLaunchHarness()
    const warm = await h.login()
    await validateLaunch({ id_token: await h.double.sign(h.double.launchClaims(warm.nonce)), state: warm.state }, h.launchOptions, h.browser)
    expect(h.double.counters.jwksFetches).toBe(1)
    h.clock.now += 30_000 // past the refresh cooldown, within the token lifetime
    const { state, nonce } = await h.login()
    const token = await h.double.sign(h.double.launchClaims(nonce), { header: { kid: 'rotated-away' } })
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_UNKNOWN_KID')
    expect(h.double.counters.jwksFetches).toBe(2)
  })

  it('rejects a wrong iss (Security Framework 1.0 §5.1.3 step 2)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const token = await h.double.sign(h.double.launchClaims(nonce, { iss: 'https://evil.example' }))
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_ISS_MISMATCH')
  })

  it('rejects a launch whose state is unknown, without fetching any JWKS (Security Framework 1.0 §5.1.1.3)', async () => {
    const h = await createLaunchHarness()
    const { nonce } = await h.login()
    const token = await h.double.sign(h.double.launchClaims(nonce))
    expect(await rejects(validateLaunch({ id_token: token, state: 'not-ours' }, h.launchOptions, h.browser))).toBe('ERR_LTI_STATE_UNKNOWN')
    expect(h.double.counters.jwksFetches).toBe(0)
  })

  it('rejects a token whose nonce is not the one of its login (OIDC Core 1.0 §3.1.3.7 rule 11)', async () => {
    const h = await createLaunchHarness()
    const other = await h.login()
    const { state } = await h.login()
    const token = await h.double.sign(h.double.launchClaims(other.nonce))
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_NONCE_MISMATCH')
  })

  it('rejects a launch whose deployment_id is not the lti_deployment_id its login named (LTI Core 1.3 §4.1.2), nonce unspent', async () => {
    const h = await createLaunchHarness()
    h.platforms.add(h.double.platform, [h.double.deploymentId, 'deployment-2'])
    const { state, nonce } = await h.login({ lti_deployment_id: 'deployment-2' })
    const token = await h.double.sign(h.double.launchClaims(nonce))
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_DEPLOYMENT_MISMATCH')
    expect(h.nonces.seen.size).toBe(0)
  })

  it('accepts a launch for the deployment its login named (LTI Core 1.3 §4.1.2)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login({ lti_deployment_id: h.double.deploymentId })
    const token = await h.double.sign(h.double.launchClaims(nonce))
    expect((await validateLaunch({ id_token: token, state }, h.launchOptions, h.browser)).deploymentId).toBe(h.double.deploymentId)
  })

  it('consumes the nonce only after every other check passed (STYLE.md rule 5)', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const token = await h.double.sign(h.double.launchClaims(nonce, { [CLAIM.deploymentId]: 'unknown' }))
    expect(await rejects(validateLaunch({ id_token: token, state }, h.launchOptions, h.browser))).toBe('ERR_LTI_UNKNOWN_DEPLOYMENT')
    expect(h.nonces.seen.size).toBe(0)
  })

  it('surfaces a platform error response (OIDC Core 1.0 §3.1.2.6)', async () => {
    const h = await createLaunchHarness()
    expect(await rejects(validateLaunch({ error: 'login_required', state: 'x' }, h.launchOptions, h.browser))).toBe('ERR_LTI_PLATFORM_ERROR_RESPONSE')
  })
})
