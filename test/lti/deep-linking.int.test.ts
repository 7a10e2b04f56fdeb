import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TASKS } from '@tln/lti-tool'
import { putProgram } from './catalogue-fixtures.ts'
import { startPlatformSimulator, type NextLaunch, type PlatformSimulator } from './platform-simulator.ts'
import { expectRefusalPage, formLaunch } from './lti-pages-helpers.ts'
import { connectSimulator, formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'
import { CookieJar } from './cookie-jar.ts'

/**
 * Deep Linking 2.0 end to end: the platform's LtiDeepLinkingRequest opens TLN's picker, the
 * teacher-trainer picks a task, and the platform receives a signed LtiDeepLinkingResponse it
 * verifies with TLN's JWKS; a later launch of the link lands on the item's page.
 */
let sim: PlatformSimulator
let tln: ToolServer

const DL_SETTINGS = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'
const CONTENT_ITEMS = 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items'
const DATA = 'https://purl.imsglobal.org/spec/lti-dl/claim/data'
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/'
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/'

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer()
  await connectSimulator(sim, tln)
  // The picker's modules come from the tenant's active programs (`catalogue.ts`).
  const { tenantId } = (await tln.tool.platforms.record(sim.issuer, sim.clientId))!
  await putProgram(tln.db.knex, tenantId, { code: 'tln-2026', active: true, modules: { 'in-service-1': ['konsep-dasar-paud'], 'on-the-job-learning': ['pembelajaran-bermain'], 'in-service-2': ['kemitraan-orang-tua'] } })
})

/** A module's item id: `<program code>.<tier level>.<module code>`. */
const MODULE = 'tln-2026.dasar.konsep-dasar-paud'
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

const post = (url: string, fields: Record<string, string> | URLSearchParams) =>
  fetch(url, { method: 'POST', body: fields instanceof URLSearchParams ? fields : new URLSearchParams(fields), redirect: 'manual' })

const launch = (next: NextLaunch = {}) => formLaunch(sim, tln.url, next)

/** The platform's check of the answer (Security Framework 1.0 §5.2.3): signature by the tool JWKS, iss = client_id, aud = platform issuer. */
const verifyAnswer = (jwt: string) => jwtVerify(jwt, createRemoteJWKSet(new URL(`${tln.url}/lti/jwks`)), { algorithms: ['RS256'], issuer: sim.clientId, audience: sim.issuer })

const settings = (extra: Record<string, unknown> = {}) => ({
  deep_link_return_url: `${sim.origin}/mod/lti/contentitem_return.php?course=1`,
  accept_types: ['ltiResourceLink'], accept_presentation_document_targets: ['iframe', 'window'], accept_multiple: true, accept_lineitem: true, ...extra,
})

