import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { rotateToolKeys } from '../keys/rotate-tool-keys.ts'
import { createLaunchHarness } from '../testing/launch-harness.ts'
import { MemoryKeyStore } from '../testing/memory-stores.ts'
import { createLtiHandlers } from './lti-handlers.ts'

async function app() {
  const h = await createLaunchHarness()
  const keys = new MemoryKeyStore()
  await rotateToolKeys(keys, { now: h.clock.now })
  const handlers = createLtiHandlers({
    login: { platforms: h.platforms, loginStates: h.loginStates, redirectUri: h.redirectUri, now: h.now },
    launch: h.launchOptions,
    keys,
    onLaunch: (launch, _req, res) => { res.json({ sub: launch.user.sub }) },
  })
  const server = express()
  server.get('/lti/login', handlers.login)
  server.post('/lti/login', handlers.login)
  server.post('/lti/launch', handlers.launch)
  server.get('/lti/jwks', handlers.jwks)
  server.use(handlers.errors)
  return { h, server }
}

describe('createLtiHandlers (Express edge)', () => {
  it('answers a POSTed login initiation (as Moodle sends it) with a redirect to the authorization endpoint', async () => {
    const { h, server } = await app()
    const response = await request(server).post('/lti/login').type('form')
      .send({ iss: h.double.issuer, login_hint: 'u', target_link_uri: 'https://tln.example/lti/launch', client_id: h.double.clientId })
    expect(response.status).toBe(302)
    expect(response.headers.location).toMatch(/^https:\/\/lms\.example\.org\/mod\/lti\/auth\.php\?/u)
  })
  it('runs a full login → launch round trip', async () => {
    const { h, server } = await app()
    const login = await request(server).get('/lti/login')
      .query({ iss: h.double.issuer, login_hint: 'u', target_link_uri: 'https://tln.example/lti/launch', client_id: h.double.clientId })
    const auth = new URL(login.headers.location ?? '')
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0]!
    expect(cookie).toMatch(/^__Host-lti_state_[\w-]{22}=[\w-]{43}; Path=\/; Max-Age=300; HttpOnly; Secure; SameSite=None; Partitioned$/u)
    const idToken = await h.double.sign(h.double.launchClaims(auth.searchParams.get('nonce') ?? ''))
    const launch = await request(server).post('/lti/launch').set('Cookie', cookie.split(';')[0]!).type('form').send({ id_token: idToken, state: auth.searchParams.get('state') })
    expect(launch.body).toEqual({ sub: 'user-17' })
    // The spent state's cookie is deleted.
    expect(launch.headers['set-cookie']).toEqual([expect.stringMatching(/^__Host-lti_state_[\w-]{22}=; Path=\/; Max-Age=0;/u)])
  })
  it('refuses a launch without the state cookie as not bound, and leaves the state unconsumed (RFC 6749 §10.12)', async () => {
    const { h, server } = await app()
    const login = await request(server).get('/lti/login')
      .query({ iss: h.double.issuer, login_hint: 'u', target_link_uri: 'https://tln.example/lti/launch', client_id: h.double.clientId })
    const auth = new URL(login.headers.location ?? '')
    const idToken = await h.double.sign(h.double.launchClaims(auth.searchParams.get('nonce') ?? ''))
    const launch = await request(server).post('/lti/launch').type('form').send({ id_token: idToken, state: auth.searchParams.get('state') })
    expect(launch.status).toBe(401)
    expect(launch.body.error).toBe('ERR_LTI_STATE_NOT_BOUND')
    expect(h.loginStates.states.has(auth.searchParams.get('state')!)).toBe(true)
  })
  it('maps a failed check to its status through the one table, with the code', async () => {
    const { server } = await app()
    const response = await request(server).post('/lti/launch').type('form').send({ id_token: 'a.b.c', state: 's' })
    expect(response.status).toBe(401)
    expect(response.body.error).toBe('ERR_LTI_MALFORMED_TOKEN')
  })
  it('publishes the JWKS', async () => {
    const { server } = await app()
    const response = await request(server).get('/lti/jwks')
    expect(response.body.keys[0]).toMatchObject({ alg: 'RS256', use: 'sig', kty: 'RSA' })
  })
})
