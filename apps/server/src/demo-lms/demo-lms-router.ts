import { escapeHtml, localTimeHtml, page, toolPageHeaders, CUSTOM } from '@tln/lti-tool'
import {
  CLAIM, checkAuthenticationRequest, checkDeepLinkingResponse, deepLinkingRequestClaims, publicJwkOf, renderAutoSubmitForm, repeatedParameter,
  resourceLinkClaims, signPlatformMessage, toolJwks, type KeyStore, type LtiResourceLinkItem, type PlatformMessageInput,
} from '@tln/lti-v1p3'
import express, { type Request, type Response, type Router } from 'express'
import type { Logger } from '../logger.ts'
import type { DemoActivity, DemoCourseStore } from './demo-lms-course.ts'
import { DEMO_COURSE, DEMO_TASK, lisRole, type DemoLmsPerson } from './demo-lms-people.ts'
import { DEMO_LMS_SCOPES, demoLmsServices, serviceUrls } from './demo-lms-services.ts'
import type { DemoLms } from './demo-lms-setup.ts'
import { hintKey, issueHint, openHint, type LaunchHint } from './message-hint.ts'
import { formParams, fromAnotherSite } from './request-checks.ts'

/** How long a "Launch as" button of a loaded page keeps working. */
const HINT_TTL_MS = 12 * 3_600_000

export interface DemoLmsRouterDeps {
  readonly lms: DemoLms
  /** The course: its activities, gradebook and service tokens. */
  readonly course: DemoCourseStore
  readonly publicUrl: string
  readonly secretKey: string
  /** The tool's signing keys: the Deep Linking response and the token requests' assertions are verified against their JWKS. */
  readonly toolKeys: KeyStore
  readonly logger: Logger
  readonly now?: () => number
  /** The deployment's IANA zone (`TLN_TIME_ZONE`): the gradebook shows times on its clock, as the tool's pages do. */
  readonly timeZone: string
}

/**
 * The demo LMS at `/demo/lms` (`tln serve --demo` only; never mounted otherwise): a course page
 * whose buttons start real LTI 1.3 launches of this server's tool as a demo person, the platform's
 * OIDC authentication endpoint, its JWKS, the Deep Linking return (which adds the picked links to
 * the course), a gradebook, and the AGS and NRPS services (`demo-lms-services.ts`). It signs a
 * launch for whoever presses a button: a demo aid, not an LMS.
 */
