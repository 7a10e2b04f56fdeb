import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformRecord } from '../../src/index.ts'
import { Browser, smallTree, startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { csrfOf, launchSession, signIn, type SessionBrowser } from './admin-helpers.ts'

const FORM = {
  issuer: 'https://moodle.example.org', clientId: 'client-1', authorizationEndpoint: 'https://moodle.example.org/mod/lti/auth.php',
  tokenEndpoint: 'https://moodle.example.org/mod/lti/token.php', jwksUri: 'https://moodle.example.org/mod/lti/certs.php', deploymentIds: '1',
}

/**
 * The platforms admin page (issue 4: the third way to register an LMS, beside Dynamic Registration
 * and `tln platform add`): who may use it, every form rule, CSRF, confirmations, tenancy.
 */
describe(`/lti/admin/platforms on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  let admin: Browser
  let otherPlatform: PlatformRecord
  let pending: PlatformRecord

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    otherPlatform = await s.tool.platforms.add({ tenant: 'other', status: 'active', registeredBy: 'cli', deploymentIds: ['x-1'], platform: { ...endpoints('https://other-lms.example.org'), clientId: 'other-client' } })
    pending = await s.tool.platforms.add({ status: 'pending', registeredBy: 'dynamic', deploymentIds: ['dyn-1'], platform: { ...endpoints('https://dyn-lms.example.org'), clientId: 'dyn-client' } })
    admin = await signIn(s, { tenantId: tree.tenantId, email: 'admin@example.org', role: 'admin' })
  })
  afterAll(async () => { await s?.close() })

  const platformRows = async () => (await s.db.knex('lti_platform').select('issuer', 'client_id', 'status').orderBy(['issuer', 'client_id'])) as unknown[]
  const deploymentRows = async () => (await s.db.knex('lti_deployment').select('platform_id', 'deployment_id').orderBy(['platform_id', 'deployment_id'])) as unknown[]
  async function postForm(b: Browser | SessionBrowser, path: string, form: Record<string, string>) {
    const page = await b.request('/lti/admin/platforms')
    return b.request(path, { form: { csrf: csrfOf(page.text), ...form } })
  }

  describe('access', () => {
    it('answers 401 without a session', async () => {
      const res = await fetch(`${s.url}/lti/admin/platforms`)
      expect(res.status).toBe(401)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_NOT_SIGNED_IN')
    })
    it('refuses a district admin (admin of a subtree, not of the tenant) with 403', async () => {
      const dinas = await signIn(s, { tenantId: tree.tenantId, email: 'dinas@example.org', role: 'district-admin', nodeId: tree.d1.id })
      const res = await dinas.request('/lti/admin/platforms')
      expect(res.status).toBe(403)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_FORBIDDEN')
    })
    it('refuses an LTI facilitator with 403, and lets an LMS administrator\'s launch in', async () => {
      const facilitator = await launchSession(s, { tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 'f-1', name: 'Dewi', role: 'facilitator', grant: { role: 'facilitator', node: tree.praya } })
      expect((await facilitator.request('/lti/admin/platforms')).status).toBe(403)
      const lmsAdmin = await launchSession(s, { tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 'a-1', name: 'Admin LMS', role: 'admin' })
      expect((await lmsAdmin.request('/lti/admin/platforms')).status).toBe(200)
    })
  })

  describe('the page', () => {
    it('lists the tenant\'s platforms only, with status, issuer, client ID, deployments and endpoints', async () => {
      const res = await admin.request('/lti/admin/platforms')
      expect(res.status).toBe(200)
      expect(res.text).toContain('dyn-lms.example.org')
      expect(res.text).toContain('dyn-client')
      expect(res.text).toContain('dyn-1')
      expect(res.text).toContain('https://dyn-lms.example.org/mod/lti/token.php')
      expect(res.text).toContain('Menunggu aktivasi')
      expect(res.text).not.toContain('other-lms.example.org')
    })
    it('shows the tool URLs to paste into the LMS: login, launch, JWKS, config.json, register', async () => {
      const text = (await admin.request('/lti/admin/platforms')).text
      for (const path of ['/lti/login', '/lti/launch', '/lti/jwks', '/lti/config.json', '/lti/register']) expect(text).toContain(`${s.url}${path}`)
    })
    it('is in Bahasa Indonesia first, has no script, and may not be framed (CSP)', async () => {
      const res = await admin.request('/lti/admin/platforms')
      expect(res.text).toContain('<html lang="id">')
      expect(res.text).not.toMatch(/<script/i)
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
      expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline')
    })
  })

  describe('adding a platform', () => {
    it('stores a valid registration, active at once, with its deployments (same as tln platform add)', async () => {
      const res = await postForm(admin, '/lti/admin/platforms', { ...FORM, deploymentIds: '1\n2' })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/lti/admin/platforms?done=added')
      const record = await s.tool.platforms.record('https://moodle.example.org', 'client-1')
      expect(record).toMatchObject({ tenantId: tree.tenantId, status: 'active', deploymentIds: ['1', '2'], tokenEndpoint: FORM.tokenEndpoint })
      expect((await admin.request('/lti/admin/platforms?done=added')).text).toContain('Platform ditambahkan')
    })
    it('refuses an http:// endpoint with the field\'s error, keeps the typed values, stores nothing', async () => {
      const before = await platformRows()
      const res = await postForm(admin, '/lti/admin/platforms', { ...FORM, clientId: 'client-2', tokenEndpoint: 'http://moodle.example.org/mod/lti/token.php' })
      expect(res.status).toBe(400)
      expect(res.text).toMatch(/id="err-tokenEndpoint" data-rule="https"/)
      expect(res.text).toContain('aria-invalid="true" aria-describedby="err-tokenEndpoint"')
      expect(res.text).toContain('value="client-2"')
      expect(await platformRows()).toEqual(before)
    })
    it('names every missing required field and stores nothing', async () => {
      const before = await platformRows()
      const res = await postForm(admin, '/lti/admin/platforms', { issuer: 'https://x.example.org' })
      expect(res.status).toBe(400)
      for (const field of ['clientId', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'deploymentIds']) expect(res.text).toMatch(new RegExp(`id="err-${field}" data-rule="required"`))
      expect(res.text).not.toContain('id="err-issuer"')
      expect(await platformRows()).toEqual(before)
    })
    it('refuses an issuer + client ID registered already (also in another tenant) with 409 on both fields, storing nothing', async () => {
      const before = await platformRows()
      const mine = await postForm(admin, '/lti/admin/platforms', { ...FORM, deploymentIds: '9' })
      expect(mine.status).toBe(409)
      expect(mine.headers.get('x-tln-error')).toBe('ERR_TOOL_CONFLICT')
      expect(mine.text).toMatch(/id="err-issuer" data-rule="duplicate-registration"/)
      expect(mine.text).toMatch(/id="err-clientId" data-rule="duplicate-registration"/)
      const theirs = await postForm(admin, '/lti/admin/platforms', { ...FORM, ...endpoints('https://other-lms.example.org'), clientId: 'other-client' })
      expect(theirs.status).toBe(409)
      expect(await platformRows()).toEqual(before)
      expect((await s.tool.platforms.record('https://moodle.example.org', 'client-1'))!.deploymentIds).toEqual(['1', '2'])
    })
    it('refuses a form without the session\'s CSRF token (403) or with another session\'s, storing nothing', async () => {
      const before = await platformRows()
      const none = await admin.request('/lti/admin/platforms', { form: { ...FORM, clientId: 'client-3' } })
      expect(none.status).toBe(403)
      expect(none.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
      const lmsAdmin = await launchSession(s, { tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 'a-2', name: 'Admin 2', role: 'admin' })
      const foreignToken = csrfOf((await lmsAdmin.request('/lti/admin/platforms')).text)
      const forged = await admin.request('/lti/admin/platforms', { form: { ...FORM, clientId: 'client-3', csrf: foreignToken } })
      expect(forged.status).toBe(403)
      expect(await platformRows()).toEqual(before)
    })
  })

  describe('managing platforms', () => {
    it('activates a platform left pending by Dynamic Registration', async () => {
      const res = await postForm(admin, `/lti/admin/platforms/${pending.id}/activate`, {})
      expect(res.status).toBe(303)
      expect((await s.tool.platforms.byId(pending.id))!.status).toBe('active')
      expect(await s.tool.platforms.find(pending.issuer, pending.clientId)).toBeDefined()
    })
    it('asks for confirmation before deactivating, and deactivates only once confirmed', async () => {
      const ask = await postForm(admin, `/lti/admin/platforms/${pending.id}/deactivate`, {})
      expect(ask.status).toBe(200)
      expect(ask.text).toContain('id="tln-confirm"')
      expect(ask.text).toContain('name="confirm" value="yes"')
      expect((await s.tool.platforms.byId(pending.id))!.status).toBe('active')
      const done = await admin.request(`/lti/admin/platforms/${pending.id}/deactivate`, { form: { csrf: csrfOf(ask.text), confirm: 'yes' } })
      expect(done.status).toBe(303)
      expect((await s.tool.platforms.byId(pending.id))!.status).toBe('pending')
      // A deactivated registration starts no login (the library sees active ones only).
      expect(await s.tool.platforms.find(pending.issuer, pending.clientId)).toBeUndefined()
    })
    it('adds a deployment id, and refuses a bad one (400) without storing it', async () => {
      const bad = await postForm(admin, `/lti/admin/platforms/${pending.id}/deployments`, { deploymentId: 'two words' })
      expect(bad.status).toBe(400)
      expect(bad.text).toContain(`id="err-deployment-${pending.id}"`)
      expect((await s.tool.platforms.byId(pending.id))!.deploymentIds).toEqual(['dyn-1'])
      const good = await postForm(admin, `/lti/admin/platforms/${pending.id}/deployments`, { deploymentId: 'dyn-2' })
      expect(good.status).toBe(303)
      expect((await s.tool.platforms.byId(pending.id))!.deploymentIds).toEqual(['dyn-1', 'dyn-2'])
    })
    it('removes a deployment id only once confirmed', async () => {
      const ask = await postForm(admin, `/lti/admin/platforms/${pending.id}/deployments/remove`, { deploymentId: 'dyn-2' })
      expect(ask.status).toBe(200)
      expect(ask.text).toContain('id="tln-confirm"')
      expect((await s.tool.platforms.byId(pending.id))!.deploymentIds).toEqual(['dyn-1', 'dyn-2'])
      const done = await admin.request(`/lti/admin/platforms/${pending.id}/deployments/remove`, { form: { csrf: csrfOf(ask.text), deploymentId: 'dyn-2', confirm: 'yes' } })
      expect(done.status).toBe(303)
      expect((await s.tool.platforms.byId(pending.id))!.deploymentIds).toEqual(['dyn-1'])
    })
    it('answers another tenant\'s platform id, and a malformed id, with 404 and changes nothing', async () => {
      const rows = await platformRows()
      const deployments = await deploymentRows()
      for (const [path, form] of [
        [`/lti/admin/platforms/${otherPlatform.id}/deactivate`, { confirm: 'yes' }],
        [`/lti/admin/platforms/${otherPlatform.id}/activate`, {}],
        [`/lti/admin/platforms/${otherPlatform.id}/deployments`, { deploymentId: 'sneaky' }],
        [`/lti/admin/platforms/${otherPlatform.id}/deployments/remove`, { deploymentId: 'x-1', confirm: 'yes' }],
        ['/lti/admin/platforms/not-a-uuid/activate', {}],
      ] as const) {
        const res = await postForm(admin, path, form)
        expect(res.status, path).toBe(404)
      }
      expect(await platformRows()).toEqual(rows)
      expect(await deploymentRows()).toEqual(deployments)
    })
  })
})

function endpoints(issuer: string) {
  return { issuer, authorizationEndpoint: `${issuer}/mod/lti/auth.php`, tokenEndpoint: `${issuer}/mod/lti/token.php`, jwksUri: `${issuer}/mod/lti/certs.php` }
}
