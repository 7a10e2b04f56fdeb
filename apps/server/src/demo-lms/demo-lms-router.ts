import { DEFAULT_TASKS, escapeHtml, itemUrl, page, toolPageHeaders, CUSTOM } from '@tln/lti-tool'
import {
  CLAIM, checkAuthenticationRequest, deepLinkingRequestClaims, publicJwkOf, renderAutoSubmitForm, resourceLinkClaims, signPlatformMessage,
  toolJwks, verifyToolMessage, type KeyStore, type PlatformMessageInput,
} from '@tln/lti-v1p3'
import express, { type Request, type Response, type Router } from 'express'
import type { Logger } from '../logger.ts'
import { DEMO_COURSE, DEMO_TASK, INSTRUCTOR, LEARNER, type DemoLmsPerson } from './demo-lms-people.ts'
import type { DemoLms } from './demo-lms-setup.ts'
import { hintKey, issueHint, openHint, type LaunchHint } from './message-hint.ts'

/** How long a "Launch as" button of a loaded page keeps working. */
const HINT_TTL_MS = 12 * 3_600_000

export interface DemoLmsRouterDeps {
  readonly lms: DemoLms
  readonly publicUrl: string
  readonly secretKey: string
  /** The tool's signing keys: the Deep Linking response is verified against their JWKS. */
  readonly toolKeys: KeyStore
  readonly logger: Logger
  readonly now?: () => number
}

/**
 * The demo LMS at `/demo/lms` (`tln serve --demo` only; never mounted otherwise): a course page
 * whose buttons start real LTI 1.3 launches of this server's tool as a demo person, the platform's
 * OIDC authentication endpoint, its JWKS and the Deep Linking return. It signs a launch for whoever
 * presses a button: a demo aid, not an LMS.
 */