export function demoLmsRouter(deps: DemoLmsRouterDeps): Router {
  const { lms, course, publicUrl, logger } = deps
  const now = deps.now ?? Date.now
  const key = hintKey(deps.secretKey)
  const urls = serviceUrls(lms.issuer)
  const publicOrigin = new URL(publicUrl).origin
  const publicHost = new URL(publicUrl).host
  const router = express.Router()
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }))
  router.use(demoLmsServices({ lms, course, toolKeys: deps.toolKeys, logger, now }))

  /** The RPPH task, the activity each person's own button launches. */
  const rpphOf = (activities: readonly DemoActivity[]) => activities.find((a) => a.custom[CUSTOM.item] === DEMO_TASK.item) ?? activities[0]
  const personOf = (sub: string) => lms.people.find((p) => p.sub === sub)

  router.get('/', (req, res, next) => {
    void (async () => {
      const activities = await course.activities()
      const rpph = rpphOf(activities)
      const buttons = (p: DemoLmsPerson) => {
        const launch = rpph === undefined ? '' : loginForm(p, { message: 'resource-link', link: rpph.resourceLinkId }, rpph.url, `launch-${p.sub}`, `Masuk sebagai ${p.name}`, `Launch as ${p.name}`)
        const pick = p.role === 'facilitator' ? loginForm(p, { message: 'deep-linking' }, `${publicUrl}/lti/launch`, `deep-link-${p.sub}`, 'Pilih tugas (Deep Linking)', 'Pick a task (Deep Linking)') : ''
        return `<li><strong>${escapeHtml(p.name)}</strong> · ${p.role === 'teacher' ? 'Guru (peserta) <span lang="en">/ Teacher (Learner)</span>' : 'Fasilitator <span lang="en">/ Facilitator (Instructor)</span>'}<br><small>${escapeHtml(p.where)}</small>${launch}${pick}</li>`
      }
      send(res, 200, page('Demo LMS', `<h1>Demo LMS</h1>
${elsewhereHint(req.get('host'))}<div class="box"><p id="demo-lms-warning"><strong>Bukan LMS sungguhan; hanya ada dalam mode demo</strong> (<code>tln serve --demo</code>). Setiap tombol masuk ke TLN sebagai orang demo lewat peluncuran LTI 1.3 yang nyata.</p>
<p lang="en"><strong>Not a real LMS; only in demo mode.</strong> Each button signs in to TLN as a demo person through a real LTI 1.3 launch.</p></div>
<h2>Kursus <span lang="en">/ Course</span>: ${escapeHtml(DEMO_COURSE.title)}</h2>
${activityForm(activities)}
<h3>Peserta dan fasilitator <span lang="en">/ People</span></h3>
<ul class="picker">${lms.people.map(buttons).join('\n')}</ul>
${await gradebook(activities)}`))
    })().catch(next)
  })

  /**
   * The page opened under another host name than TLN's public address (`http://127.0.0.1:8080`
   * where TLN_PUBLIC_URL is `http://localhost:8080`): every launch goes to the public address, and
   * the browser refuses a form sent to another origin (CSP `form-action 'self'`), so the buttons
   * would do nothing. Says where to open it instead; no redirect, which a proxy that rewrites the
   * Host header would turn into a loop.
   */
  function elsewhereHint(host: string | undefined): string {
    if (host === undefined || host.toLowerCase() === publicHost) return ''
    const here = `${publicUrl}/demo/lms`
    return `<div class="box error" id="demo-lms-elsewhere"><p>Buka halaman ini di <a href="${escapeHtml(here)}">${escapeHtml(here)}</a>: peluncuran menuju alamat publik TLN (<code>TLN_PUBLIC_URL</code>), dan peramban tidak mengirim formulir dari alamat lain.</p>
<p lang="en">Open this page at <a href="${escapeHtml(here)}">${escapeHtml(here)}</a>: launches go to TLN's public address (<code>TLN_PUBLIC_URL</code>), and the browser will not send a form from another address.</p></div>
`
  }

  /** The course's activities: pick a person, then press an activity's button ("Launch as"). */
  function activityForm(activities: readonly DemoActivity[]): string {
    const options = lms.people.map((p) => `<option value="${escapeHtml(p.sub)}">${escapeHtml(p.name)} (${p.role === 'teacher' ? 'guru / teacher' : 'fasilitator / facilitator'})</option>`).join('')
    const list = activities.map((a) => `<li><button type="submit" name="activity" value="${escapeHtml(a.resourceLinkId)}" id="activity-${escapeHtml(a.resourceLinkId)}">${escapeHtml(a.title)}</button>${a.lineItemId !== undefined ? ' <small>(dinilai <span lang="en">/ graded</span>)</small>' : ''}</li>`).join('\n')
    return `<form method="post" action="/demo/lms/launch" id="demo-lms-activities">
<p><label for="demo-lms-person">Masuk sebagai <span lang="en">/ Launch as</span></label> <select id="demo-lms-person" name="person">${options}</select></p>
<p>Aktivitas <span lang="en">/ Activities</span> (${activities.length}):</p>
<ul>${list}</ul></form>`
  }

  /** "Nilai / Gradebook": the scores the tool sent (AGS 2.0 §3.4), newest first. */
  async function gradebook(activities: readonly DemoActivity[]): Promise<string> {
    const scores = await course.scores()
    const titleOf = new Map(activities.filter((a) => a.lineItemId !== undefined).map((a) => [a.lineItemId!, a.title]))
    const items = new Map((await course.lineItems()).map((li) => [li.id, li.label]))
    const rows = scores.map((s) => `<tr><td>${escapeHtml(personOf(s.userId)?.name ?? s.userId)}</td><td>${escapeHtml(titleOf.get(s.lineItemId) ?? items.get(s.lineItemId) ?? String(s.lineItemId))}</td>
<td>${s.scoreGiven === undefined ? '–' : `${escapeHtml(String(s.scoreGiven))} / ${escapeHtml(String(s.scoreMaximum ?? ''))}`}</td><td>${escapeHtml(s.activityProgress)}, ${escapeHtml(s.gradingProgress)}</td><td>${localTimeHtml(new Date(s.timestamp), deps.timeZone)}</td></tr>`).join('\n')
    return `<h2 id="demo-lms-gradebook">Nilai <span lang="en">/ Gradebook</span></h2>
${scores.length === 0 ? '<p>Belum ada nilai dari TLN. <span lang="en">No scores from TLN yet.</span></p>' : `<table><thead><tr><th>Orang <span lang="en">/ Person</span></th><th>Aktivitas <span lang="en">/ Activity</span></th><th>Nilai <span lang="en">/ Score</span></th><th>Kemajuan <span lang="en">/ Progress</span></th><th>Waktu <span lang="en">/ Time</span></th></tr></thead>
<tbody>${rows}</tbody></table>`}`
  }

  /** A third-party initiated login (Security Framework 1.0 §5.1.1.1): its fields, with a signed hint of who launches what. */
  function loginFields(p: DemoLmsPerson, hint: Omit<LaunchHint, 'sub' | 'exp'>, target: string): Record<string, string> {
    return {
      iss: lms.issuer, login_hint: p.sub, target_link_uri: target, client_id: lms.clientId, lti_deployment_id: lms.deploymentId,
      lti_message_hint: issueHint({ ...hint, sub: p.sub, exp: now() + HINT_TTL_MS }, key),
    }
  }

  /** The login as a form the button posts to the tool. */
  function loginForm(p: DemoLmsPerson, hint: Omit<LaunchHint, 'sub' | 'exp'>, target: string, id: string, labelId: string, labelEn: string): string {
    const hidden = Object.entries(loginFields(p, hint, target)).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('')
    return `<form method="post" action="/lti/login">${hidden}<button type="submit" id="${escapeHtml(id)}">${escapeHtml(labelId)} <span lang="en">/ ${escapeHtml(labelEn)}</span></button></form>`
  }

  /** Refuses a launch another site started (login CSRF); true when it did. */
  const refusedFromAnotherSite = (req: Request, res: Response): boolean => {
    if (!fromAnotherSite(req, publicOrigin)) return false
    refuse(res, { field: 'Sec-Fetch-Site', rule: 'login CSRF', message: `a launch starts on the demo LMS page itself (${lms.issuer}), not on another site` }, 403)
    return true
  }

  /** "Launch as" a person into an activity: the login, posted to the tool by the page's auto-submit script. */
  router.post('/launch', (req, res, next) => {
    void (async () => {
      if (refusedFromAnotherSite(req, res)) return
      if (!req.is('application/x-www-form-urlencoded')) return refuse(res, { field: 'Content-Type', rule: 'HTML form', message: 'the launch form is sent as application/x-www-form-urlencoded' }, 415)
      const form = formParams(req.body)
      const repeated = repeatedParameter(form, ['person', 'activity'])
      if (repeated !== undefined) return refuse(res, { field: repeated, rule: 'HTML form', message: `${repeated} is given more than once` })
      const person = personOf(form.get('person') ?? '')
      if (person === undefined) return refuse(res, { field: 'person', rule: 'demo LMS accounts', message: 'no such account on the demo LMS' })
      const activity = form.get('activity') !== null ? await course.activity(form.get('activity')!) : undefined
      if (activity === undefined) return refuse(res, { field: 'activity', rule: 'demo LMS course', message: 'no such activity in the course' })
      send(res, 200, renderAutoSubmitForm({ action: `${publicUrl}/lti/login`, fields: loginFields(person, { message: 'resource-link', link: activity.resourceLinkId }, activity.url), scriptSrc: '/lti/static/auto-submit.js' }))
    })().catch(next)
  })

  /** The OIDC authentication endpoint (Security Framework 1.0 §5.1.1.2–3): check the request, then post a signed id_token to the tool. */
  const authenticate = async (req: Request, res: Response) => {
    // The demo LMS has no sessions: the button of its own page stands for the signed-in user, so a login another site started is refused.
    if (refusedFromAnotherSite(req, res)) return
    const params = req.method === 'POST' ? formParams(req.body) : new URL(req.originalUrl, publicUrl).searchParams
    // The hint is opened once, at one instant: opening it again after the check could find it expired in between.
    const opened = openHint(params.get('lti_message_hint') ?? undefined, params.get('login_hint') ?? '', key, now())
    const checked = checkAuthenticationRequest(params, { clientId: lms.clientId, redirectUris: [`${publicUrl}/lti/launch`], hintIssued: () => opened !== undefined })
    if (!checked.ok) return refuse(res, checked.problem)
    const { request } = checked
    const hint = opened!
    const person = personOf(hint.sub)
    if (person === undefined) return refuse(res, { field: 'login_hint', rule: 'demo LMS accounts', message: 'no such account on the demo LMS' })
    if (hint.message === 'deep-linking' && person.role !== 'facilitator') return refuse(res, { field: 'lti_message_hint', rule: 'Deep Linking 2.0 §4.4', message: 'only an instructor may pick content' })
    const activity = hint.message === 'resource-link' ? (hint.link === undefined ? undefined : await course.activity(hint.link)) : undefined
    if (hint.message === 'resource-link' && activity === undefined) return refuse(res, { field: 'lti_message_hint', rule: 'demo LMS course', message: 'the activity is no longer in the course' })
    const input: PlatformMessageInput = {
      issuer: lms.issuer, clientId: lms.clientId, deploymentId: lms.deploymentId, nonce: request.nonce, now: now(),
      user: { sub: person.sub, name: person.name, email: `${person.externalId}@demo.tln.example` },
      roles: [lisRole(person)], context: DEMO_COURSE, targetLinkUri: activity?.url ?? `${publicUrl}/lti/launch`,
      platform: { guid: lms.issuer, name: 'Demo LMS (TLN)', productFamilyCode: 'tln-demo-lms' }, returnUrl: lms.issuer,
    }
    const claims = activity !== undefined
      ? resourceLinkClaims(input, { id: activity.resourceLinkId, title: activity.title, custom: activity.custom }, {
          // AGS 2.0 §3.1 for a graded activity; NRPS 2.0 §3.6.1 for every launch of the course.
          ...(activity.lineItemId !== undefined && { ags: { scope: DEMO_LMS_SCOPES.filter((s) => s.includes('lti-ags')), lineItems: urls.lineItems, lineItem: urls.lineItem(activity.lineItemId) } }),
          nrps: { contextMembershipsUrl: urls.memberships },
        })
      : deepLinkingRequestClaims(input, { returnUrl: `${lms.issuer}/deep-link-return` })
    const idToken = await signPlatformMessage(claims, lms.key)
    logger.info({ sub: person.sub, message: hint.message, link: activity?.resourceLinkId }, 'demo LMS: launch signed')
    send(res, 200, renderAutoSubmitForm({ action: request.redirectUri, fields: { id_token: idToken, state: request.state }, scriptSrc: '/lti/static/auto-submit.js' }))
  }
  router.get('/auth', (req, res, next) => { authenticate(req, res).catch(next) })
  router.post('/auth', (req, res, next) => { authenticate(req, res).catch(next) })

  /** The platform's JWKS (Security Framework 1.0 §6.3), which the tool was registered with. */
  router.get('/jwks', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ keys: [publicJwkOf(lms.key)] })
  })

  /** The Deep Linking return (Deep Linking 2.0 §4.5): verify the tool's signed response and add the picked links to the course. */
  router.post('/deep-link-return', (req, res, next) => {
    const form = formParams(req.body)
    if (form.getAll('JWT').length > 1) return refuse(res, { field: 'JWT', rule: 'Security Framework 1.0 §5.2.1', message: 'the form has more than one JWT' })
    const jwt = form.get('JWT') ?? ''
    if (jwt === '') return refuse(res, { field: 'JWT', rule: 'Security Framework 1.0 §5.2.1', message: 'the form has no JWT' })
    void (async () => {
      // Security Framework 1.0 §5.2.3 and Deep Linking 2.0 §4.5; the nonce is spent last, so the same response is taken once (§5.2.3, item 9).
      const checked = await checkDeepLinkingResponse(jwt, {
        clientId: lms.clientId, issuer: lms.issuer, deploymentId: lms.deploymentId, toolJwks: await toolJwks(deps.toolKeys), now: now(),
        consumeNonce: (nonce, expiresAt) => course.consumeResponseNonce(nonce, expiresAt),
      })
      if (!checked.ok) return refuse(res, checked.problem)
      const items = resourceLinksOf(checked.payload[CLAIM.contentItems], publicOrigin)
      if (typeof items === 'string') return refuse(res, { field: CLAIM.contentItems, rule: 'Deep Linking 2.0 §3.3', message: items })
      const added = await course.addContentItems(items)
      const list = items.map((i) => `<li>${escapeHtml(i.title ?? '(tanpa judul / untitled)')} <small><code>${escapeHtml(i.url!)}</code></small></li>`).join('')
      send(res, 200, page('Demo LMS', `<h1>Demo LMS</h1>
${elsewhereHint(req.get('host'))}<div class="box ok" id="demo-lms-picked"><p>TLN mengirim ${items.length} tautan (tanda tangan sah); ${added} baru ditambahkan ke kursus.</p>
<p lang="en">TLN sent ${items.length} link(s), correctly signed; ${added} new added to the course.</p></div>
<ul>${list}</ul><p><a class="button" href="/demo/lms">Kembali ke Demo LMS <span lang="en">/ Back to the demo LMS</span></a></p>`))
    })().catch(next)
  })

  function refuse(res: Response, problem: { field: string; rule: string; message: string }, status = 400): void {
    logger.debug(problem, 'demo LMS: request refused')
    send(res, status, page('Demo LMS', `<h1>Demo LMS</h1><div class="box error" id="demo-lms-error"><p>Permintaan ditolak. Muat ulang <a href="/demo/lms">Demo LMS</a> dan coba lagi.</p>
<p lang="en">Request refused (<code>${escapeHtml(problem.field)}</code>, ${escapeHtml(problem.rule)}): ${escapeHtml(problem.message)}.</p></div>`))
  }

  return router
}

