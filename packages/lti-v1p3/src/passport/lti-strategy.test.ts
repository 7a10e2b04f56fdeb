import type { Request } from 'express'
import { describe, expect, it } from 'vitest'
import type { LtiLaunch } from '../launch/lti-launch.ts'
import { createLaunchHarness } from '../testing/launch-harness.ts'
import { LtiStrategy } from './lti-strategy.ts'

type Outcome = { kind: 'success'; user: unknown } | { kind: 'error'; error: unknown } | { kind: 'fail' }

function run(strategy: LtiStrategy, body: Record<string, unknown>, cookieHeader?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const augmented = Object.assign(Object.create(strategy) as LtiStrategy & Record<string, unknown>, {
      success: (user: unknown) => resolve({ kind: 'success', user }),
      error: (error: unknown) => resolve({ kind: 'error', error }),
      fail: () => resolve({ kind: 'fail' }),
    })
    augmented.authenticate({ body, headers: { cookie: cookieHeader } } as unknown as Request)
  })
}

describe('LtiStrategy (passport)', () => {
  it('validates the launch and passes the LtiLaunch to verify', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    let seen: LtiLaunch | undefined
    const strategy = new LtiStrategy(h.launchOptions, (launch, done) => { seen = launch; done(null, { id: launch.user.sub }) })
    const outcome = await run(strategy, { id_token: await h.double.sign(h.double.launchClaims(nonce)), state }, h.browser.cookieHeader)
    expect(outcome).toEqual({ kind: 'success', user: { id: 'user-17' } })
    expect(seen?.platform.issuer).toBe(h.double.issuer)
    expect(strategy.name).toBe('lti')
  })
  it('reports a failed check as an error carrying its LtiError code', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const strategy = new LtiStrategy(h.launchOptions, () => { throw new Error('verify must not run') })
    const outcome = await run(strategy, { id_token: await h.double.sign(h.double.launchClaims(nonce, { iss: 'https://evil.example' })), state }, h.browser.cookieHeader)
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'ERR_LTI_ISS_MISMATCH' } })
  })
  it('fails when verify refuses the user', async () => {
    const h = await createLaunchHarness()
    const { state, nonce } = await h.login()
    const strategy = new LtiStrategy(h.launchOptions, (_, done) => done(null, false))
    expect(await run(strategy, { id_token: await h.double.sign(h.double.launchClaims(nonce)), state }, h.browser.cookieHeader)).toEqual({ kind: 'fail' })
  })
})