describe('Deep Linking 2.0 picker (Deep Linking 2.0 §4.4–4.5)', () => {
  it('opens an accessible picker of modules and tasks, Bahasa Indonesia first, without inline script', async () => {
    const { response, html } = await launch({ messageType: 'LtiDeepLinkingRequest' })
    expect(response.status).toBe(200)
    expect(html).toContain('<html lang="id">')
    expect(html).toContain('Pilih modul atau tugas TLN')
    expect(html).toContain('<legend>Modul <span lang="en">/ Modules</span></legend>')
    expect(html).toContain('<legend>Tugas kinerja <span lang="en">/ Performance tasks</span></legend>')
    for (const id of [MODULE, 'tln-2026.dasar.pembelajaran-bermain', 'tln-2026.dasar.kemitraan-orang-tua', ...DEFAULT_TASKS.map((t) => t.key)]) {
      expect(html).toContain(`value="${id}"`)
      expect(html).toContain(`<label for="item-${id}">`)
    }
    expect(html).toContain('Program tln-2026 — Diklat Berjenjang Tingkat Dasar — In-Service Learning 1')
    expect(html).toMatch(/type="checkbox"/)
    expect(html).not.toMatch(/<script>/)
    expect(html).toContain('action="/lti/deep-linking"')
    expect(formFields(html).request).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('answers with a signed response JWT that the platform verifies with the tool JWKS: ltiResourceLink items, lineItem on the graded task, no data when none was sent', async () => {
    const { html } = await launch({ messageType: 'LtiDeepLinkingRequest' })
    const request = formFields(html).request!
    const answer = await post(`${tln.url}/lti/deep-linking`, new URLSearchParams([['request', request], ['item', 'task-rpph'], ['item', MODULE]]))
    expect(answer.status).toBe(200)
    // The answer page may post to the platform, and only there besides the tool itself.
    expect(answer.headers.get('content-security-policy')).toContain(`form-action 'self' ${sim.origin}`)
    const page = await answer.text()
    expect(page).not.toMatch(/<script>/)
    expect(page).toContain('<script src="/lti/static/auto-submit.js"></script>')
    const action = formAction(page)
    expect(action).toBe(`${sim.origin}/mod/lti/contentitem_return.php?course=1`)
    const { JWT } = formFields(page)

    // The browser posts the form; the simulator (like Moodle) verifies the JWT against the tool's JWKS.
    const returned = await post(action, { JWT: JWT! })
    expect(returned.status).toBe(200)
    const received = sim.state.deepLinkReturns.at(-1)!
    expect(received.error).toBeUndefined()
    expect(received.jwt).toBe(JWT)

    // And verified here too, with every check: alg, issuer (client_id), audience (platform issuer).
    expect(decodeProtectedHeader(JWT!).alg).toBe('RS256')
    const { payload } = await jwtVerify(JWT!, createRemoteJWKSet(new URL(`${tln.url}/lti/jwks`)), { algorithms: ['RS256'], issuer: sim.clientId, audience: sim.issuer })
    expect(payload).toMatchObject({
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': sim.deploymentId,
    })
    expect(typeof payload.nonce).toBe('string')
    expect(payload[DATA]).toBeUndefined()
    const items = payload[CONTENT_ITEMS] as Array<Record<string, any>>
    expect(items).toHaveLength(2)
    const task = items.find((i) => i.custom.tln_item === 'task-rpph')!
    expect(task).toMatchObject({
      type: 'ltiResourceLink', url: `${tln.url}/lti/items/task-rpph`,
      custom: { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' },
      lineItem: { scoreMaximum: 100, resourceId: 'task-rpph', tag: 'RPPH' },
    })
    const module = items.find((i) => i.custom.tln_item === MODULE)!
    expect(module).toMatchObject({ type: 'ltiResourceLink', url: `${tln.url}/lti/items/${MODULE}`, custom: { tln_item: MODULE, tln_kind: 'module' } })
    expect(module.lineItem).toBeUndefined()

    // Single use: the same picker form cannot answer twice.
    const again = await post(`${tln.url}/lti/deep-linking`, new URLSearchParams([['request', request], ['item', 'task-rpph']]))
    expect(again.status).toBe(401)
    expect(again.headers.get('x-tln-error')).toBe('ERR_TOOL_TICKET_INVALID')
  })

  it('echoes data unchanged when the request carried it (Deep Linking 2.0 §4.4.1)', async () => {
    const { html } = await launch({ messageType: 'LtiDeepLinkingRequest', claims: { [DL_SETTINGS]: settings({ data: 'csrf-token-123' }) } })
    const answer = await (await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, item: 'task-prota' })).text()
    const { payload } = await jwtVerify(formFields(answer).JWT!, createRemoteJWKSet(new URL(`${tln.url}/lti/jwks`)), { algorithms: ['RS256'], issuer: sim.clientId, audience: sim.issuer })
    expect(payload[DATA]).toBe('csrf-token-123')
  })

  it('offers radio buttons when the platform accepts one item, and refuses two', async () => {
    const { html } = await launch({ messageType: 'LtiDeepLinkingRequest', claims: { [DL_SETTINGS]: settings({ accept_multiple: false }) } })
    expect(html).toMatch(/type="radio"/)
    const request = formFields(html).request!
    const two = await post(`${tln.url}/lti/deep-linking`, new URLSearchParams([['request', request], ['item', 'task-rpph'], ['item', 'task-rppm']]))
    expect(two.status).toBe(400)
    expect(await two.text()).toContain('hanya menerima satu item')
    const none = await post(`${tln.url}/lti/deep-linking`, { request })
    expect(none.status).toBe(400)
    expect(await none.text()).toContain('Pilih setidaknya satu')
    const one = await post(`${tln.url}/lti/deep-linking`, { request, item: 'task-rppm' })
    expect(one.status).toBe(200)
  })

  it('leaves lineItem out when the platform takes none (accept_lineitem false)', async () => {
    const { html } = await launch({ messageType: 'LtiDeepLinkingRequest', claims: { [DL_SETTINGS]: settings({ accept_lineitem: false }) } })
    const answer = await (await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, item: 'task-media' })).text()
    const { payload } = await jwtVerify(formFields(answer).JWT!, createRemoteJWKSet(new URL(`${tln.url}/lti/jwks`)), { algorithms: ['RS256'], issuer: sim.clientId, audience: sim.issuer })
    expect((payload[CONTENT_ITEMS] as Array<Record<string, unknown>>)[0]!.lineItem).toBeUndefined()
  })

  it('says so when the platform accepts no ltiResourceLink, and can still return with no items', async () => {
    const { html } = await launch({ messageType: 'LtiDeepLinkingRequest', claims: { [DL_SETTINGS]: settings({ accept_types: ['file'] }) } })
    expect(html).toContain('tidak disediakan TLN')
    expect(html).not.toContain('name="item"')
    const back = await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, cancel: '1' })
    expect(back.status).toBe(200)
    const { payload } = await jwtVerify(formFields(await back.text()).JWT!, createRemoteJWKSet(new URL(`${tln.url}/lti/jwks`)), { algorithms: ['RS256'], issuer: sim.clientId, audience: sim.issuer })
    expect(payload[CONTENT_ITEMS]).toEqual([])
  })

  it('refuses an unknown item and an unknown picker token', async () => {
    const { html } = await launch({ messageType: 'LtiDeepLinkingRequest' })
    const unknown = await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, item: 'task-nope' })
    expect(unknown.status).toBe(400)
    expect(unknown.headers.get('x-tln-error')).toBe('ERR_TOOL_BAD_REQUEST')
    const forged = await post(`${tln.url}/lti/deep-linking`, { request: 'made-up', item: 'task-rpph' })
    expect(forged.status).toBe(401)
  })
})