export function demoLmsRouter(deps: DemoLmsRouterDeps): Router {
  const { lms, publicUrl, logger } = deps
  const now = deps.now ?? Date.now
  const key = hintKey(deps.secretKey)
  const task = DEFAULT_TASKS.find((t) => t.key === DEMO_TASK.item)!
  const router = express.Router()
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }))

  router.get('/', (_req, res) => {
    const buttons = (p: DemoLmsPerson) => {
      const launch = loginForm(p, 'resource-link', `launch-${p.sub}`, `Masuk sebagai ${p.name}`, `Launch as ${p.name}`)
      const pick = p.role === 'facilitator' ? loginForm(p, 'deep-linking', `deep-link-${p.sub}`, 'Pilih tugas (Deep Linking)', 'Pick a task (Deep Linking)') : ''
      return `<li><strong>${escapeHtml(p.name)}</strong> · ${p.role === 'teacher' ? 'Guru (peserta) <span lang="en">/ Teacher (Learner)</span>' : 'Fasilitator <span lang="en">/ Facilitator (Instructor)</span>'}<br><small>${escapeHtml(p.where)}</small>${launch}${pick}</li>`
    }
    send(res, 200, page('Demo LMS', `<h1>Demo LMS</h1>
<div class="box"><p id="demo-lms-warning"><strong>Bukan LMS sungguhan; hanya ada dalam mode demo</strong> (<code>tln serve --demo</code>). Setiap tombol masuk ke TLN sebagai orang demo lewat peluncuran LTI 1.3 yang nyata.</p>
<p lang="en"><strong>Not a real LMS; only in demo mode.</strong> Each button signs in to TLN as a demo person through a real LTI 1.3 launch.</p></div>
<h2>Kursus <span lang="en">/ Course</span>: ${escapeHtml(DEMO_COURSE.title)}</h2>
<p>Aktivitas <span lang="en">/ Activity</span>: ${escapeHtml(task.title.id)} <span lang="en">/ ${escapeHtml(task.title.en)}</span></p>
<ul class="picker">${lms.people.map(buttons).join('\n')}</ul>`))
  })

  /** A third-party initiated login (Security Framework 1.0 §5.1.1.1) as a form the button posts to the tool. */
  function loginForm(p: DemoLmsPerson, message: LaunchHint['message'], id: string, labelId: string, labelEn: string): string {
    const fields: Record<string, string> = {
      iss: lms.issuer, login_hint: p.sub, target_link_uri: targetOf(message), client_id: lms.clientId, lti_deployment_id: lms.deploymentId,
      lti_message_hint: issueHint({ sub: p.sub, message, exp: now() + HINT_TTL_MS }, key),
    }
    const hidden = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('')
    return `<form method="post" action="/lti/login">${hidden}<button type="submit" id="${escapeHtml(id)}">${escapeHtml(labelId)} <span lang="en">/ ${escapeHtml(labelEn)}</span></button></form>`
  }

  const targetOf = (message: LaunchHint['message']) => (message === 'resource-link' ? itemUrl(publicUrl, DEMO_TASK.item) : `${publicUrl}/lti/launch`)

  /** The OIDC authentication endpoint (Security Framework 1.0 §5.1.1.2–3): check the request, then post a signed id_token to the tool. */
  const authenticate = async (req: Request, res: Response) => {
    const params = req.method === 'POST' ? new URLSearchParams(req.body as Record<string, string>) : new URL(req.originalUrl, publicUrl).searchParams
    const checked = checkAuthenticationRequest(params, {
      clientId: lms.clientId, redirectUris: [`${publicUrl}/lti/launch`],
      hintIssued: (loginHint, messageHint) => openHint(messageHint, loginHint, key, now()) !== undefined,
    })
    if (!checked.ok) return refuse(res, checked.problem)
    const { request } = checked
    const hint = openHint(request.ltiMessageHint, request.loginHint, key, now())!
    const person = lms.people.find((p) => p.sub === hint.sub)
    if (person === undefined) return refuse(res, { field: 'login_hint', rule: 'demo LMS accounts', message: 'no such account on the demo LMS' })
    if (hint.message === 'deep-linking' && person.role !== 'facilitator') return refuse(res, { field: 'lti_message_hint', rule: 'Deep Linking 2.0 §4.4', message: 'only an instructor may pick content' })
    const input: PlatformMessageInput = {
      issuer: lms.issuer, clientId: lms.clientId, deploymentId: lms.deploymentId, nonce: request.nonce, now: now(),
      user: { sub: person.sub, name: person.name, email: `${person.externalId}@demo.tln.example` },
      roles: [person.role === 'teacher' ? LEARNER : INSTRUCTOR], context: DEMO_COURSE, targetLinkUri: targetOf(hint.message),
      platform: { guid: lms.issuer, name: 'Demo LMS (TLN)', productFamilyCode: 'tln-demo-lms' }, returnUrl: lms.issuer,
    }
    const claims = hint.message === 'resource-link'
      ? resourceLinkClaims(input, { id: DEMO_TASK.resourceLinkId, title: task.title.id, custom: { [CUSTOM.item]: DEMO_TASK.item } })
      : deepLinkingRequestClaims(input, { returnUrl: `${lms.issuer}/deep-link-return` })
    const idToken = await signPlatformMessage(claims, lms.key)
    logger.info({ sub: person.sub, message: hint.message }, 'demo LMS: launch signed')
    send(res, 200, renderAutoSubmitForm({ action: request.redirectUri, fields: { id_token: idToken, state: request.state }, scriptSrc: '/lti/static/auto-submit.js' }))
  }
  router.get('/auth', (req, res, next) => { authenticate(req, res).catch(next) })
  router.post('/auth', (req, res, next) => { authenticate(req, res).catch(next) })

  /** The platform's JWKS (Security Framework 1.0 §6.3), which the tool was registered with. */
  router.get('/jwks', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ keys: [publicJwkOf(lms.key)] })
  })

  /**
   * The token endpoint the registration names: the demo LMS offers no LTI Advantage services (its
   * launches carry no AGS or NRPS claim), so it grants no token (RFC 6749 §5.2, `unsupported_grant_type`).
   */
  router.post('/token', (_req, res) => {
    res.status(400).set('Cache-Control', 'no-store').json({ error: 'unsupported_grant_type', error_description: 'the demo LMS offers no services (AGS, NRPS): it grants no access token' })
  })

  /** The Deep Linking return (Deep Linking 2.0 §4.5): verify the tool's signed response and show what was picked. */
  router.post('/deep-link-return', (req, res, next) => {
    const jwt = (req.body as Record<string, unknown> | undefined)?.JWT
    if (typeof jwt !== 'string' || jwt === '') return refuse(res, { field: 'JWT', rule: 'Deep Linking 2.0 §4.5', message: 'the form has no JWT' })
    void (async () => {
      let payload: Record<string, unknown>
      try {
        payload = await verifyToolMessage(jwt, await toolJwks(deps.toolKeys), { clientId: lms.clientId, issuer: lms.issuer, now: now() })
      } catch (error) {
        return refuse(res, { field: 'JWT', rule: 'Deep Linking 2.0 §4.5', message: `the response does not verify: ${(error as Error).message}` })
      }
      const items = Array.isArray(payload[CLAIM.contentItems]) ? payload[CLAIM.contentItems] as Array<{ title?: unknown; url?: unknown }> : []
      const list = items.map((i) => `<li>${escapeHtml(typeof i.title === 'string' ? i.title : '(tanpa judul / untitled)')}${typeof i.url === 'string' ? ` <small><code>${escapeHtml(i.url)}</code></small>` : ''}</li>`).join('')
      send(res, 200, page('Demo LMS', `<h1>Demo LMS</h1>
<div class="box ok" id="demo-lms-picked"><p>TLN mengirim ${items.length} tautan (tanda tangan sah). LMS sungguhan akan menambahkannya ke kursus; demo ini hanya menampilkannya.</p>
<p lang="en">TLN sent ${items.length} link(s), correctly signed. A real LMS would add them to the course; this demo only shows them.</p></div>
<ul>${list}</ul><p><a class="button" href="/demo/lms">Kembali ke Demo LMS <span lang="en">/ Back to the demo LMS</span></a></p>`))
    })().catch(next)
  })

  function refuse(res: Response, problem: { field: string; rule: string; message: string }): void {
    logger.debug(problem, 'demo LMS: request refused')
    send(res, 400, page('Demo LMS', `<h1>Demo LMS</h1><div class="box error" id="demo-lms-error"><p>Permintaan ditolak. Muat ulang <a href="/demo/lms">Demo LMS</a> dan coba lagi.</p>
<p lang="en">Request refused (<code>${escapeHtml(problem.field)}</code>, ${escapeHtml(problem.rule)}): ${escapeHtml(problem.message)}.</p></div>`))
  }

  return router
}

function send(res: Response, status: number, html: string): void {
  toolPageHeaders(res, { framing: 'none' })
  res.status(status).type('html').send(html)
}
