import { request } from 'node:http'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from './cookie-jar.ts'
import { formAction, formFields } from './tool-server.ts'
import { demoBanner } from '../../apps/server/src/cli/serve-command.ts'
import { loadConfig } from '../../apps/server/src/config.ts'
import { createLogger } from '../../apps/server/src/logger.ts'
import { startServer, type RunningServer } from '../../apps/server/src/main.ts'
import { createCliTestEnv, type CliTestEnv } from '../../apps/server/test/cli-test-env.ts'
import { capturedLogger } from '../test-server.ts'

/**
 * The demo LMS of `tln serve --demo` (`src/demo-lms/`), over plain HTTP against the real server:
 * the course page's buttons start a real LTI 1.3 launch (login initiation → the tool's redirect to
 * the demo LMS's authentication endpoint → the signed id_token posted to `/lti/launch`), and the
 * demo people land as the organisation's placed people. On PGlite and PostgreSQL.
 */
const silent = createLogger('silent')
const warnings = capturedLogger('warn')

async function start(env: CliTestEnv, demo: boolean): Promise<RunningServer> {
  return startServer(loadConfig({ ...env.env, PORT: '0', HOST: '127.0.0.1' }), { logger: demo ? warnings.logger : silent, demo })
}

/** The hidden fields of the login form behind the button `id` on the demo LMS page. */
function buttonForm(html: string, id: string): Record<string, string> {
  const form = [...html.matchAll(/<form method="post" action="\/lti\/login">(.*?)<\/form>/gs)].map((m) => m[1]!).find((f) => f.includes(`id="${id}"`))
  if (form === undefined) throw new Error(`no button ${id} on the demo LMS page`)
  return formFields(form)
}

/** Presses a button of the demo LMS page as a browser would: login, the tool's redirects, the LMS's auto-submitted form, the launch. */
async function launchAs(server: RunningServer, id: string, jar = new CookieJar()) {
  const lms = await jar.fetch(`${server.publicUrl}/demo/lms`)
  const fields = buttonForm(await lms.text(), id)
  const auth = await jar.login(`${server.publicUrl}/lti/login`, fields)
  const authHtml = await auth.text()
  if (auth.status !== 200) throw new Error(`the demo LMS refused the authentication request: ${auth.status} ${authHtml}`)
  const launch = await jar.post(formAction(authHtml), formFields(authHtml))
  return { auth, authHtml, launch, html: await launch.text(), jar }
}

