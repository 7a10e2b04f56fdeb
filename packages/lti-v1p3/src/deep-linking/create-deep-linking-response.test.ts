import { createLocalJWKSet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import { generateToolKey, publicJwkOf } from '../keys/tool-key.ts'
import { validateLaunch } from '../launch/validate-launch.ts'
import { createLaunchHarness } from '../testing/launch-harness.ts'
import { createDeepLinkingResponse } from './create-deep-linking-response.ts'

const key = await generateToolKey()
const item = { type: 'ltiResourceLink', title: 'RPPH', url: 'https://tln.example/lti/launch', custom: { task: 'rpph' }, lineItem: { scoreMaximum: 100, label: 'RPPH', resourceId: 'task-rpph' } } as const

async function dlLaunch(settings: Record<string, unknown> = {}) {
  const h = await createLaunchHarness()
  const { state, nonce } = await h.login()
  return { h, launch: await validateLaunch({ id_token: await h.double.sign(h.double.deepLinkingClaims(nonce, settings)), state }, h.launchOptions, h.browser) }
}

const verify = (jwt: string, h: Awaited<ReturnType<typeof createLaunchHarness>>) =>
  jwtVerify(jwt, createLocalJWKSet({ keys: [publicJwkOf(key)] }), { algorithms: ['RS256'], issuer: h.double.clientId, audience: h.double.issuer, currentDate: new Date(h.clock.now) })

describe('createDeepLinkingResponse (Deep Linking 2.0 §4.5)', () => {
  it('signs a response with iss = client_id, aud = platform issuer, nonce, deployment and content items with a lineItem', async () => {
    const { h, launch } = await dlLaunch()
    const response = await createDeepLinkingResponse(launch, [item], { key, now: h.clock.now })
    const { payload, protectedHeader } = await verify(response.jwt, h)
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: key.kid })
    expect(payload).toMatchObject({
      [CLAIM.messageType]: 'LtiDeepLinkingResponse', [CLAIM.version]: '1.3.0', [CLAIM.deploymentId]: 'deployment-1', [CLAIM.contentItems]: [item],
    })
    expect(typeof payload.nonce).toBe('string')
    expect(response.action).toBe(launch.deepLinking?.deepLinkReturnUrl)
  })
  it('names the tool as sub (its client_id): Blackboard Learn lists sub, "Your Application ID", among the claims it requires of a Deep Linking response (Anthology, "Building the JWT token with the content")', async () => {
    const { h, launch } = await dlLaunch()
    const { payload } = await verify((await createDeepLinkingResponse(launch, [item], { key, now: h.clock.now })).jwt, h)
    expect(payload.sub).toBe(h.double.clientId)
  })
  it('omits data when the request carried none (Moodle sends no data)', async () => {
    const { h, launch } = await dlLaunch()
    const { payload } = await verify((await createDeepLinkingResponse(launch, [item], { key, now: h.clock.now })).jwt, h)
    expect(CLAIM.deepLinkingData in payload).toBe(false)
  })
  it('echoes data unchanged when present ("MUST be included in the response if present")', async () => {
    const { h, launch } = await dlLaunch({ data: 'opaque&<data>' })
    const { payload } = await verify((await createDeepLinkingResponse(launch, [item], { key, now: h.clock.now })).jwt, h)
    expect(payload[CLAIM.deepLinkingData]).toBe('opaque&<data>')
  })
  it('echoes data that is not a string as it came: the spec says a string, but dropping it would fail the platform\'s own check (Deep Linking 2.0 §4.4.1)', async () => {
    const data = { nonce: 'abc', course: 7 }
    const { h, launch } = await dlLaunch({ data })
    const { payload } = await verify((await createDeepLinkingResponse(launch, [item], { key, now: h.clock.now })).jwt, h)
    expect(payload[CLAIM.deepLinkingData]).toEqual(data)
  })

  it('renders a form posting field JWT to the return URL, without inline script', async () => {
    const { h, launch } = await dlLaunch()
    const response = await createDeepLinkingResponse(launch, [item], { key, now: h.clock.now, scriptSrc: '/lti/auto-submit.js' })
    expect(response.html).toContain(`name="JWT" value="${response.jwt}"`)
    expect(response.html).toContain('action="https://lms.example.org/mod/lti/contentitem_return.php?course=1"')
    expect(response.html).toContain('<script src="/lti/auto-submit.js"></script>')
    expect(response.html).not.toMatch(/<script>/u)
  })
  it('refuses an item type the platform does not accept (accept_types)', async () => {
    const { h, launch } = await dlLaunch()
    await expect(createDeepLinkingResponse(launch, [{ type: 'link', url: 'https://x' }], { key, now: h.clock.now })).rejects.toThrow(TypeError)
  })
})
