import { generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { DbLoginStateStore, launchRegistration } from '@tln/lti-tool'
import { stateCookieHash, stateCookieName } from '@tln/lti-v1p3'
import { startPlatformSimulator, type NextLaunch, type PlatformSimulator } from './platform-simulator.ts'
import { CookieJar } from './cookie-jar.ts'
import { connectSimulator, formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * End-to-end LTI 1.3 flows over real HTTP: the TLN server (apps/server's app with the tool at
 * `/lti`) against the platform simulator, on PGlite and PostgreSQL. The library unit-tests each
 * check; here the HTTP flow is tested: statuses, pages, cookies, and that a refused launch
 * changes nothing.
 */
let sim: PlatformSimulator
let tln: ToolServer

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer()
  await connectSimulator(sim, tln)
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', headers })

/**
 * Login initiation → cookie check → authorization endpoint → the form the platform posts back (not
 * yet posted), and `cookie`: what the browser that started the login sends to the launch URL (its
 * state cookie).
 */
async function authorize(next: NextLaunch = {}, initiation: Record<string, string> = sim.initiation(), browser = new CookieJar()) {
  sim.state.next = next
  const login = await browser.post(`${tln.url}/lti/login`, initiation)
  expect(login.status).toBe(303)
  const check = await browser.fetch(new URL(login.headers.get('location')!, tln.url).href)
  expect(check.status).toBe(302)
  const auth = await fetch(check.headers.get('location')!)
  expect(auth.status).toBe(200)
  const html = await auth.text()
  const action = formAction(html)
  return { action, fields: formFields(html), cookie: browser.header(action), login, check }
}

async function launch(next: NextLaunch = {}) {
  const { action, fields, cookie } = await authorize(next)
  const response = await post(action, fields, { cookie })
  return { response, html: await response.text(), fields }
}

/** The login initiation of the page's "open in a new window" link. */
const restartOf = (html: string) => Object.fromEntries(new URL(/id="tln-restart-login"[^>]* href="([^"]+)"/.exec(html)![1]!.replace(/&#38;/g, '&'), tln.url).searchParams)

const stateRows = async (state: string) => tln.db.knex('lti_login_state').where({ state_hash: createHash('sha256').update(state).digest('base64url') }).count({ n: '*' }).first().then((r) => Number((r as { n: number | string }).n))

async function counts() {
  const one = async (table: string) => Number(((await tln.db.knex(table).count({ n: '*' }).first()) as { n: number | string }).n)
  return { users: await one('lti_user'), sessions: await one('lti_session'), statements: await one('xapi_statement'), nonces: await one('lti_nonce') }
}

async function launchedStatements() {
  const { secret, credential } = await tln.lrs.credentials.create({ scopes: ['all/read'] })
  const response = await fetch(`${tln.url}/xapi/statements?verb=${encodeURIComponent('http://adlnet.gov/expapi/verbs/launched')}`, {
    headers: { authorization: `Basic ${Buffer.from(`${credential.key}:${secret}`).toString('base64')}`, 'x-experience-api-version': '1.0.3' },
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { statements: Array<Record<string, any>> }).statements
}

describe('resource-link launch (LTI Core 1.3 §5; Security Framework 1.0 §5.1)', () => {
  it('sends the authentication request with exactly the spec parameters and lti_message_hint unaltered (as Moodle requires)', async () => {
    await authorize()
    const sent = sim.state.authRequests.at(-1)!
    expect(Object.keys(sent).sort()).toEqual(['client_id', 'login_hint', 'lti_message_hint', 'nonce', 'prompt', 'redirect_uri', 'response_mode', 'response_type', 'scope', 'state'])
    expect(sent.lti_message_hint).toBe(sim.state.messageHint)
    expect(sent.redirect_uri).toBe(`${tln.url}/lti/launch`)
  })

  it('lands on the TLN page signed in, with a database session cookie, and the launch is an xAPI statement', async () => {
    const before = await counts()
    const { response, html } = await launch()
    expect(response.status).toBe(200)
    expect(html).toContain('Selamat datang, Siti Rahayu')
    expect(html).toContain('Pelatihan PAUD')
    expect(html).toContain('Guru (peserta)')
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tln_session='))!
    expect(cookie).toMatch(/^tln_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Max-Age=\d+; SameSite=Lax$/)
    // Framed by the LMS: the server-wide "no framing, no script" headers are replaced on tool pages.
    expect(response.headers.get('x-frame-options')).toBeNull()
    expect(response.headers.get('content-security-policy')).toContain('frame-ancestors *')
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(html).not.toMatch(/<script>/)

    const sessionCookie = cookie.split(';')[0]!
    const home = await fetch(`${tln.url}/lti/home`, { headers: { cookie: sessionCookie } })
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Siti Rahayu')
    expect(await (await fetch(`${tln.url}/lti/session`, { headers: { cookie: sessionCookie } })).json()).toEqual({ signedIn: true, role: 'teacher' })
    const stored = await tln.db.knex('lti_session').select('id_hash')
    expect(stored.map((r: { id_hash: string }) => r.id_hash)).not.toContain(sessionCookie.split('=')[1])

    const after = await counts()
    expect(after.users).toBe(before.users + 1)
    expect(after.statements).toBe(before.statements + 1)
    const record = (await tln.tool.platforms.record(sim.issuer, sim.clientId))!
    const [statement] = await launchedStatements()
    expect(statement).toMatchObject({
      actor: { account: { homePage: sim.issuer, name: 'user-17' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/launched' },
      object: { objectType: 'Activity', id: `${tln.url}/lti/platforms/${record.id}/resource-links/rl-1` },
      context: { registration: launchRegistration(record.id, 'course-1', 'user-17') },
      authority: { account: { name: 'lti-tool.default' } },
    })
  })

  it('matches the user by (issuer, sub) on the next launch, updates the name, and keeps the registration', async () => {
    sim.state.user = { ...sim.state.user, name: 'Siti Rahayu, S.Pd.' }
    try {
      const { response } = await launch()
      expect(response.status).toBe(200)
      const users = await tln.db.knex('lti_user').where({ issuer: sim.issuer, sub: 'user-17' })
      expect(users).toHaveLength(1)
      expect(users[0].name).toBe('Siti Rahayu, S.Pd.')
      const statements = await launchedStatements()
      expect(new Set(statements.map((s) => s.context.registration)).size).toBe(1)
    } finally {
      sim.state.user = { ...sim.state.user, name: 'Siti Rahayu' }
    }
  })

  it('maps Instructor to facilitator', async () => {
    const { html } = await launch({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] } })
    expect(html).toContain('Fasilitator')
  })

  it('opens the LMS platforms page from the framed menu through a session hand-off (the page refuses framing; test/security/session-handoff)', async () => {
    const { html } = await launch({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator'] } })
    expect(html).toMatch(/<form method="post" action="\/lti\/session\/handoff"><input type="hidden" name="csrf" value="[\w-]{43}"><input type="hidden" name="target" value="\/lti\/admin\/platforms"><button type="submit" id="tln-platforms-link">/)
    expect(html).toContain('jendela baru')
  })

  it('offers "open in a new window" with a single-use ticket that opens a first-party session', async () => {
    const { html } = await launch()
    expect(html).toContain('id="tln-new-window"')
    const ticket = formFields(html).ticket!
    const opened = await post(`${tln.url}/lti/continue`, { ticket })
    expect(opened.status).toBe(303)
    expect(opened.headers.get('location')).toBe('/lti/home')
    const home = await fetch(`${tln.url}/lti/home`, { headers: { cookie: opened.headers.get('set-cookie')!.split(';')[0]! } })
    expect(home.status).toBe(200)
    const again = await post(`${tln.url}/lti/continue`, { ticket })
    expect(again.status).toBe(401)
    expect(again.headers.get('x-tln-error')).toBe('ERR_TOOL_TICKET_INVALID')
  })

  it('refuses a new-window ticket posted from another site, before spending it (login CSRF; Fetch Metadata: Sec-Fetch-Site)', async () => {
    const { html } = await launch()
    const ticket = formFields(html).ticket!
    // An attacker's own ticket, auto-posted by their page, would sign the victim into the attacker's account.
    const forged = await post(`${tln.url}/lti/continue`, { ticket }, { 'sec-fetch-site': 'cross-site' })
    expect(forged.status).toBe(403)
    expect(forged.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
    expect(forged.headers.get('set-cookie')).toBeNull()
    const opened = await post(`${tln.url}/lti/continue`, { ticket }, { 'sec-fetch-site': 'same-origin' })
    expect(opened.status).toBe(303)
  })

  it('answers /lti/home without a session with a plain-language 401 page', async () => {
    const response = await fetch(`${tln.url}/lti/home`)
    expect(response.status).toBe(401)
    const html = await response.text()
    expect(html).toContain('Anda belum masuk')
    expect(html).toContain('You are not signed in')
    expect(html).toMatch(/id="tln-error-ref">[0-9A-F]{10}</)
  })
})

describe('refused launches get a clear page and change nothing (Security Framework 1.0 §5.1.3)', () => {
  const otherKey = generateKeyPair('RS256')
  const cases: Array<[string, () => Promise<NextLaunch>, number, string]> = [
    ['wrong iss', async () => ({ claims: { iss: 'https://evil.example' } }), 401, 'ERR_LTI_ISS_MISMATCH'],
    ['wrong aud', async () => ({ claims: { aud: 'someone-else' } }), 401, 'ERR_LTI_AUD_MISMATCH'],
    ['aud array with a foreign azp', async () => ({ claims: { aud: ['tln-client-1', 'other'], azp: 'other' } }), 401, 'ERR_LTI_AZP_MISMATCH'],
    ['an expired token (60 s lifetime, 2 minutes old)', async () => ({ shiftS: -120 }), 401, 'ERR_LTI_TOKEN_EXPIRED'],
    ['iat in the future', async () => ({ shiftS: 600 }), 401, 'ERR_LTI_IAT_IN_FUTURE'],
    ['an unknown deployment', async () => ({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'deployment-9' } }), 403, 'ERR_LTI_UNKNOWN_DEPLOYMENT'],
    ['alg none', async () => ({ forge: 'alg-none' }), 401, 'ERR_LTI_ALG_NOT_ALLOWED'],
    ['HS256 with the public key as secret', async () => ({ forge: 'hs256-public-key' }), 401, 'ERR_LTI_ALG_NOT_ALLOWED'],
    ['an unknown kid', async () => ({ header: { kid: 'not-published' }, key: (await otherKey).privateKey }), 401, 'ERR_LTI_UNKNOWN_KID'],
    ['a tampered payload', async () => ({ forge: 'tampered-payload' }), 401, 'ERR_LTI_SIGNATURE_INVALID'],
    ['a missing resource_link claim', async () => ({ omit: ['https://purl.imsglobal.org/spec/lti/claim/resource_link'] }), 400, 'ERR_LTI_MISSING_CLAIM'],
    ['a wrong LTI version', async () => ({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/version': '1.1.0' } }), 400, 'ERR_LTI_UNSUPPORTED_VERSION'],
    // Deep Linking 2.0 §4.4.1: the response is posted to deep_link_return_url; refused at launch, not when the picker answers.
    // Each was a 500 after part of the launch was written (the user row, or the PostgreSQL error itself).
    ['exp past the end of the calendar (RFC 7519 §2 NumericDate)', async () => ({ claims: { exp: 1e300 } }), 400, 'ERR_LTI_INVALID_CLAIM'],
    ['a NUL in the resource link title (RFC 8259 §8.2)', async () => ({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/resource_link': { id: 'rl-1', title: 'Modul\u0000' } } }), 400, 'ERR_LTI_INVALID_CLAIM'],
    ['an unpaired surrogate in the name (RFC 8259 §8.2)', async () => ({ claims: { name: 'Siti \uD800' } }), 400, 'ERR_LTI_INVALID_CLAIM'],
    ['a sub over 255 characters (LTI Core 1.3 §5.3.6)', async () => ({ claims: { sub: Array.from({ length: 40 }, (_, i) => `${i}-${Math.random().toString(36)}`).join('') } }), 400, 'ERR_LTI_INVALID_CLAIM'],
    ['an AGS line items URL that is not http(s) (AGS 2.0 §3.1)', async () => ({ claims: { 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': { scope: [], lineitems: 'file:///etc/passwd' } } }), 400, 'ERR_LTI_INVALID_CLAIM'],
    ['a deep-linking request whose deep_link_return_url is not an absolute URL', async () => ({
      messageType: 'LtiDeepLinkingRequest',
      claims: { 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': { deep_link_return_url: 'contentitem_return.php', accept_types: ['ltiResourceLink'], accept_presentation_document_targets: ['iframe'] } },
    }), 400, 'ERR_LTI_MISSING_CLAIM'],
  ]
  it.each(cases)('refuses %s', async (_name, next, status, code) => {
    const before = await counts()
    const { response, html } = await launch(await next())
    expect(response.status).toBe(status)
    expect(response.headers.get('x-tln-error')).toBe(code)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(html).toContain('Maaf, terjadi masalah')
    expect(html).toMatch(/id="tln-error-ref">[0-9A-F]{10}</)
    expect(html).not.toContain(code)
    expect(await counts()).toEqual(before)
  })

  it('names the unknown deployment and the platform on the refusal page, for the operator to add (LTI Core 1.3 §5.3.3; Canvas registers without a deployment)', async () => {
    const { html } = await launch({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'deployment-<9>' } })
    expect(html).toContain('deployment ID &#34;deployment-&#60;9&#62;&#34;')
    expect(html).toContain(`LMS platform ${sim.issuer} (client ID ${sim.clientId})`)
    expect(html).toContain('ID deployment &#34;deployment-&#60;9&#62;&#34;')
  })

  it('refuses a launch for another registered deployment than its login named (LTI Core 1.3 §4.1.2), changing nothing', async () => {
    await tln.tool.platforms.addDeployment(sim.issuer, sim.clientId, 'deployment-2')
    expect(sim.initiation().lti_deployment_id).toBe(sim.deploymentId)
    const before = await counts()
    const { response } = await launch({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'deployment-2' } })
    expect(response.status).toBe(401)
    expect(response.headers.get('x-tln-error')).toBe('ERR_LTI_DEPLOYMENT_MISMATCH')
    expect(await counts()).toEqual(before)
  })

  it('refuses a replayed launch form (state is single use)', async () => {
    const { action, fields, cookie } = await authorize()
    expect((await post(action, fields, { cookie })).status).toBe(200)
    const before = await counts()
    const replay = await post(action, fields, { cookie })
    expect(replay.status).toBe(401)
    expect(replay.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_UNKNOWN')
    expect(await replay.text()).toContain('Silakan buka kembali')
    expect(await counts()).toEqual(before)
  })

  it('refuses a token whose nonce was already consumed, even under a fresh state (atomic nonce store)', async () => {
    const { action, fields, cookie } = await authorize()
    expect((await post(action, fields, { cookie })).status).toBe(200)
    const nonce = sim.state.authRequests.at(-1)!.nonce!
    // A second live login carrying the same nonce, bound to this browser: only the nonce store can stop the replay now.
    await new DbLoginStateStore(tln.db.knex).save('forged-state', { nonce, iss: sim.issuer, clientId: sim.clientId, targetLinkUri: `${tln.url}/lti/launch`, expiresAt: Date.now() + 60_000, cookieHash: stateCookieHash('forged-cookie') })
    const before = await counts()
    const replay = await post(action, { id_token: fields.id_token!, state: 'forged-state' }, { cookie: `${stateCookieName('forged-state', `${tln.url}/lti/launch`)}=forged-cookie` })
    expect(replay.status).toBe(401)
    expect(replay.headers.get('x-tln-error')).toBe('ERR_LTI_NONCE_REPLAYED')
    expect(await counts()).toEqual(before)
  })

  it('refuses a state that this tool never issued, and a state of another login (nonce mismatch)', async () => {
    const a = await authorize()
    const b = await authorize()
    const before = await counts()
    const unknown = await post(a.action, { id_token: a.fields.id_token!, state: 'made-up' }, { cookie: a.cookie })
    expect(unknown.status).toBe(401)
    expect(unknown.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_UNKNOWN')
    const swapped = await post(a.action, { id_token: a.fields.id_token!, state: b.fields.state! }, { cookie: b.cookie })
    expect(swapped.status).toBe(401)
    expect(swapped.headers.get('x-tln-error')).toBe('ERR_LTI_NONCE_MISMATCH')
    expect(await counts()).toEqual(before)
  })

  it('refuses a login initiation from an unknown platform with 400', async () => {
    const response = await post(`${tln.url}/lti/login`, { ...sim.initiation(), client_id: 'unknown' })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-tln-error')).toBe('ERR_LTI_UNKNOWN_PLATFORM')
    expect(await response.text()).toContain('belum terdaftar')
  })

  it('refuses at login an lti_deployment_id the platform has not registered, with the launch\'s 403 page, before the platform is asked (LTI Core 1.3 §4.1.2; §5.3.3)', async () => {
    const asked = sim.state.authRequests.length
    const logins = Number(((await tln.db.knex('lti_login_state').count({ n: '*' }).first()) as { n: number | string }).n)
    const response = await post(`${tln.url}/lti/login`, { ...sim.initiation(), lti_deployment_id: 'deployment-<9>' })
    expect(response.status).toBe(403)
    expect(response.headers.get('x-tln-error')).toBe('ERR_LTI_UNKNOWN_DEPLOYMENT')
    expect(response.headers.get('set-cookie')).toBeNull()
    const html = await response.text()
    expect(html).toContain('deployment ID &#34;deployment-&#60;9&#62;&#34;')
    expect(html).toContain(`LMS platform ${sim.issuer} (client ID ${sim.clientId})`)
    expect(sim.state.authRequests.length).toBe(asked)
    expect(Number(((await tln.db.knex('lti_login_state').count({ n: '*' }).first()) as { n: number | string }).n)).toBe(logins)
    // The registered deployment still logs in (the launch's rule, not a stricter one).
    expect((await post(`${tln.url}/lti/login`, { ...sim.initiation(), lti_deployment_id: sim.deploymentId })).status).toBe(303)
  })
})

describe('the login is bound to the browser that started it (login CSRF; Security Framework 1.0 §5.1.1, OIDC Core 1.0 §3.1.2.1, RFC 6749 §10.12)', () => {
  it('sets a state cookie of its own at login: HttpOnly, Secure, SameSite=None, Partitioned, Path=/lti/launch, Max-Age of the state (loopback http is a secure context)', async () => {
    const a = await authorize()
    const b = await authorize()
    const [cookie] = a.login.headers.getSetCookie()
    expect(cookie).toMatch(/^lti_state_[\w-]{22}=[\w-]{43}; Path=\/lti\/launch; Max-Age=300; HttpOnly; Secure; SameSite=None; Partitioned$/)
    expect(a.cookie.split('=')[0]).not.toBe(b.cookie.split('=')[0])
  })

  it('accepts the launch with the matching cookie, and deletes the cookie of the spent state', async () => {
    const { action, fields, cookie } = await authorize()
    const response = await post(action, fields, { cookie })
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie()).toContainEqual(expect.stringMatching(new RegExp(`^${cookie.split('=')[0]}=; Path=/lti/launch; Max-Age=0;`)))
  })

  it('refuses a launch without the cookie and without platform storage: 401 ERR_LTI_STATE_NOT_BOUND, state not consumed, nothing written, a page offering a new window', async () => {
    const { action, fields, cookie } = await authorize()
    const before = await counts()
    // The attacker's own id_token and state, posted from the victim's browser (which has no cookie of that login).
    const refused = await post(action, fields)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_NOT_BOUND')
    expect(refused.headers.getSetCookie()).toEqual([])
    const html = await refused.text()
    expect(html).toContain('jendela baru')
    expect(html).toContain('Open TLN in a new window')
    expect(html).toMatch(/<a id="tln-restart-login" class="button" href="\/lti\/login\?[^"]+" target="_blank" rel="noopener">/)
    expect(restartOf(html)).toEqual({
      iss: sim.issuer, login_hint: 'user-17', target_link_uri: `${tln.url}/lti/launch`, client_id: sim.clientId,
      lti_message_hint: sim.state.messageHint, lti_deployment_id: sim.deploymentId,
    })
    expect(html).not.toMatch(/<script>/)
    expect(await counts()).toEqual(before)
    expect(await stateRows(fields.state!)).toBe(1)
    // Not consumed: the browser that started the login can still complete it.
    expect((await post(action, fields, { cookie })).status).toBe(200)
  })

  it('refuses the state cookie of another login', async () => {
    const a = await authorize()
    const b = await authorize()
    const refused = await post(a.action, a.fields, { cookie: b.cookie })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_NOT_BOUND')
    // The other login's value under this login's cookie name does not match either.
    const tossed = await post(a.action, a.fields, { cookie: `${a.cookie.split('=')[0]}=${b.cookie.split('=')[1]}` })
    expect(tossed.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_NOT_BOUND')
    expect(await stateRows(a.fields.state!)).toBe(1)
  })

  it('restarts the login from the new-window offer and lands signed in (end to end)', async () => {
    const { action, fields } = await authorize()
    const refused = await (await post(action, fields)).text()
    const restart = restartOf(refused)
    // The new window: a top-level GET of the same initiation, where the state cookie is first-party.
    const again = await authorize({}, restart)
    expect(sim.state.authRequests.at(-1)!.lti_message_hint).toBe(sim.state.messageHint)
    const landed = await post(again.action, again.fields, { cookie: again.cookie })
    expect(landed.status).toBe(200)
    expect(await landed.text()).toContain('Selamat datang, Siti Rahayu')
  })
})

describe('the state cookie is tested before the platform is asked (cookie check; Security Framework 1.0 §5.1.1.1–5.1.1.2, OIDC Core 1.0 §3.1.2.1)', () => {
  const checkUrlOf = (login: Response) => new URL(login.headers.get('location')!, tln.url)

  it('a browser that keeps cookies: one extra same-origin 303 to the check, then the authentication request (§5.1.1.2), and the launch lands', async () => {
    const browser = new CookieJar()
    const authRequests = sim.state.authRequests.length
    const login = await browser.post(`${tln.url}/lti/login`, sim.initiation())
    expect(login.status).toBe(303)
    const checkUrl = checkUrlOf(login)
    expect(checkUrl.origin + checkUrl.pathname).toBe(`${tln.url}/lti/launch/check`)
    expect([...checkUrl.searchParams.keys()]).toEqual(['s'])
    // Only the state cookie, whose Path=/lti/launch also covers the check: the platform has not been asked yet.
    expect(login.headers.getSetCookie()).toEqual([expect.stringMatching(/^lti_state_[\w-]{22}=[\w-]{43}; Path=\/lti\/launch; /)])
    expect(browser.header(checkUrl.href)).toMatch(/^lti_state_/)
    expect(sim.state.authRequests.length).toBe(authRequests)

    const check = await browser.fetch(checkUrl.href)
    expect(check.status).toBe(302)
    const auth = new URL(check.headers.get('location')!)
    expect(auth.origin + auth.pathname).toBe(`${new URL(sim.issuer).origin}/mod/lti/auth.php`)
    expect(check.headers.getSetCookie()).toEqual(['lti_cookies_ok=1; Path=/lti/login; Max-Age=2592000; HttpOnly; Secure; SameSite=None; Partitioned'])
    const html = await (await fetch(auth.href)).text()
    expect(sim.state.authRequests.length).toBe(authRequests + 1)
    // Exactly the spec parameters, lti_message_hint unaltered, state as saved at login.
    expect(Object.keys(sim.state.authRequests.at(-1)!).sort()).toEqual(['client_id', 'login_hint', 'lti_message_hint', 'nonce', 'prompt', 'redirect_uri', 'response_mode', 'response_type', 'scope', 'state'])
    expect(sim.state.authRequests.at(-1)!.lti_message_hint).toBe(sim.state.messageHint)
    const landed = await browser.post(formAction(html), formFields(html))
    expect(landed.status).toBe(200)
    expect(await landed.text()).toContain('Selamat datang')
  })

  it('skips the check for a browser that passed it before (its cookies-work cookie comes back to /lti/login)', async () => {
    const browser = new CookieJar()
    await authorize({}, sim.initiation(), browser)
    const login = await browser.post(`${tln.url}/lti/login`, sim.initiation())
    expect(login.status).toBe(302)
    expect(new URL(login.headers.get('location')!).pathname).toBe('/mod/lti/auth.php')
    const html = await (await fetch(login.headers.get('location')!)).text()
    // The launch-time cookie check still runs (defence in depth): with the cookie it lands, without it it is refused.
    expect((await post(formAction(html), formFields(html))).headers.get('x-tln-error')).toBe('ERR_LTI_STATE_NOT_BOUND')
    expect((await browser.post(formAction(html), formFields(html))).status).toBe(200)
  })

  it('a browser that drops the cookie: the new-window page, and the platform never sees the authentication request (its lti_message_hint stays unspent)', async () => {
    const authRequests = sim.state.authRequests.length
    const login = await post(`${tln.url}/lti/login`, sim.initiation())
    expect(login.status).toBe(303)
    const state = checkUrlOf(login).searchParams.get('s')!
    const before = await counts()
    const check = await fetch(checkUrlOf(login).href, { redirect: 'manual' })
    expect(check.status).toBe(401)
    expect(check.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_NOT_BOUND')
    expect(check.headers.get('location')).toBeNull()
    expect(check.headers.getSetCookie()).toEqual([])
    const html = await check.text()
    expect(html).toContain('Open TLN in a new window')
    expect(html).toMatch(/<a id="tln-restart-login" class="button" href="\/lti\/login\?[^"]+" target="_blank" rel="noopener">/)
    expect(html).not.toMatch(/<script>/)
    expect(restartOf(html)).toEqual({
      iss: sim.issuer, login_hint: 'user-17', target_link_uri: `${tln.url}/lti/launch`, client_id: sim.clientId,
      lti_message_hint: sim.state.messageHint, lti_deployment_id: sim.deploymentId,
    })
    expect(sim.state.authRequests.length).toBe(authRequests)
    expect(await counts()).toEqual(before)
    expect(await stateRows(state)).toBe(1)
  })

  it('restarts from the new-window page and lands signed in: the platform is asked once in all, from the new window (end to end)', async () => {
    const authRequests = sim.state.authRequests.length
    // The LMS frame: no cookie comes back.
    const login = await post(`${tln.url}/lti/login`, sim.initiation())
    const refused = await (await fetch(checkUrlOf(login).href, { redirect: 'manual' })).text()
    // The new window: a top-level GET of the same initiation, where the state cookie is first-party.
    const window = new CookieJar()
    const again = await window.fetch(`${tln.url}/lti/login?${new URLSearchParams(restartOf(refused)).toString()}`)
    expect(again.status).toBe(303)
    const check = await window.fetch(checkUrlOf(again).href)
    expect(check.status).toBe(302)
    const html = await (await fetch(check.headers.get('location')!)).text()
    expect(sim.state.authRequests.length).toBe(authRequests + 1)
    expect(sim.state.authRequests.at(-1)!.lti_message_hint).toBe(sim.state.messageHint)
    const landed = await window.post(formAction(html), formFields(html))
    expect(landed.status).toBe(200)
    expect(await landed.text()).toContain('Selamat datang, Siti Rahayu')
  })

  it('answers a check without its id with 400, and an unknown, used or expired one with a clear 401 page, asking the platform nothing (§5.1.1.2 state)', async () => {
    const authRequests = sim.state.authRequests.length
    const expectRefused = async (url: string, status: number, code: string, cookie = '') => {
      const response = await fetch(url, { redirect: 'manual', headers: cookie === '' ? {} : { cookie } })
      expect(response.status).toBe(status)
      expect(response.headers.get('x-tln-error')).toBe(code)
      expect(response.headers.get('location')).toBeNull()
      const html = await response.text()
      expect(html).toContain('Maaf, terjadi masalah')
      expect(html).not.toContain('tln-restart-login')
    }
    await expectRefused(`${tln.url}/lti/launch/check`, 400, 'ERR_LTI_STATE_MISSING')
    await expectRefused(`${tln.url}/lti/launch/check?s=`, 400, 'ERR_LTI_STATE_MISSING')
    await expectRefused(`${tln.url}/lti/launch/check?s=never-issued`, 401, 'ERR_LTI_STATE_UNKNOWN')
    // Used: the launch consumed the state.
    const used = await authorize()
    expect((await post(used.action, used.fields, { cookie: used.cookie })).status).toBe(200)
    const usedCheck = new URL(used.login.headers.get('location')!, tln.url).href
    await expectRefused(usedCheck, 401, 'ERR_LTI_STATE_UNKNOWN', used.cookie)
    const afterUsed = sim.state.authRequests.length
    // Expired: the state outlived its lifetime before the check.
    const browser = new CookieJar()
    const login = await browser.post(`${tln.url}/lti/login`, sim.initiation())
    const state = checkUrlOf(login).searchParams.get('s')!
    await tln.db.knex('lti_login_state').where({ state_hash: createHash('sha256').update(state).digest('base64url') }).update({ expires_at: new Date(Date.now() - 1000) })
    await expectRefused(checkUrlOf(login).href, 401, 'ERR_LTI_STATE_EXPIRED', browser.header(checkUrlOf(login).href))
    expect(sim.state.authRequests.length).toBe(afterUsed)
    expect(afterUsed).toBe(authRequests + 1)
  })
})

describe('platform storage (LTI Client Side postMessage storage, lti_storage_target)', () => {
  /** A platform-storage login in a frame that drops cookies: the launch form and its storage check page. */
  async function storageLaunch() {
    const authRequests = sim.state.authRequests.length
    const login = await post(`${tln.url}/lti/login`, sim.initiation())
    // Unchanged by the cookie check: the put page at once, the platform not asked before it navigates.
    expect(login.status).toBe(200)
    expect(sim.state.authRequests.length).toBe(authRequests)
    const put = await login.text()
    expect(put).toContain('data-mode="put"')
    expect(put).toContain('<script src="/lti/static/storage.js"></script>')
    const authUrl = /data-next="([^"]*)"/.exec(put)![1]!.replace(/&#38;/g, '&')
    const html = await (await fetch(authUrl)).text()
    const action = formAction(html)
    const fields = formFields(html)
    const check = await post(action, fields)
    expect(check.status).toBe(200)
    expect(check.headers.get('referrer-policy')).toBe('same-origin')
    const checkHtml = await check.text()
    expect(checkHtml).toContain('data-mode="check"')
    // Should platform storage fail too, the failure note offers the same login in a new window.
    expect(checkHtml).toMatch(/<a id="lti-restart-login" href="\/lti\/login\?iss=[^"]*&#38;login_hint=user-17[^"]*" target="_blank" rel="noopener">/)
    return { action, fields, continued: formFields(checkHtml), cookie: login.headers.getSetCookie()[0]!.split(';')[0]! }
  }

  it('puts the state in platform storage at login and checks it before accepting the launch, without a cookie (LTI Client Side postMessage storage)', async () => {
    sim.state.platformStorage = true
    try {
      const { action, continued } = await storageLaunch()
      expect(continued.lti_storage_check).toBeDefined()
      const wrong = await post(action, { ...continued, lti_storage_check: 'guess' }, { 'sec-fetch-site': 'same-origin' })
      expect(wrong.status).toBe(401)
      expect(wrong.headers.get('x-tln-error')).toBe('ERR_TOOL_STORAGE_CHECK_FAILED')
      // The check page's own submit: same-origin (Fetch Metadata).
      const landed = await post(action, continued, { 'sec-fetch-site': 'same-origin' })
      expect(landed.status).toBe(200)
      expect(await landed.text()).toContain('Selamat datang')
    } finally {
      sim.state.platformStorage = false
    }
  })

  it('accepts the continue form by its Origin from a browser without Fetch Metadata', async () => {
    sim.state.platformStorage = true
    try {
      const { action, continued } = await storageLaunch()
      const landed = await post(action, continued, { origin: new URL(tln.url).origin })
      expect(landed.status).toBe(200)
    } finally {
      sim.state.platformStorage = false
    }
  })

  it('refuses a check token replayed from another site into another browser, and keeps the state (login CSRF; RFC 6749 §10.12)', async () => {
    sim.state.platformStorage = true
    try {
      // The attacker posts their own launch form, reads the check token from the page, and makes a victim's browser post it.
      const { action, fields, continued } = await storageLaunch()
      const before = await counts()
      for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'http://evil.example' }, {}] as Record<string, string>[]) {
        const replayed = await post(action, continued, headers)
        expect(replayed.status).toBe(401)
        expect(replayed.headers.get('x-tln-error')).toBe('ERR_TOOL_STORAGE_CHECK_FAILED')
      }
      expect(await counts()).toEqual(before)
      expect(await stateRows(fields.state!)).toBe(1)
    } finally {
      sim.state.platformStorage = false
    }
  })

  it('skips the storage check page when the state cookie came back (already bound)', async () => {
    sim.state.platformStorage = true
    try {
      const { action, fields, cookie } = await storageLaunch()
      const landed = await post(action, fields, { cookie })
      expect(landed.status).toBe(200)
      expect(await landed.text()).toContain('Selamat datang')
    } finally {
      sim.state.platformStorage = false
    }
  })

  it('serves the library scripts from /lti/static (no inline script anywhere)', async () => {
    for (const file of ['storage.js', 'close.js', 'session-check.js', 'tln.css']) {
      const response = await fetch(`${tln.url}/lti/static/${file}`)
      expect(response.status).toBe(200)
    }
  })
})

describe('tool keys and configuration (Security Framework 1.0 §6)', () => {
  it('publishes the JWKS with alg and use on every key, and the previous key after a rotation', async () => {
    const before = (await (await fetch(`${tln.url}/lti/jwks`)).json()) as { keys: Array<Record<string, string>> }
    expect(before.keys).toHaveLength(1)
    const { kid } = await tln.tool.rotateKeys()
    const after = (await (await fetch(`${tln.url}/lti/jwks`)).json()) as { keys: Array<Record<string, string>> }
    expect(after.keys.map((k) => k.kid)).toEqual([kid, before.keys[0]!.kid])
    for (const key of after.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
      expect(key.d).toBeUndefined()
    }
    const row = await tln.db.knex('lti_tool_key').where({ kid }).first()
    expect(row.sealed_private_key).toMatch(/^v1\./)
    expect(JSON.stringify(row)).not.toContain('"d"')
  })

  it('describes itself at /lti/config.json for manual registration', async () => {
    const config = (await (await fetch(`${tln.url}/lti/config.json`)).json()) as Record<string, unknown>
    expect(config).toMatchObject({
      oidc_initiation_url: `${tln.url}/lti/login`, target_link_uri: `${tln.url}/lti/launch`, redirect_uris: [`${tln.url}/lti/launch`],
      jwks_uri: `${tln.url}/lti/jwks`, domain: new URL(tln.url).host, dynamic_registration_url: `${tln.url}/lti/register`,
    })
  })
})

describe('Dynamic Registration (LTI Dynamic Registration 1.0 §3)', () => {
  it('registers with the platform, saves it pending, and launches once activated', async () => {
    const lms = await startPlatformSimulator()
    const tool = await startToolServer()
    try {
      lms.setTool({ loginUrl: `${tool.url}/lti/login`, redirectUri: `${tool.url}/lti/launch`, jwksUri: `${tool.url}/lti/jwks` })
      const response = await fetch(lms.registrationUrl(`${tool.url}/lti/register`))
      expect(response.status).toBe(200)
      const html = await response.text()
      expect(html).toContain('<script src="/lti/static/close.js"></script>')
      expect(html).toContain('pending')
      expect(html).toContain('Moodle')
      const [sent] = lms.double.services.registrations
      expect(sent).toMatchObject({
        response_types: ['id_token'], initiate_login_uri: `${tool.url}/lti/login`, redirect_uris: [`${tool.url}/lti/launch`],
        jwks_uri: `${tool.url}/lti/jwks`, token_endpoint_auth_method: 'private_key_jwt',
        'https://purl.imsglobal.org/spec/lti-tool-configuration': { domain: new URL(tool.url).host, target_link_uri: `${tool.url}/lti/launch` },
      })
      const record = await tool.tool.platforms.record(lms.issuer, lms.clientId)
      expect(record).toMatchObject({ status: 'pending', registeredBy: 'dynamic', deploymentIds: ['deployment-1'], tenant: 'default' })

      const pending = await post(`${tool.url}/lti/login`, lms.initiation())
      expect(pending.status).toBe(403)
      expect(pending.headers.get('x-tln-error')).toBe('ERR_TOOL_PLATFORM_PENDING')

      expect(await tool.tool.platforms.activate(lms.issuer, lms.clientId)).toBe(true)
      const browser = new CookieJar()
      const login = await browser.login(`${tool.url}/lti/login`, lms.initiation())
      const auth = await (await fetch(login.headers.get('location')!)).text()
      const landed = await browser.post(formAction(auth), formFields(auth))
      expect(landed.status).toBe(200)
      expect(await landed.text()).toContain('Selamat datang')
    } finally {
      await tool.close()
      await lms.close()
    }
  })

  it('refuses an initiation without openid_configuration', async () => {
    const response = await fetch(`${tln.url}/lti/register`)
    expect(response.status).toBe(400)
  })
})