describe(`demo LMS in tln serve --demo on ${testEngine()}`, () => {
  let env: CliTestEnv
  let server: RunningServer

  beforeAll(async () => {
    env = await createCliTestEnv('demo-lms')
    server = await start(env, true)
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    await env?.close()
  })

  it('serves the course page with a "Launch as" button per demo person and "Pick a task" for the facilitator, under the tool pages\' CSP', async () => {
    expect(server.demoLmsUrl).toBe(`${server.publicUrl}/demo/lms`)
    expect(demoBanner(server)).toContain(`Demo LMS:      ${server.publicUrl}/demo/lms`)
    // A loud warning at every start: it signs launches for anyone who can reach the server.
    expect(warnings.logs().some((l) => String(l.msg).startsWith('DEMO LMS ON') && String(l.msg).includes('for ANYONE who can reach this server'))).toBe(true)
    const response = await fetch(`${server.publicUrl}/demo/lms`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('Bukan LMS sungguhan; hanya ada dalam mode demo')
    expect(html).toContain('Diklat Berjenjang Tingkat Dasar')
    expect(html).toContain('Masuk sebagai Baiq Nurhasanah')
    expect(html).toContain('id="deep-link-demo-fas-02"')
    expect(html).not.toMatch(/<script>|style=/)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it('says where to open the page when it is opened under another host name than TLN\'s public address (the launch forms would be blocked there)', async () => {
    const get = (host: string) => new Promise<string>((resolve, reject) => {
      const url = new URL(`${server.publicUrl}/demo/lms`)
      request({ host: '127.0.0.1', port: url.port, path: url.pathname, headers: { host } }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk }).on('end', () => resolve(body))
      }).on('error', reject).end()
    })
    const publicHost = new URL(server.publicUrl)
    const elsewhere = await get(`${publicHost.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${publicHost.port}`)
    expect(elsewhere).toContain('id="demo-lms-elsewhere"')
    expect(elsewhere).toContain(`href="${server.publicUrl}/demo/lms"`)
    expect(await get(new URL(server.publicUrl).host)).not.toContain('demo-lms-elsewhere')
  })

  it('a teacher\'s launch lands on the task page signed in as the demo person her LMS account is linked to (Security Framework 1.0 §5.1.1; LTI Core 1.3 §5)', async () => {
    const { auth, launch, html, jar } = await launchAs(server, 'launch-demo-ptk-001')
    expect(auth.status).toBe(200)
    expect(launch.status).toBe(200)
    expect(html).toContain('Baiq Nurhasanah')
    expect(html).toContain('RPPH')
    expect(await (await jar.fetch(`${server.publicUrl}/lti/session`)).json()).toEqual({ signedIn: true, role: 'teacher' })
    // Placed: the organisation knows her school (the mentoring page), and her report is her demo person's (the e-training account ptk-001).
    expect(await (await jar.fetch(`${server.publicUrl}/lti/mentoring`)).text()).toContain('Baiq Nurhasanah · TK Pertiwi Penujak')
    const reports = await jar.fetch(`${server.publicUrl}/reports`)
    expect(reports.status).toBe(303)
    expect(decodeURIComponent(reports.headers.get('location')!)).toContain('"ptk-001"')
  })

  it('a facilitator\'s launch lands on the task\'s grading queue with the facilitator role', async () => {
    const { launch, html, jar } = await launchAs(server, 'launch-demo-fas-02')
    expect(launch.status).toBe(200)
    // The resource link is a task: an instructor lands on its grading queue.
    expect(html).toContain('Antrean penilaian')
    expect(await (await jar.fetch(`${server.publicUrl}/lti/session`)).json()).toEqual({ signedIn: true, role: 'facilitator' })
  })

  it('a facilitator picks a task by Deep Linking and the demo LMS verifies the tool\'s signed answer, once (Deep Linking 2.0 §4.4–4.5; Security Framework 1.0 §5.2.3)', async () => {
    const { launch, html, jar } = await launchAs(server, 'deep-link-demo-fas-02')
    expect(launch.status).toBe(200)
    const picker = formFields(html)
    const task = /name="item" id="[^"]*" value="([^"]+)"/.exec(html)?.[1]
    expect(task).toBeDefined()
    const answer = await jar.post(new URL(formAction(html), server.publicUrl).href, { ...picker, item: task! })
    const answerHtml = await answer.text()
    expect(formAction(answerHtml)).toBe(`${server.publicUrl}/demo/lms/deep-link-return`)
    const returned = await jar.post(formAction(answerHtml), formFields(answerHtml))
    expect(returned.status).toBe(200)
    expect(await returned.text()).toContain('id="demo-lms-picked"')
    // The picked link is now an activity of the course; the same response posted again is a replay, refused (Security Framework 1.0 §5.2.3, item 9).
    const course = await (await fetch(`${server.publicUrl}/demo/lms`)).text()
    const count = (course.match(/name="activity"/g) ?? []).length
    expect(count).toBeGreaterThanOrEqual(3)
    const again = await jar.post(formAction(answerHtml), formFields(answerHtml))
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('Request refused (<code>nonce</code>, Security Framework 1.0 §5.2.3, item 9)')
    expect(((await (await fetch(`${server.publicUrl}/demo/lms`)).text()).match(/name="activity"/g) ?? []).length).toBe(count)
  })

  it('refuses an authentication request whose redirect_uri is not registered, signing nothing (Security Framework 1.0 §5.1.1.2)', async () => {
    const lms = await fetch(`${server.publicUrl}/demo/lms`)
    const fields = buttonForm(await lms.text(), 'launch-demo-ptk-001')
    const query = new URLSearchParams({
      scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: fields.client_id!,
      redirect_uri: 'http://attacker.example/lti/launch', login_hint: fields.login_hint!, lti_message_hint: fields.lti_message_hint!, state: 's', nonce: 'n',
    })
    const response = await fetch(`${server.publicUrl}/demo/lms/auth?${query}`)
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('redirect_uri')
    expect(html).not.toContain('id_token')
  })

  it('refuses a login_hint it did not issue: another person\'s sub under a teacher\'s lti_message_hint (Security Framework 1.0 §5.1.1.2)', async () => {
    const lms = await fetch(`${server.publicUrl}/demo/lms`)
    const fields = buttonForm(await lms.text(), 'launch-demo-ptk-001')
    const query = new URLSearchParams({
      scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: fields.client_id!,
      redirect_uri: `${server.publicUrl}/lti/launch`, login_hint: 'demo-fas-02', lti_message_hint: fields.lti_message_hint!, state: 's', nonce: 'n',
    })
    const response = await fetch(`${server.publicUrl}/demo/lms/auth?${query}`)
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('login_hint')
  })

  it('launches carry the AGS endpoint claim of the graded activity and the NRPS claim (AGS 2.0 §3.1; NRPS 2.0 §3.6.1); its token endpoint refuses a form without an assertion (RFC 6749 §5.2)', async () => {
    const token = await fetch(`${server.publicUrl}/demo/lms/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) })
    expect(token.status).toBe(400)
    expect(await token.json()).toMatchObject({ error: 'invalid_request' })
    const { authHtml } = await launchAs(server, 'launch-demo-ptk-004')
    const idToken = formFields(authHtml).id_token!
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, any>
    const ags = claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']
    expect(ags.scope).toEqual(['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly', 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly', 'https://purl.imsglobal.org/spec/lti-ags/scope/score'])
    expect(ags.lineitems).toBe(`${server.publicUrl}/demo/lms/lineitems`)
    expect(ags.lineitem).toMatch(new RegExp(`^${server.publicUrl}/demo/lms/lineitems/\\d+$`))
    expect(claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice']).toEqual({ context_memberships_url: `${server.publicUrl}/demo/lms/memberships`, service_versions: ['2.0'] })
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/custom']).toMatchObject({ tln_item: 'task-rpph' })
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/roles']).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'])
  })

  it('lists the course\'s activities as Deep Linking placed them, each launched "as" the person picked', async () => {
    const html = await (await fetch(`${server.publicUrl}/demo/lms`)).text()
    const activities = [...html.matchAll(/name="activity" value="([^"]+)"[^>]*>([^<]+)</g)].map((m) => m[2])
    // Seeded: the RPPH task, the media task and TLN's home (mentoring, check-in, reports); then what the Deep Linking test above added.
    expect(activities.length).toBeGreaterThanOrEqual(3)
    expect(activities[0]).toContain('RPPH')
    expect(activities[2]).toContain('mentoring, check-in, reports')
    const home = /name="activity" value="([^"]+)"[^>]*>TLN:/.exec(html)![1]!
    const jar = new CookieJar()
    const login = await jar.post(`${server.publicUrl}/demo/lms/launch`, { person: 'demo-ptk-001', activity: home })
    const loginHtml = await login.text()
    expect(formAction(loginHtml)).toBe(`${server.publicUrl}/lti/login`)
    const auth = await jar.login(formAction(loginHtml), formFields(loginHtml))
    const authHtml = await auth.text()
    const launch = await jar.post(formAction(authHtml), formFields(authHtml))
    // The home link lands on TLN's menu: peer mentoring, meeting check-in, reports.
    const landing = await launch.text()
    for (const id of ['tln-mentoring-link', 'tln-check-in-link', 'tln-reports-link']) expect(landing).toContain(`id="${id}"`)
    const unknown = await new CookieJar().post(`${server.publicUrl}/demo/lms/launch`, { person: 'nobody', activity: home })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('person')
  })

  it('a teacher submits the RPPH task, the facilitator grades it in TLN, and the score arrives in the demo LMS\'s gradebook (AGS 2.0 §3.4)', async () => {
    const teacher = await launchAs(server, 'launch-demo-ptk-006')
    const form = /<form id="tln-upload" method="post" action="([^"]+)"[\s\S]*?name="csrf" value="([^"]+)"/.exec(teacher.html)!
    const data = new FormData()
    data.set('csrf', form[2]!)
    data.set('file', new Blob([new TextEncoder().encode('%PDF-1.7\nRPPH demo\n')], { type: 'application/pdf' }), 'rpph.pdf')
    const submitted = await teacher.jar.fetch(`${server.publicUrl}${form[1]}`, { method: 'POST', body: data, redirect: 'manual' })
    expect(submitted.status).toBe(303)
    const facilitator = await launchAs(server, 'launch-demo-fas-02')
    const gradingUrl = /href="(\/lti\/grading\/[^"]+)"/.exec(facilitator.html)![1]!
    const gradingPage = await (await facilitator.jar.fetch(`${server.publicUrl}${gradingUrl}`)).text()
    const submission = /name="submission" value="([^"]+)"/.exec(gradingPage)![1]!
    const csrf = /name="csrf" value="([^"]+)"/.exec(gradingPage)![1]!
    const levels = Object.fromEntries([...gradingPage.matchAll(/name="(level\.[^"]+)"/g)].map((m) => [m[1]!, '4']))
    const graded = await facilitator.jar.post(`${server.publicUrl}${gradingUrl}`, { csrf, submission, decision: 'accepted', feedback: 'Bagus.', ...levels })
    expect(graded.status).toBe(303)
    // The server's passback worker sends it; the gradebook shows the teacher, the activity and the full score.
    await expect.poll(async () => (await (await fetch(`${server.publicUrl}/demo/lms`)).text()).replace(/\s+/g, ' '), { timeout: 30_000, interval: 500 })
      .toMatch(/Baiq Rahmawati<\/td><td>[^<]*RPPH[^<]*<\/td> <td>100 \/ 100<\/td><td>Completed, FullyGraded/)
  }, 60_000)

  it('the facilitator\'s launch syncs the roster from the members endpoint: the course becomes a TLN class with its people (NRPS 2.0 §2.2)', async () => {
    const { jar } = await launchAs(server, 'launch-demo-fas-02')
    await expect.poll(async () => (await (await jar.fetch(`${server.publicUrl}/lti/classes`)).text()), { timeout: 30_000, interval: 500 }).toContain('Diklat Berjenjang Tingkat Dasar')
    const list = await (await jar.fetch(`${server.publicUrl}/lti/classes`)).text()
    const classUrl = /href="(\/lti\/classes\/[^"]+)"/.exec(list)![1]!
    const page = await (await jar.fetch(`${server.publicUrl}${classUrl}`)).text()
    for (const name of ['Baiq Nurhasanah', 'Baiq Rahmawati']) expect(page).toContain(name)
  })

  it('keeps its registration and signing key across a restart, and launches still land', async () => {
    const kid = ((await (await fetch(`${server.publicUrl}/demo/lms/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid
    const { port } = server
    await server.stop()
    // The same port: the issuer is the public URL's, so another port would be another platform.
    server = await startServer(loadConfig({ ...env.env, PORT: String(port), HOST: '127.0.0.1' }), { logger: silent, demo: true })
    const jwks = (await (await fetch(`${server.publicUrl}/demo/lms/jwks`)).json()) as { keys: Array<{ kid: string; d?: string }> }
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid])
    expect(jwks.keys[0]!.d).toBeUndefined()
    const { launch, html } = await launchAs(server, 'launch-demo-ptk-006')
    expect(launch.status).toBe(200)
    expect(html).toContain('Baiq Rahmawati')
  }, 120_000)
})

describe(`no demo LMS without --demo on ${testEngine()}`, () => {
  let env: CliTestEnv
  let server: RunningServer
  beforeAll(async () => {
    env = await createCliTestEnv('no-demo-lms')
    server = await start(env, false)
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    await env?.close()
  })

  it('answers 404 at /demo/lms and its endpoints, and prints no demo LMS URL', async () => {
    expect(server.demoLmsUrl).toBeUndefined()
    for (const path of ['/demo/lms', '/demo/lms/auth', '/demo/lms/jwks']) expect((await fetch(`${server.publicUrl}${path}`)).status).toBe(404)
  })
})
