import type { BadgeStore } from '@tln/competence'
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express'
import { LtiToolError } from '../errors.ts'
import { bothUnlessSame, escapeHtml as e } from '../http/html.ts'
import { referenceId, toolErrorHandler, TOOL_ERROR_STATUS, UNAVAILABLE_RETRY_AFTER_S, unavailableError } from '../http/error-page.ts'
import { toolPageHeaders } from '../http/headers.ts'
import type { ToolLogger } from '../logger.ts'
import { districtGrant, kecamatanGrants, landingOf } from './access/report-access.ts'
import { viewerOf, type Viewer, type ViewerDeps } from './access/viewer.ts'
import { sendExport, type ExportRequest } from './export/send-export.ts'
import { parseFormat, parsePage } from './filter/parse-filter.ts'
import { ReportInputError } from './filter/report-input-error.ts'
import { districtUrl, kecamatanUrl, REPORTS_BASE, teacherUrl } from './links.ts'
import { teacherPaging } from './paging.ts'
import { mentoringNetworkPage } from './pages/mentoring-network-page.ts'
import { districtPage } from './pages/district-page.ts'
import { kecamatanPage } from './pages/kecamatan-page.ts'
import { reportPage, type NavLink } from './pages/layout.ts'
import { evidencePage, statementPage, teacherPage } from './pages/teacher-page.ts'
import { districtCharts, kecamatanCharts, mentoringNetworkCharts, teacherCharts } from './report-charts.ts'
import { ReportService } from './report-service.ts'
import { REPORTS_CSS } from './reports-css.ts'
import type { StatementReader } from './statement-reader.ts'
import { districtTables } from './tables/district-tables.ts'
import { evidenceTable, type EvidenceRow } from './tables/evidence-table.ts'
import { kecamatanTables } from './tables/kecamatan-tables.ts'
import { mentoringNetworkTables } from './tables/mentoring-tables.ts'
import { teacherTables } from './tables/teacher-tables.ts'

export interface ReportsRouterDeps extends ViewerDeps {
  readonly service: ReportService
  readonly statements: StatementReader
  /** A teacher's Open Badges, listed on their page (the badges are issued by the server's badge loop). */
  readonly badges: Pick<BadgeStore, 'badgesOf'>
  readonly logger: ToolLogger
}

type Handler = (req: Request, res: Response, viewer: Viewer) => Promise<void>

const param = (req: Request, name: string) => String(req.params[name])

/** How a link names a kecamatan: "Kecamatan Praya" (the word is the same in both languages), or the name alone when it says so already. */
function kecamatanLabel(name: string): string {
  return /^kecamatan\b/iu.test(name) ? name : `Kecamatan ${name}`
}

/** The names of the kecamatan the viewer's grants cover, by node id: one query, none without such grants. */
async function kecamatanNames(deps: ReportsRouterDeps, viewer: Viewer): Promise<ReadonlyMap<string, string>> {
  return deps.org.nodeNames(viewer.tenantId, kecamatanGrants(viewer.grants).map((g) => g.nodeId!))
}

/**
 * The viewer's way around: the district (if theirs), their kecamatan (each by its name, so a
 * facilitator of several tells them apart), their own profile.
 */
function navOf(viewer: Viewer, names: ReadonlyMap<string, string>): NavLink[] {
  const nav: NavLink[] = []
  if (districtGrant(viewer.grants) !== undefined) nav.push({ href: districtUrl(), label: bothUnlessSame('Kabupaten', 'District') })
  for (const g of kecamatanGrants(viewer.grants).slice(0, 6)) {
    const name = names.get(g.nodeId!)
    nav.push({ href: kecamatanUrl(g.nodeId!), label: name === undefined ? bothUnlessSame('Kecamatan saya', 'My kecamatan') : e(kecamatanLabel(name)) })
  }
  // A profile is a teacher's: placed at a school, or reading no report but their own. A facilitator's or a
  // district admin's own identity has no teacher report, so the link would only answer 404.
  const ownProfile = viewer.person !== undefined && (viewer.person.schoolId !== undefined || landingOf(viewer.grants, []).kind === 'none')
  if (viewer.profileKeys.length > 0 && ownProfile) nav.push({ href: teacherUrl(viewer.profileKeys[0]!), label: bothUnlessSame('Profil saya', 'My profile') })
  return nav
}

/** An IFI key as a person reads it: `name @ homePage` for accounts, the address for mailboxes. */
function identityLabel(key: string): string {
  if (key.startsWith('account:')) {
    try {
      const [home, name] = JSON.parse(key.slice('account:'.length)) as [string, string]
      return `${name} @ ${home}`
    } catch { /* shown as it is */ }
  }
  return key.replace(/^mbox:mailto:/u, '')
}

