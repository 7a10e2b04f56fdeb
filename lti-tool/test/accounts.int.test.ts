import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCKOUT_MS } from '../src/index.ts'
import { Browser, smallTree, startOrgServer, type OrgTestServer } from './org-helpers.ts'

const PASSWORD = 'sandi-rahasia-123'

/** Local accounts: invitations, sign-in, lockout, CSRF (issue 5, "Accounts and access"). */
describe(`local accounts on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
  })
  afterAll(async () => { await s?.close() })

  /** Invite and accept through the pages; returns the browser, signed in. */
  const onboard = async (email: string, role: 'district-admin' | 'monitor' = 'district-admin') => {
    const invitation = await s.tool.accounts.invite({ tenantId: tree.tenantId, email, name: `Admin ${email}`, role, nodeId: tree.d1.id })
    const path = new URL(invitation.link).pathname
    const browser = new Browser(s.url)
    const form = await browser.request(path)
    expect(form.status).toBe(200)
    const token = path.split('/').pop()!
    const done = await browser.request('/invite', { form: { csrf: Browser.csrfOf(form.text), token, password: PASSWORD, password2: PASSWORD } })
    return { browser, done, path, token, form }
  }

  it('an invitation sets the password and signs in, once only', async () => {
    const { browser, done, path, token, form } = await onboard('ani@example.org')
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('/account')
    expect(browser.cookie('tln_session')).toBeDefined()
    const account = await browser.request('/account')
    expect(account.text).toContain('Admin ani@example.org')
    expect(account.text).toContain('Kabupaten Lombok Tengah (52.02)')
    expect((await browser.request(path)).status).toBe(401)
    const again = await browser.request('/invite', { form: { csrf: Browser.csrfOf(form.text), token, password: 'another-password', password2: 'another-password' } })
    expect(again.status).toBe(401)
    expect(again.headers.get('x-tln-error')).toBe('ERR_TOOL_TICKET_INVALID')
  })

  it('an expired invitation does nothing', async () => {
    const invitation = await s.tool.accounts.invite({ tenantId: tree.tenantId, email: 'budi@example.org', name: 'Budi', role: 'monitor', nodeId: tree.praya.id })
    const browser = new Browser(s.url)
    const path = new URL(invitation.link).pathname
    const form = await browser.request(path)
    s.advance(7 * 24 * 3_600_000 + 1)
    try {
      expect((await browser.request(path)).status).toBe(401)
      const post = await browser.request('/invite', { form: { csrf: Browser.csrfOf(form.text), token: path.split('/').pop()!, password: PASSWORD, password2: PASSWORD } })
      expect(post.status).toBe(401)
      expect((await browser.login('budi@example.org', PASSWORD)).status).toBe(401)
    } finally {
      s.advance(-(7 * 24 * 3_600_000 + 1))
    }
  })

  it('signs in with the right password, refuses a wrong one and an unknown e-mail alike, and signs out', async () => {
    await onboard('citra@example.org')
    const browser = new Browser(s.url)
    const wrong = await browser.login('citra@example.org', 'not-the-password')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('x-tln-error')).toBe('ERR_TOOL_LOGIN_FAILED')
    expect(wrong.text).toContain('Email atau kata sandi salah')
    const unknown = await browser.login('nobody@example.org', PASSWORD)
    expect(unknown.status).toBe(401)
    expect(unknown.text).toContain('Email atau kata sandi salah')
    const ok = await browser.login('CITRA@example.org', PASSWORD)
    expect(ok.status).toBe(303)
    const account = await browser.request('/account')
    expect(account.status).toBe(200)
    expect(account.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    const out = await browser.request('/logout', { form: { csrf: Browser.csrfOf(account.text) } })
    expect(out.status).toBe(303)
    expect((await browser.request('/account')).headers.get('location')).toBe('/login')
    expect(s.delays.some((d) => d > 0)).toBe(true)
  })

  it('locks the account after 5 failed logins for 15 minutes, even for the right password', async () => {
    await onboard('dewi@example.org')
    const browser = new Browser(s.url)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await browser.login('dewi@example.org', `wrong-${i}-password`)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 429])
    const locked = await browser.login('dewi@example.org', PASSWORD)
    expect(locked.status).toBe(429)
    expect(locked.headers.get('x-tln-error')).toBe('ERR_TOOL_ACCOUNT_LOCKED')
    s.advance(LOCKOUT_MS + 1_000)
    expect((await browser.login('dewi@example.org', PASSWORD)).status).toBe(303)
  })

  it('an administrator\'s reset ends the old password and lifts the lock', async () => {
    await onboard('eka@example.org')
    const reset = await s.tool.accounts.reset('eka@example.org')
    const browser = new Browser(s.url)
    expect((await browser.login('eka@example.org', PASSWORD)).status).toBe(401)
    const path = new URL(reset.link).pathname
    const form = await browser.request(path)
    const done = await browser.request('/invite', { form: { csrf: Browser.csrfOf(form.text), token: path.split('/').pop()!, password: 'a-new-password-1', password2: 'a-new-password-1' } })
    expect(done.status).toBe(303)
    expect((await new Browser(s.url).login('eka@example.org', 'a-new-password-1')).status).toBe(303)
  })

  it('refuses a form without the CSRF token (403) and signs nobody in', async () => {
    await onboard('fajar@example.org')
    const browser = new Browser(s.url)
    await browser.request('/login')
    const missing = await browser.request('/login', { form: { email: 'fajar@example.org', password: PASSWORD } })
    expect(missing.status).toBe(403)
    expect(missing.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
    // A token from another browser does not fit this browser's cookie.
    const other = new Browser(s.url)
    const foreign = Browser.csrfOf((await other.request('/login')).text)
    expect((await browser.request('/login', { form: { csrf: foreign, email: 'fajar@example.org', password: PASSWORD } })).status).toBe(403)
    expect(browser.cookie('tln_session')).toBeUndefined()
    expect((await browser.request('/logout', { form: {} })).status).toBe(403)
  })

  it('refuses a second account for the same e-mail and a district role without a scope', async () => {
    await expect(s.tool.accounts.invite({ tenantId: tree.tenantId, email: 'ANI@example.org', name: 'Ani', role: 'monitor', nodeId: tree.d1.id })).rejects.toMatchObject({ code: 'ERR_TOOL_CONFLICT' })
    await expect(s.tool.accounts.invite({ tenantId: tree.tenantId, email: 'new@example.org', name: 'New', role: 'district-admin' })).rejects.toMatchObject({ code: 'ERR_TOOL_BAD_REQUEST' })
  })
})