describe('launching a deep-linked item', () => {
  it('lands on the item page named by the custom parameters', async () => {
    const { response, html } = await launch({
      claims: {
        'https://purl.imsglobal.org/spec/lti/claim/custom': { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' },
        'https://purl.imsglobal.org/spec/lti/claim/target_link_uri': `${tln.url}/lti/items/task-rpph`,
      },
    })
    expect(response.status).toBe(200)
    expect(html).toContain('data-item="task-rpph"')
    expect(html).toContain('Rencana Pelaksanaan Pembelajaran Harian (RPPH)')
    expect(html).toContain('Siti Rahayu')
    // The session also opens the item page at its own URL.
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!
    const page = await fetch(`${tln.url}/lti/items/task-rpph`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('data-item="task-rpph"')
  })

  it('launches an item the way the platform must: its url as target_link_uri in the login initiation and in the id_token (Deep Linking 2.0 §3.2)', async () => {
    const target = `${tln.url}/lti/items/task-rpph`
    sim.state.next = { claims: { [`${LTI}target_link_uri`]: target, [`${LTI}custom`]: { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' } } }
    const browser = new CookieJar()
    const login = await browser.login(`${tln.url}/lti/login`, { ...sim.initiation(), target_link_uri: target })
    expect(login.headers.get('x-tln-error')).toBeNull()
    const auth = await (await fetch(login.headers.get('location')!)).text()
    const response = await browser.post(formAction(auth), formFields(auth))
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('data-item="task-rpph"')
  })

  it('still launches a link placed from the first, static catalogue (dbd-in-service-1): the Dasar tier\'s phase of the active program', async () => {
    const { response, html } = await launch({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/custom': { tln_item: 'dbd-in-service-1', tln_kind: 'module' } } })
    expect(response.status).toBe(200)
    expect(html).toContain('data-item="dbd-in-service-1"')
    expect(html).toContain('Diklat Berjenjang Tingkat Dasar — In-Service Learning 1')
    expect(html).toContain('Modul konsep-dasar-paud')
  })

  it('lands on a program module named by the link\'s target URL alone (a platform that drops custom parameters)', async () => {
    const { html } = await launch({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri': `${tln.url}/lti/items/${MODULE}` } })
    expect(html).toContain(`data-item="${MODULE}"`)
    expect(html).toContain('Modul konsep-dasar-paud')
  })

  it('shows the ordinary landing page for a launch naming no known item', async () => {
    const { html } = await launch({ claims: { 'https://purl.imsglobal.org/spec/lti/claim/custom': { tln_item: 'gone' } } })
    expect(html).toContain('Selamat datang')
  })
})

/** Rows a refused request must leave as they were: users, sessions, statements, spent nonces, open picker requests. */
async function counts() {
  const one = async (table: string) => Number(((await tln.db.knex(table).count({ n: '*' }).first()) as { n: number | string }).n)
  return { users: await one('lti_user'), sessions: await one('lti_session'), statements: await one('xapi_statement'), nonces: await one('lti_nonce'), pickers: await one('lti_deep_linking_request') }
}

const deepLinkingLaunch = (next: NextLaunch = {}) => launch({ messageType: 'LtiDeepLinkingRequest', ...next })

/** The request's settings without `name` (Deep Linking 2.0 §4.4.1 lists three as required). */
const settingsWithout = (name: string) => Object.fromEntries(Object.entries(settings()).filter(([key]) => key !== name))

describe('LTI certification §4.2 Deep Linking known "bad" requests: a clear 4xx page naming the claim and the rule, nothing stored', () => {
  const SECTION = 'Deep Linking 2.0 §4.4.1'
  const cases: Array<[name: string, next: () => NextLaunch, status: number, code: string, claim: string, rule: string]> = [
    ['refuses a deep linking request without deep_linking_settings (Deep Linking 2.0 §4.4.1)', () => ({ omit: [DL_SETTINGS] }), 400, 'ERR_LTI_MISSING_CLAIM', DL_SETTINGS, SECTION],
    ['refuses a deep linking request whose deep_linking_settings is no object (Deep Linking 2.0 §4.4.1)', () => ({ claims: { [DL_SETTINGS]: 'ltiResourceLink' } }), 400, 'ERR_LTI_MISSING_CLAIM', DL_SETTINGS, SECTION],
    ['refuses a deep linking request without deep_link_return_url (Deep Linking 2.0 §4.4.1)', () => ({ claims: { [DL_SETTINGS]: settingsWithout('deep_link_return_url') } }), 400, 'ERR_LTI_MISSING_CLAIM', `${DL_SETTINGS}#deep_link_return_url`, SECTION],
    ['refuses a deep_link_return_url that is no http(s) URL (Deep Linking 2.0 §4.4.1: "Fully qualified URL")', () => ({ claims: { [DL_SETTINGS]: settings({ deep_link_return_url: 'javascript:alert(1)' }) } }), 400, 'ERR_LTI_MISSING_CLAIM', `${DL_SETTINGS}#deep_link_return_url`, `an absolute http(s) URL (${SECTION})`],
    ['refuses a relative deep_link_return_url (Deep Linking 2.0 §4.4.1: "Fully qualified URL")', () => ({ claims: { [DL_SETTINGS]: settings({ deep_link_return_url: '/mod/lti/contentitem_return.php' }) } }), 400, 'ERR_LTI_MISSING_CLAIM', `${DL_SETTINGS}#deep_link_return_url`, `an absolute http(s) URL (${SECTION})`],
    ['refuses a deep linking request without accept_types (Deep Linking 2.0 §4.4.1)', () => ({ claims: { [DL_SETTINGS]: settingsWithout('accept_types') } }), 400, 'ERR_LTI_MISSING_CLAIM', `${DL_SETTINGS}#accept_types`, SECTION],
    ['refuses accept_types that is no array (Deep Linking 2.0 §4.4.1: "An array of types")', () => ({ claims: { [DL_SETTINGS]: settings({ accept_types: 'ltiResourceLink' }) } }), 400, 'ERR_LTI_MISSING_CLAIM', `${DL_SETTINGS}#accept_types`, `an array of strings (${SECTION})`],
    ['refuses a deep linking request without accept_presentation_document_targets (Deep Linking 2.0 §4.4.1)', () => ({ claims: { [DL_SETTINGS]: settingsWithout('accept_presentation_document_targets') } }), 400, 'ERR_LTI_MISSING_CLAIM', `${DL_SETTINGS}#accept_presentation_document_targets`, SECTION],
    ['refuses accept_presentation_document_targets that is no array (Deep Linking 2.0 §4.4.1)', () => ({ claims: { [DL_SETTINGS]: settings({ accept_presentation_document_targets: 'iframe' }) } }), 400, 'ERR_LTI_MISSING_CLAIM', `${DL_SETTINGS}#accept_presentation_document_targets`, `an array of strings (${SECTION})`],
    ['refuses an LtiDeepLinkingResponse posted to the launch as if it were a request (Deep Linking 2.0 §4.4.2)', () => ({ claims: { [`${LTI}message_type`]: 'LtiDeepLinkingResponse' } }), 400, 'ERR_LTI_UNSUPPORTED_MESSAGE_TYPE', `${LTI}message_type`, 'Deep Linking 2.0 §4.4'],
    ['refuses a deep linking request of another LTI version (Deep Linking 2.0 §4.4.3)', () => ({ claims: { [`${LTI}version`]: '1.1.0' } }), 400, 'ERR_LTI_UNSUPPORTED_VERSION', `${LTI}version`, 'must be 1.3.0'],
    ['refuses a deep linking request without deployment_id (Deep Linking 2.0 §4.4.4)', () => ({ omit: [`${LTI}deployment_id`] }), 400, 'ERR_LTI_MISSING_CLAIM', `${LTI}deployment_id`, 'is REQUIRED'],
  ]
  it.each(cases)('%s', async (_name, next, status, code, claim, rule) => {
    const before = await counts()
    const { response, html } = await deepLinkingLaunch(next())
    expectRefusalPage(response, html, { status, code, claim, rule })
    expect(html).not.toContain('action="/lti/deep-linking"')
    expect(await counts()).toEqual(before)
  })
})

describe('deep linking requests the spec allows open the picker and can be answered (Deep Linking 2.0 §4.4)', () => {
  const cases: Array<[name: string, next: () => NextLaunch]> = [
    ['accepts a deep linking request without roles (Deep Linking 2.0 §4.4.9: optional)', () => ({ omit: [`${LTI}roles`] })],
    ['accepts a deep linking request without target_link_uri (Deep Linking 2.0 §4.4 does not list it; LTI Core 1.3 §5.3.4 asks it of resource links)', () => ({ omit: [`${LTI}target_link_uri`] })],
    ['accepts a deep linking request without context (Deep Linking 2.0 §4.4.8: optional)', () => ({ omit: [`${LTI}context`] })],
    ['accepts an empty accept_presentation_document_targets (Deep Linking 2.0 §4.6.2: "none" is an empty array)', () => ({ claims: { [DL_SETTINGS]: settings({ accept_presentation_document_targets: [] }) } })],
    ['accepts deep_linking_settings with the three required properties only (Deep Linking 2.0 §4.4.1)', () => ({ claims: { [DL_SETTINGS]: { deep_link_return_url: settings().deep_link_return_url, accept_types: ['ltiResourceLink'], accept_presentation_document_targets: ['iframe'] } } })],
  ]
  it.each(cases)('%s', async (_name, next) => {
    const { response, html } = await deepLinkingLaunch(next())
    expect(response.status).toBe(200)
    expect(html).toContain('action="/lti/deep-linking"')
    const answer = await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, item: 'task-rpph' })
    expect(answer.status).toBe(200)
    const { payload } = await verifyAnswer(formFields(await answer.text()).JWT!)
    expect((payload[CONTENT_ITEMS] as Array<Record<string, unknown>>).map((i) => i.url)).toEqual([`${tln.url}/lti/items/task-rpph`])
  })
})

describe('the message type decides between the picker and the item (LTI Core 1.3 §5.3.1; Deep Linking 2.0 §4.4.2)', () => {
  const assignments = async () => Number(((await tln.db.knex('task_assignment').count({ n: '*' }).first()) as { n: number | string }).n)

  it('opens the picker for a deep linking request whose target_link_uri, custom parameters and resource_link name a task: no item page, no assignment', async () => {
    const before = await assignments()
    const { response, html } = await deepLinkingLaunch({
      claims: {
        sub: 'dl-learner-1', [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        [`${LTI}target_link_uri`]: `${tln.url}/lti/items/task-rpph`, [`${LTI}custom`]: { tln_item: 'task-rpph', tln_kind: 'task' },
        [`${LTI}resource_link`]: { id: 'rl-dl-1' },
      },
    })
    expect(response.status).toBe(200)
    expect(html).toContain('action="/lti/deep-linking"')
    expect(html).not.toContain('data-item=')
    expect(await assignments()).toBe(before)
  })

  it('shows the item, not the picker, for a resource-link launch that also carries deep_linking_settings: no picker request stored', async () => {
    const before = await counts()
    const { response, html } = await launch({ claims: { [`${LTI}custom`]: { tln_item: MODULE, tln_kind: 'module' }, [DL_SETTINGS]: settings() } })
    expect(response.status).toBe(200)
    expect(html).toContain(`data-item="${MODULE}"`)
    expect(html).not.toContain('action="/lti/deep-linking"')
    expect((await counts()).pickers).toBe(before.pickers)
  })
})

describe('the LtiDeepLinkingResponse (Deep Linking 2.0 §4.5; Security Framework 1.0 §5.2.2 "Tool JWT")', () => {
  /** A fresh request answered with `items`: the JWT the tool's page posts to the platform. */
  async function answerWith(items: readonly string[] | 'every offered item', extra: NextLaunch = {}): Promise<string> {
    const { html } = await deepLinkingLaunch(extra)
    const offered = [...html.matchAll(/name="item" id="[^"]*" value="([^"]*)"/g)].map((m) => m[1]!)
    const chosen = items === 'every offered item' ? offered : items
    const answer = await post(`${tln.url}/lti/deep-linking`, new URLSearchParams([['request', formFields(html).request!], ...chosen.map((id) => ['item', id] as [string, string])]))
    expect(answer.status).toBe(200)
    return formFields(await answer.text()).JWT!
  }

  it('is a tool JWT the platform can check: RS256 with the kid of a key in the tool JWKS, iss = client_id, aud = the platform issuer, iat now, exp shortly after, a fresh nonce each time (Security Framework 1.0 §5.2.2, §6.3)', async () => {
    const first = await answerWith(['task-rpph'])
    const second = await answerWith([MODULE])
    const header = decodeProtectedHeader(first)
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' })
    expect(header.jku ?? header.jwk ?? header.x5u ?? header.x5c).toBeUndefined()
    const jwks = (await (await fetch(`${tln.url}/lti/jwks`)).json()) as { keys: Array<{ kid?: string }> }
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid)
    const { payload } = await verifyAnswer(first)
    const nowS = Date.now() / 1000
    expect(payload.aud).toBe(sim.issuer)
    expect(payload.iat).toBeGreaterThan(nowS - 60)
    expect(payload.iat).toBeLessThanOrEqual(nowS + 1)
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0)
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(600)
    expect(payload.azp === undefined || payload.azp === sim.issuer).toBe(true)
    expect(payload.nonce).toEqual(expect.any(String))
    expect(payload.nonce).not.toBe((await verifyAnswer(second)).payload.nonce)
  })

  it('names the request\'s deployment, LtiDeepLinkingResponse and 1.3.0, sends plain-text msg and log, and no error claims when it went well (Deep Linking 2.0 §4.5.2–4.5.10)', async () => {
    const { payload } = await verifyAnswer(await answerWith(['task-rpph', MODULE]))
    expect(payload).toMatchObject({ [`${LTI}deployment_id`]: sim.deploymentId, [`${LTI}message_type`]: 'LtiDeepLinkingResponse', [`${LTI}version`]: '1.3.0' })
    for (const claim of ['msg', 'log']) {
      expect(payload[`${DL}${claim}`]).toEqual(expect.any(String))
      expect(payload[`${DL}${claim}`]).not.toMatch(/[<>]/)
    }
    expect(payload[`${DL}errormsg`]).toBeUndefined()
    expect(payload[`${DL}errorlog`]).toBeUndefined()
  })

  it('carries well-formed ltiResourceLink items: absolute url on the tool, plain-text title, custom values all strings, a lineItem with scoreMaximum > 0 only on graded tasks (Deep Linking 2.0 §3.2)', async () => {
    const { payload } = await verifyAnswer(await answerWith('every offered item'))
    const items = payload[CONTENT_ITEMS] as Array<Record<string, any>>
    expect(items.length).toBe(3 + DEFAULT_TASKS.length)
    for (const item of items) {
      expect(item.type).toBe('ltiResourceLink')
      expect(new URL(item.url).origin).toBe(new URL(tln.url).origin)
      expect(new URL(item.url).pathname).toBe(`/lti/items/${encodeURIComponent(item.custom.tln_item)}`)
      expect(item.title).toEqual(expect.any(String))
      expect(item.title).not.toBe('')
      expect(`${item.title} ${item.text}`).not.toMatch(/[<>]/)
      expect(Object.values(item.custom).every((v) => typeof v === 'string')).toBe(true)
      if (item.custom.tln_kind === 'task') {
        expect(item.lineItem).toMatchObject({ scoreMaximum: expect.any(Number), label: expect.any(String), resourceId: item.custom.tln_item })
        expect(item.lineItem.scoreMaximum).toBeGreaterThan(0)
      } else {
        expect(item.lineItem).toBeUndefined()
      }
    }
  })

  it('answers a cancel with an empty content_items, no msg, and the request\'s data echoed (Deep Linking 2.0 §2.3, §4.5.5, §4.5.6)', async () => {
    const { html } = await deepLinkingLaunch({ claims: { [DL_SETTINGS]: settings({ data: 'cancel-data-7' }) } })
    const back = await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, cancel: '1' })
    expect(back.status).toBe(200)
    expect(formAction(await back.clone().text())).toBe(settings().deep_link_return_url)
    const { payload } = await verifyAnswer(formFields(await back.text()).JWT!)
    expect(payload[CONTENT_ITEMS]).toEqual([])
    expect(payload[`${DL}msg`]).toBeUndefined()
    expect(payload[DATA]).toBe('cancel-data-7')
  })
})