/** The evidence items with what their statements say (verb, object), read from the LRS. */
async function evidenceRows(deps: ReportsRouterDeps, tenantId: string, items: readonly EvidenceRow[]): Promise<EvidenceRow[]> {
  const shown = await deps.statements.findMany(tenantId, items.map((i) => i.statementId))
  return items.map((i) => {
    const s = shown.get(i.statementId)
    return { ...i, ...(s?.verb !== undefined && { verb: s.verb }), ...(s?.objectId !== undefined && { objectId: s.objectId }), ...(s?.objectName !== undefined && { objectName: s.objectName }) }
  })
}

/**
 * The report pages, mounted at `/reports` (issue 6, "Reports"): `/` (sends each viewer to their
 * report), `/district`, `/mentoring-network` (the district's who-mentored-whom graph),
 * `/kecamatan/:id` (`?page=N`: 50 teachers a page, `TEACHERS_PER_PAGE`), `/teacher/:learnerKey` (URL-encoded IFI key),
 * `/teacher/:learnerKey/evidence/:code`, `/teacher/:learnerKey/statements/:id`. Each report page
 * also exports `?format=csv[&table=…]` and `?format=pdf`. Session: the LTI launch's or the local
 * sign-in's `tln_session` cookie. No session 401, no right 403, not in the tenant 404, bad filter
 * 400 naming the field and rule.
 */
