import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TASKS } from '@tln/lti-tool'
import { putProgram } from './catalogue-fixtures.ts'
import { startPlatformSimulator, type NextLaunch, type PlatformSimulator } from './platform-simulator.ts'
import { formLaunch } from './lti-pages-helpers.ts'
import { connectSimulator, formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'

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