/**
 * The `ltiResourceLink` items of a Deep Linking response (Deep Linking 2.0 §3.3), shape-checked
 * before the course takes them: a `url` of the tool (`toolOrigin`: a resource link launches the
 * tool that placed it, and its URL becomes the launch's `target_link_uri`), string custom values, a
 * `lineItem` with a positive `scoreMaximum`. Other types are not accepted by this platform (its
 * `accept_types`). A message on a bad item.
 */
export function resourceLinksOf(value: unknown, toolOrigin: string): LtiResourceLinkItem[] | string {
  if (value === undefined) return []
  if (!Array.isArray(value)) return 'content_items must be an array'
  const items: LtiResourceLinkItem[] = []
  for (const [i, raw] of value.entries()) {
    const item = raw as Record<string, unknown>
    if (typeof item !== 'object' || item === null || item.type !== 'ltiResourceLink') return `item ${i}: type must be ltiResourceLink`
    if (typeof item.url !== 'string' || !/^https?:\/\//.test(item.url)) return `item ${i}: url must be an http(s) URL`
    if (originOf(item.url) !== toolOrigin) return `item ${i}: url must be a URL of the tool (${toolOrigin})`
    const custom = item.custom ?? {}
    if (typeof custom !== 'object' || custom === null || Array.isArray(custom) || Object.values(custom).some((v) => typeof v !== 'string')) return `item ${i}: custom values must be strings`
    const lineItem = item.lineItem as Record<string, unknown> | undefined
    if (lineItem !== undefined && (typeof lineItem !== 'object' || lineItem === null || typeof lineItem.scoreMaximum !== 'number' || !(lineItem.scoreMaximum > 0))) return `item ${i}: lineItem.scoreMaximum must be a number > 0`
    items.push({
      type: 'ltiResourceLink', url: item.url, custom: custom as Record<string, string>, ...(typeof item.title === 'string' && { title: item.title }),
      ...(lineItem !== undefined && { lineItem: {
        scoreMaximum: lineItem.scoreMaximum as number, ...(typeof lineItem.label === 'string' && { label: lineItem.label }),
        ...(typeof lineItem.resourceId === 'string' && { resourceId: lineItem.resourceId }), ...(typeof lineItem.tag === 'string' && { tag: lineItem.tag }),
      } }),
    })
  }
  return items
}

/** The origin of an absolute URL, or undefined (`URL.parse` is Node 22). */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

function send(res: Response, status: number, html: string): void {
  toolPageHeaders(res, { framing: 'none' })
  res.status(status).type('html').send(html)
}