export function reportsPageRouter(deps: ReportsRouterDeps): Router {
  const router = express.Router()
  const route = (path: string, handler: Handler) => router.get(path, (req, res, next) => {
    viewerOf(req, deps).then((viewer) => handler(req, res, viewer)).catch(next)
  })
  const html = (res: Response, body: string) => { toolPageHeaders(res); res.type('html').send(body) }
  /** The navigation of an HTML page: one query for the names of the viewer's kecamatan. */
  const navFor = async (viewer: Viewer) => navOf(viewer, await kecamatanNames(deps, viewer))
  // A HEAD request reads no one's records (its answer has no body), so it is not a viewing.
  const audit = (req: Request, viewer: Viewer, report: string, about: Record<string, unknown>, format: string) => {
    if (req.method !== 'HEAD') deps.logger.info({ userId: viewer.session.user.id, report, format, ...about }, 'report viewed')
  }

  router.get('/static/reports.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').set('X-Content-Type-Options', 'nosniff').send(REPORTS_CSS)
  })

  route('/', async (_req, res, viewer) => {
    const landing = landingOf(viewer.grants, viewer.profileKeys)
    if (landing.kind === 'district') return res.redirect(303, districtUrl())
    if (landing.kind === 'kecamatan' && landing.ids.length === 1) return res.redirect(303, kecamatanUrl(landing.ids[0]!))
    if (landing.kind === 'teacher' && landing.keys.length === 1) return res.redirect(303, teacherUrl(landing.keys[0]!))
    if (landing.kind === 'none') throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'no report for this viewer')
    const names = await kecamatanNames(deps, viewer)
    const links = landing.kind === 'kecamatan'
      ? landing.ids.map((id) => ({ href: kecamatanUrl(id), label: names.get(id) ?? id }))
      : landing.keys.map((key) => ({ href: teacherUrl(key), label: identityLabel(key) }))
    html(res, reportPage('TLN — Laporan', `<h1>${bothUnlessSame('Laporan', 'Reports')}</h1><ul id="tln-report-choices">${links.map((l) => `<li><a href="${e(l.href)}">${e(l.label)}</a></li>`).join('')}</ul>`, navOf(viewer, names)))
  })

  route('/district', async (req, res, viewer) => {
    const format = parseFormat(req.query)
    const r = await deps.service.district(viewer, req.query)
    audit(req, viewer, 'district', {}, format)
    const name = r.report.district?.name ?? 'Kabupaten'
    if (format === 'html') return html(res, districtPage({ ...r, nav: await navFor(viewer) }))
    await sendExport(res, req.query, { format, name: 'district', title: `Laporan ${name} / District report`, report: r.report, filter: r.filter, charts: districtCharts(r.report), tables: districtTables(r.report) })
  })

  route('/mentoring-network', async (req, res, viewer) => {
    const format = parseFormat(req.query)
    const r = await deps.service.mentoringNetwork(viewer, req.query)
    audit(req, viewer, 'mentoring-network', {}, format)
    const name = r.report.district?.name ?? 'Kabupaten'
    if (format === 'html') return html(res, mentoringNetworkPage({ ...r, nav: await navFor(viewer) }))
    await sendExport(res, req.query, { format, name: 'mentoring-network', title: `Jejaring pendampingan ${name} / Mentoring network`, report: r.report, filter: r.filter, charts: mentoringNetworkCharts(r.report), tables: mentoringNetworkTables(r.report) })
  })

  route('/kecamatan/:id', async (req, res, viewer) => {
    const format = parseFormat(req.query)
    // Only the HTML page is paged (issue 7); the CSV, PDF and JSON stay whole, for spreadsheets and machines.
    const page = format === 'html' ? parsePage(req.query) : 1
    const r = await deps.service.kecamatan(viewer, param(req, 'id'), req.query)
    const paging = teacherPaging(r.report.teachers.length, page)
    audit(req, viewer, 'kecamatan', { kecamatanId: r.report.kecamatan.id, ...(format === 'html' && { page }) }, format)
    if (format === 'html') return html(res, kecamatanPage({ ...r, paging, nav: await navFor(viewer) }))
    const tables = kecamatanTables(r.report)
    const request: ExportRequest = { format, name: `kecamatan-${r.report.kecamatan.name}`, title: `Kecamatan ${r.report.kecamatan.name} / TLN group report`, report: r.report, filter: r.filter, charts: kecamatanCharts(r.report), tables }
    // The full teachers × indicators matrix is data for a spreadsheet; the PDF prints it as the heatmaps.
    await sendExport(res, req.query, request, { pdfTables: tables.filter((t) => t.name !== 'heatmap') })
  })

  route('/teacher/:learnerKey', async (req, res, viewer) => {
    const format = parseFormat(req.query)
    const r = await deps.service.teacher(viewer, param(req, 'learnerKey'), req.query)
    audit(req, viewer, 'teacher', { learnerKey: r.report.teacher.learnerKey }, format)
    if (format === 'html') {
      const badges = await deps.badges.badgesOf(viewer.tenantId, [r.report.teacher.learnerKey])
      return html(res, teacherPage({ ...r, badges, nav: await navFor(viewer) }))
    }
    await sendExport(res, req.query, { format, name: 'teacher', title: `${r.report.teacher.name} / Teacher report`, report: r.report, filter: r.filter, charts: teacherCharts(r.report), tables: teacherTables(r.report) })
  })

  route('/teacher/:learnerKey/evidence/:code', async (req, res, viewer) => {
    const format = parseFormat(req.query)
    const key = param(req, 'learnerKey')
    const r = await deps.service.evidence(viewer, key, param(req, 'code'), req.query)
    audit(req, viewer, 'evidence', { learnerKey: key, code: r.code }, format)
    const rows = await evidenceRows(deps, viewer.tenantId, r.items)
    if (format === 'html') return html(res, evidencePage({ report: r.report, code: r.code, rows, query: r.query, nav: await navFor(viewer) }))
    await sendExport(res, req.query, { format, name: `evidence-${r.code}`, title: `${r.report.teacher.name}: ${r.code} / Evidence`, report: r.report, filter: r.filter, charts: [], tables: [evidenceTable(key, rows, r.report.engine.timeZone)] })
  })

  route('/teacher/:learnerKey/statements/:id', async (req, res, viewer) => {
    const key = param(req, 'learnerKey')
    await deps.service.learnerScope(viewer, key)
    const statement = await deps.statements.find(viewer.tenantId, param(req, 'id'))
    // Only the teacher's own statements are shown through their profile.
    if (statement === undefined || !statement.actorKeys.includes(key)) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such statement of this teacher')
    audit(req, viewer, 'statement', { learnerKey: key, statementId: statement.id }, 'html')
    const r = await deps.service.teacher(viewer, key, {})
    html(res, statementPage({ learnerKey: key, teacherName: r.report.teacher.name, statementId: statement.id, json: statement.json, voided: statement.voided, nav: await navFor(viewer) }))
  })

  router.use(reportErrorPage(deps.logger))
  router.use(toolErrorHandler(deps.logger))
  return router
}

const REFUSALS: Partial<Record<LtiToolError['code'], { id: string; en: string }>> = {
  ERR_TOOL_NOT_SIGNED_IN: { id: 'Anda belum masuk. Masuk dengan akun TLN Anda di /login, atau buka TLN dari LMS.', en: 'You are not signed in. Sign in with your TLN account at /login, or open TLN from your LMS.' },
  ERR_TOOL_FORBIDDEN: { id: 'Anda tidak berhak melihat laporan ini. Guru hanya melihat profilnya sendiri; fasilitator melihat kecamatan dampingannya; admin kabupaten melihat kabupatennya.', en: 'You may not see this report. Teachers see their own profile; facilitators the kecamatan they accompany; district admins their district.' },
  ERR_TOOL_NOT_FOUND: { id: 'Laporan ini tidak ditemukan: kecamatan atau guru tidak ada di sini, atau belum punya data.', en: 'This report was not found: no such kecamatan or teacher here, or no data yet.' },
}

/** Refusals of the report pages as a page that says why (a bad filter names its field and rule). */
function reportErrorPage(logger: ToolLogger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (!(error instanceof LtiToolError) || TOOL_ERROR_STATUS[error.code] >= 500) return next(error)
    const status = TOOL_ERROR_STATUS[error.code]
    const ref = referenceId()
    logger.debug({ ref, code: error.code, status, url: req.originalUrl, message: error.message, detail: error.detail }, 'report request refused')
    const message = error instanceof ReportInputError
      ? `<p>${bothUnlessSame('Saringan tidak valid', 'Invalid filter')}: <code id="tln-error-field">${e(error.field)}</code> (${bothUnlessSame('aturan', 'rule')} <code id="tln-error-rule">${e(error.rule)}</code>)</p><p lang="en">${e(error.message)}</p>`
      : `<p>${e((REFUSALS[error.code] ?? { id: error.message }).id)}</p><p lang="en">${e((REFUSALS[error.code] ?? { en: error.message }).en)}</p>`
    const signIn = error.code === 'ERR_TOOL_NOT_SIGNED_IN' ? `<p><a href="/login">${bothUnlessSame('Masuk', 'Sign in')}</a></p>` : ''
    toolPageHeaders(res)
    res.status(status).set('X-TLN-Error', error.code).type('html').send(reportPage('TLN — Laporan tidak tersedia', `<div class="box error" role="alert"><h1>${bothUnlessSame('Laporan tidak tersedia', 'Report not available')}</h1>${message}${signIn}<p>${bothUnlessSame('Kode rujukan', 'Reference')}: <code>${e(ref)}</code></p></div><p><a href="${REPORTS_BASE}">${bothUnlessSame('Ke laporan saya', 'To my reports')}</a></p>`))
  }
}

/**
 * The JSON API of the same reports, mounted at `/api/reports`: `/district`, `/mentoring-network`
 * (`MentoringNetworkReport`), `/kecamatan/:id`,
 * `/teacher/:learnerKey`, `/teacher/:learnerKey/evidence/:code`; each answers the contract
 * object of `@tln/competence` (`DistrictReport`, …; evidence: `EvidenceItem[]`). Same session and
 * rules as the pages; errors as `{ error: { code, message, field?, rule? } }`.
 */
export function reportsApiRouter(deps: ReportsRouterDeps): Router {
  const router = express.Router()
  const route = (path: string, handler: (req: Request, viewer: Viewer) => Promise<unknown>) => router.get(path, (req: Request, res: Response, next: NextFunction) => {
    viewerOf(req, deps).then(async (viewer) => {
      const body = await handler(req, viewer)
      deps.logger.info({ userId: viewer.session.user.id, url: req.originalUrl }, 'report API read')
      res.set('Cache-Control', 'no-store').json(body)
    }).catch(next)
  })
  route('/district', async (req, viewer) => (await deps.service.district(viewer, req.query)).report)
  route('/mentoring-network', async (req, viewer) => (await deps.service.mentoringNetwork(viewer, req.query)).report)
  route('/kecamatan/:id', async (req, viewer) => (await deps.service.kecamatan(viewer, param(req, 'id'), req.query)).report)
  route('/teacher/:learnerKey', async (req, viewer) => (await deps.service.teacher(viewer, param(req, 'learnerKey'), req.query)).report)
  route('/teacher/:learnerKey/evidence/:code', async (req, viewer) => (await deps.service.evidence(viewer, param(req, 'learnerKey'), param(req, 'code'), req.query)).items)
  const errors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    if (error instanceof LtiToolError && TOOL_ERROR_STATUS[error.code] < 500) {
      deps.logger.debug({ code: error.code, url: req.originalUrl, message: error.message, detail: error.detail }, 'report API refused')
      const where = error instanceof ReportInputError ? { field: error.field, rule: error.rule } : {}
      res.status(TOOL_ERROR_STATUS[error.code]).set('X-TLN-Error', error.code).json({ error: { code: error.code, message: error.message, ...where } })
      return
    }
    // A client error raised by express itself, e.g. an id that is not valid percent-encoding ("Failed to decode param").
    const status = (error as { status?: unknown }).status
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST').json({ error: { code: 'ERR_TOOL_BAD_REQUEST', message: (error as Error).message } })
      return
    }
    const unavailable = unavailableError(error)
    if (unavailable !== undefined) {
      deps.logger.warn({ url: req.originalUrl, err: error }, 'report API: database unavailable')
      res.status(503).set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S)).set('X-TLN-Error', unavailable.code).json({ error: { code: unavailable.code, message: unavailable.message } })
      return
    }
    const ref = referenceId()
    deps.logger.error({ ref, url: req.originalUrl, err: error }, 'report API failed')
    res.status(500).json({ error: { code: 'ERR_INTERNAL', message: `internal error, reference ${ref}` } })
  }
  router.use(errors)
  return router
}
