import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { formToken, pageAccess, requireFormToken, type PageAccess } from '../admin/page-access.ts'
import { LtiToolError } from '../errors.ts'
import { TOOL_ERROR_STATUS, toolErrorHandler, UNAVAILABLE_RETRY_AFTER_S, unavailableError } from '../http/error-page.ts'
import type { ToolLogger } from '../logger.ts'
import { sendPage } from '../meetings/session-guard.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { OrgNode } from '../org/org-types.ts'
import type { SessionStore } from '../session/session-store.ts'
import { coversKecamatan, mayReadPrograms, programScopes } from './program-access.ts'
import { modulePage, phasePage, programPage, programsPage, tierPage, type FormState, type KecamatanQuota } from './program-pages.ts'
import { checkModuleForm, checkPhaseForm, checkProgramDocument, checkProgramForm, checkQuotaForm, checkTierForm, type Checked } from './program-rules.ts'
import { ProgramInputError, type ProgramStore, type Saved } from './program-store.ts'
import type { FieldProblem, Program, ProgramDocument, ProgramTier, Text } from './types.ts'

export interface ProgramRouterDeps {
  readonly programs: ProgramStore
  readonly sessions: SessionStore
  readonly org: OrgStore
  /** Keys the session-bound CSRF tokens. */
  readonly secret: Uint8Array
  readonly logger: ToolLogger
}

interface Ctx {
  readonly access: PageAccess
  readonly tenantId: string
  readonly scopes: ReadonlyArray<OrgNode | undefined>
  /** Who saves, as `competence_config.created_by` records it. */
  readonly by: string
  readonly csrf: string
}

const DONE: Readonly<Record<string, Text>> = {
  created: { id: 'Program dibuat.', en: 'Program created.' },
  saved: { id: 'Tersimpan.', en: 'Saved.' },
  imported: { id: 'Program diimpor.', en: 'Program imported.' },
}
const BASE = '/lti/admin/programs'
/** A JSON document pasted into the import form: 256 kB is far above a program of 3 tiers × 50 phases × 100 modules of names. */
const FORM_LIMIT = '256kb'

/** Form fields as typed (trimmed), for showing a refused form again. */
function valuesOf(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== 'csrf' && typeof v === 'string').map(([k, v]) => [k, k === 'document' ? v as string : (v as string).trim()]))
}

/**
 * The program pages, mounted at `/lti/admin/programs` (issue 5: "Programs with tiers … and
 * modules, configurable by an administrator"). A `program:manage` grant on the tenant, a province
 * or a district gets in (`program-access.ts`); every form carries the session's CSRF token; every
 * id is looked up in the session's tenant (another tenant's: 404). A refused form answers 400
 * (409 for a taken code, level or order) with each problem under its field, and nothing changed.
 * - `GET /`, `POST /` (new program), `POST /import` (a `tln-program/1` JSON document);
 * - `GET|POST /:id`, `POST /:id/quotas`, `GET /:id/export.json`, `POST /:id/tiers`;
 * - `GET|POST /:id/tiers/:tierId`, `POST /:id/tiers/:tierId/phases`, `POST /:id/tiers/:tierId/modules`;
 * - `GET|POST /:id/tiers/:tierId/phases/:phaseId`, `GET|POST /:id/tiers/:tierId/modules/:moduleId`.
 * A save that changes the phases or quotas of an active program publishes a new competence
 * configuration version (the reports are rebuilt); the notice says so.
 */
export function programRouter(deps: ProgramRouterDeps): Router {
  const router = express.Router()
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 500 })
  const { programs } = deps

  const wrap = (handler: (req: Request, res: Response, ctx: Ctx) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const access = await pageAccess(deps, req)
        const tenantId = access.session.user.tenantId
        const scopes = await programScopes(deps.org, tenantId, access.grants)
        if (req.method === 'POST') requireFormToken(deps.secret, access, req.body)
        await handler(req, res, { access, tenantId, scopes, by: `lti-user:${access.session.user.id}`, csrf: formToken(deps.secret, access) })
      })().catch(next)
    }
  const param = (req: Request, name: string) => String(req.params[name])
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>
  const noticeOf = (req: Request): Text | undefined => {
    const done = typeof req.query.done === 'string' && Object.hasOwn(DONE, req.query.done) ? DONE[req.query.done] : undefined
    if (done === undefined) return undefined
    const version = typeof req.query.version === 'string' && /^\d+$/u.test(req.query.version) ? req.query.version : undefined
    return version === undefined ? done : {
      id: `${done.id} Tahap dan kuota diterbitkan sebagai konfigurasi kompetensi versi ${version}: laporan dibangun ulang.`,
      en: `${done.en} Phases and quotas were published as competence configuration version ${version}: the reports are being rebuilt.`,
    }
  }
  const redirect = (res: Response, to: string, what: keyof typeof DONE, saved: Saved) =>
    res.redirect(303, `${to}?done=${what}${saved.published ? `&version=${saved.version}` : ''}`)
  const refuse = (res: Response, status: number, html: string) => {
    res.set('X-TLN-Error', status === 409 ? 'ERR_TOOL_CONFLICT' : 'ERR_TOOL_BAD_REQUEST')
    sendPage(res, status, html)
  }
  /** Run a checked save; a rule broken (in the form or in the stored program) re-renders the form with its problems. */
  async function save<T>(res: Response, checked: Checked<T>, values: Record<string, string>, run: (value: T) => Promise<void>, render: (state: FormState) => Promise<string>): Promise<void> {
    let problems: readonly FieldProblem[]
    let status = 400
    if (!checked.ok) problems = checked.problems
    else {
      try {
        return await run(checked.value)
      } catch (error) {
        if (!(error instanceof ProgramInputError)) throw error
        problems = error.problems
        status = error.conflict ? 409 : 400
      }
    }
    refuse(res, status, await render({ values, problems }))
  }

  async function kecamatanOf(ctx: Ctx, program: Program): Promise<KecamatanQuota[]> {
    const all = await deps.org.nodes(ctx.tenantId, { kind: 'kecamatan' })
    return all.sort((a, b) => a.code.localeCompare(b.code)).map((k) => ({
      id: k.id, code: k.code, name: k.name, editable: coversKecamatan(ctx.scopes, k),
      participants: program.quotas.find((q) => q.kecamatanId === k.id)?.participants ?? null,
    }))
  }
  /**
   * An import replaces the program's quotas: each kecamatan whose quota it sets, changes or removes
   * must be one this person may plan (as on the quota form); others' quotas must come back unchanged.
   */
  async function quotasInScope(ctx: Ctx, doc: ProgramDocument): Promise<Checked<ProgramDocument>> {
    const kecamatan = await deps.org.nodes(ctx.tenantId, { kind: 'kecamatan' })
    const plannable = new Set(kecamatan.filter((k) => coversKecamatan(ctx.scopes, k)).map((k) => k.code))
    const existing = (await programs.list(ctx.tenantId)).find((p) => p.code === doc.code)
    const before = new Map((existing === undefined ? [] : (await programs.mustProgram(ctx.tenantId, existing.id)).quotas).map((q) => [q.kecamatanCode, q.participants]))
    const codes = new Set([...before.keys(), ...Object.keys(doc.quotas)])
    // Codes of no kecamatan are left to the store, which names them (rule `unknown-kecamatan`).
    const known = new Set(kecamatan.map((k) => k.code))
    const outside = [...codes].filter((code) => known.has(code) && !plannable.has(code) && before.get(code) !== doc.quotas[code])
    if (outside.length === 0) return { ok: true, value: doc }
    return { ok: false, problems: outside.map((code) => ({ field: `quotas.${code}`, rule: 'scope', message: {
      id: `Kuota kecamatan ${code} di luar wilayah Anda: biarkan seperti semula.`, en: `The quota of kecamatan ${code} is outside your area: leave it as it was.`,
    } })) }
  }
  const tierOf = (program: Program, tierId: string): ProgramTier => {
    const tier = program.tierList.find((t) => t.id === tierId)
    if (tier === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such tier in this program', { tierId })
    return tier
  }
  const renderProgram = async (ctx: Ctx, id: string, forms: Partial<Record<'edit' | 'tier' | 'quota', FormState>>, notice?: Text) => {
    const program = await programs.mustProgram(ctx.tenantId, id)
    return programPage({ csrf: ctx.csrf, program, kecamatan: await kecamatanOf(ctx, program), ...forms, ...(notice !== undefined && { notice }) })
  }
  const renderTier = async (ctx: Ctx, id: string, tierId: string, forms: Partial<Record<'edit' | 'phase' | 'module', FormState>>, notice?: Text) => {
    const program = await programs.mustProgram(ctx.tenantId, id)
    return tierPage({ csrf: ctx.csrf, program, tier: tierOf(program, tierId), ...forms, ...(notice !== undefined && { notice }) })
  }
  const log = (ctx: Ctx, what: string, saved: Saved, extra: Record<string, unknown> = {}) =>
    deps.logger.info({ userId: ctx.access.session.user.id, id: saved.id, configVersion: saved.version, published: saved.published, ...extra }, what)

  router.get('/', wrap(async (req, res, ctx) => {
    const notice = noticeOf(req)
    sendPage(res, 200, programsPage({ csrf: ctx.csrf, programs: await programs.list(ctx.tenantId), ...(notice !== undefined && { notice }) }))
  }))

  router.post('/', form, wrap(async (req, res, ctx) => {
    await save(res, checkProgramForm(body(req)), valuesOf(body(req)), async (fields) => {
      const saved = await programs.createProgram(ctx.tenantId, fields, ctx.by)
      log(ctx, 'program created', saved, { code: fields.code })
      redirect(res, `${BASE}/${saved.id}`, 'created', saved)
    }, async (create) => programsPage({ csrf: ctx.csrf, programs: await programs.list(ctx.tenantId), create }))
  }))

  router.post('/import', form, wrap(async (req, res, ctx) => {
    const raw = typeof body(req).document === 'string' ? body(req).document as string : ''
    let parsed: unknown
    let checked: Checked<ProgramDocument>
    try {
      parsed = JSON.parse(raw)
      checked = checkProgramDocument(parsed)
    } catch {
      checked = { ok: false, problems: [{ field: 'document', rule: 'json', message: { id: 'Bukan JSON yang sah.', en: 'Not valid JSON.' } }] }
    }
    if (checked.ok) checked = await quotasInScope(ctx, checked.value)
    await save(res, checked, { document: raw }, async (doc) => {
      const saved = await programs.putDocument(ctx.tenantId, doc, ctx.by)
      log(ctx, 'program imported', saved, { code: doc.code })
      redirect(res, `${BASE}/${saved.id}`, 'imported', saved)
    }, async (importing) => programsPage({ csrf: ctx.csrf, programs: await programs.list(ctx.tenantId), importing }))
  }))

  router.get('/:id', wrap(async (req, res, ctx) => {
    sendPage(res, 200, await renderProgram(ctx, param(req, 'id'), {}, noticeOf(req)))
  }))

  router.get('/:id/export.json', wrap(async (req, res, ctx) => {
    const doc = await programs.document(ctx.tenantId, param(req, 'id'))
    res.set('Content-Disposition', `attachment; filename="program-${doc.code}.json"`)
    res.status(200).type('application/json').send(`${JSON.stringify(doc, null, 2)}\n`)
  }))

  router.post('/:id', form, wrap(async (req, res, ctx) => {
    const id = param(req, 'id')
    await programs.mustProgram(ctx.tenantId, id)
    await save(res, checkProgramForm(body(req)), valuesOf(body(req)), async (fields) => {
      const saved = await programs.updateProgram(ctx.tenantId, id, fields, ctx.by)
      log(ctx, 'program changed', saved)
      redirect(res, `${BASE}/${id}`, 'saved', saved)
    }, (edit) => renderProgram(ctx, id, { edit }))
  }))

  router.post('/:id/quotas', form, wrap(async (req, res, ctx) => {
    const id = param(req, 'id')
    const program = await programs.mustProgram(ctx.tenantId, id)
    const editable = (await kecamatanOf(ctx, program)).filter((k) => k.editable).map((k) => k.id)
    const posted = Object.keys(body(req)).filter((k) => k.startsWith('quota.')).map((k) => k.slice('quota.'.length))
    // A quota field for a kecamatan this person may not plan (another district's, another tenant's) is refused whole.
    const foreign = posted.find((k) => !editable.includes(k))
    if (foreign !== undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no kecamatan of yours with this id', { kecamatanId: foreign })
    // Only the posted fields change: an empty one removes that kecamatan's quota.
    await save(res, checkQuotaForm(body(req), posted), valuesOf(body(req)), async (quotas) => {
      const saved = await programs.setQuotas(ctx.tenantId, id, quotas, ctx.by)
      log(ctx, 'program quotas set', saved)
      redirect(res, `${BASE}/${id}`, 'saved', saved)
    }, (quota) => renderProgram(ctx, id, { quota }))
  }))

  router.post('/:id/tiers', form, wrap(async (req, res, ctx) => {
    const id = param(req, 'id')
    await programs.mustProgram(ctx.tenantId, id)
    await save(res, checkTierForm(body(req)), valuesOf(body(req)), async (fields) => {
      const saved = await programs.saveTier(ctx.tenantId, id, undefined, fields, ctx.by)
      log(ctx, 'program tier added', saved)
      redirect(res, `${BASE}/${id}/tiers/${saved.id}`, 'saved', saved)
    }, (tier) => renderProgram(ctx, id, { tier }))
  }))

  router.get('/:id/tiers/:tierId', wrap(async (req, res, ctx) => {
    sendPage(res, 200, await renderTier(ctx, param(req, 'id'), param(req, 'tierId'), {}, noticeOf(req)))
  }))

  router.post('/:id/tiers/:tierId', form, wrap(async (req, res, ctx) => {
    const [id, tierId] = [param(req, 'id'), param(req, 'tierId')]
    tierOf(await programs.mustProgram(ctx.tenantId, id), tierId)
    await save(res, checkTierForm(body(req)), valuesOf(body(req)), async (fields) => {
      const saved = await programs.saveTier(ctx.tenantId, id, tierId, fields, ctx.by)
      log(ctx, 'program tier changed', saved)
      redirect(res, `${BASE}/${id}/tiers/${tierId}`, 'saved', saved)
    }, (edit) => renderTier(ctx, id, tierId, { edit }))
  }))

  router.post('/:id/tiers/:tierId/phases', form, wrap(async (req, res, ctx) => {
    const [id, tierId] = [param(req, 'id'), param(req, 'tierId')]
    tierOf(await programs.mustProgram(ctx.tenantId, id), tierId)
    await save(res, checkPhaseForm(body(req)), valuesOf(body(req)), async (fields) => {
      const saved = await programs.savePhase(ctx.tenantId, id, tierId, undefined, fields, ctx.by)
      log(ctx, 'program phase added', saved)
      redirect(res, `${BASE}/${id}/tiers/${tierId}`, 'saved', saved)
    }, (phase) => renderTier(ctx, id, tierId, { phase }))
  }))

  router.post('/:id/tiers/:tierId/modules', form, wrap(async (req, res, ctx) => {
    const [id, tierId] = [param(req, 'id'), param(req, 'tierId')]
    const tier = tierOf(await programs.mustProgram(ctx.tenantId, id), tierId)
    await save(res, checkModuleForm(body(req), new Set(tier.phases.map((p) => p.id))), valuesOf(body(req)), async (fields) => {
      const saved = await programs.saveModule(ctx.tenantId, id, tierId, undefined, fields, ctx.by)
      log(ctx, 'program module added', saved)
      redirect(res, `${BASE}/${id}/tiers/${tierId}`, 'saved', saved)
    }, (module) => renderTier(ctx, id, tierId, { module }))
  }))

  const phaseOf = (tier: ProgramTier, phaseId: string) => {
    const phase = tier.phases.find((p) => p.id === phaseId)
    if (phase === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such phase in this tier', { phaseId })
    return phase
  }
  const moduleOf = (tier: ProgramTier, moduleId: string) => {
    const module = tier.phases.flatMap((p) => p.modules).find((m) => m.id === moduleId)
    if (module === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such module in this tier', { moduleId })
    return module
  }

  router.get('/:id/tiers/:tierId/phases/:phaseId', wrap(async (req, res, ctx) => {
    const program = await programs.mustProgram(ctx.tenantId, param(req, 'id'))
    const tier = tierOf(program, param(req, 'tierId'))
    sendPage(res, 200, phasePage({ csrf: ctx.csrf, program, tier, phase: phaseOf(tier, param(req, 'phaseId')) }))
  }))

  router.post('/:id/tiers/:tierId/phases/:phaseId', form, wrap(async (req, res, ctx) => {
    const [id, tierId, phaseId] = [param(req, 'id'), param(req, 'tierId'), param(req, 'phaseId')]
    const program = await programs.mustProgram(ctx.tenantId, id)
    const tier = tierOf(program, tierId)
    const phase = phaseOf(tier, phaseId)
    await save(res, checkPhaseForm(body(req)), valuesOf(body(req)), async (fields) => {
      const saved = await programs.savePhase(ctx.tenantId, id, tierId, phaseId, fields, ctx.by)
      log(ctx, 'program phase changed', saved)
      redirect(res, `${BASE}/${id}/tiers/${tierId}`, 'saved', saved)
    }, async (edit) => phasePage({ csrf: ctx.csrf, program, tier, phase, edit }))
  }))

  router.get('/:id/tiers/:tierId/modules/:moduleId', wrap(async (req, res, ctx) => {
    const program = await programs.mustProgram(ctx.tenantId, param(req, 'id'))
    const tier = tierOf(program, param(req, 'tierId'))
    sendPage(res, 200, modulePage({ csrf: ctx.csrf, program, tier, module: moduleOf(tier, param(req, 'moduleId')) }))
  }))

  router.post('/:id/tiers/:tierId/modules/:moduleId', form, wrap(async (req, res, ctx) => {
    const [id, tierId, moduleId] = [param(req, 'id'), param(req, 'tierId'), param(req, 'moduleId')]
    const program = await programs.mustProgram(ctx.tenantId, id)
    const tier = tierOf(program, tierId)
    const module = moduleOf(tier, moduleId)
    await save(res, checkModuleForm(body(req), new Set(tier.phases.map((p) => p.id))), valuesOf(body(req)), async (fields) => {
      const saved = await programs.saveModule(ctx.tenantId, id, tierId, moduleId, fields, ctx.by)
      log(ctx, 'program module changed', saved)
      redirect(res, `${BASE}/${id}/tiers/${tierId}`, 'saved', saved)
    }, async (edit) => modulePage({ csrf: ctx.csrf, program, tier, module, edit }))
  }))

  router.use(toolErrorHandler(deps.logger))
  return router
}

/**
 * The programs as JSON, mounted at `/lti/api/programs`: `GET /` every program of the session's
 * tenant with its tiers, phases, modules and quotas; `GET /:id` one (another tenant's: 404). For
 * program managers and anyone who reads reports. Errors are JSON `{ error, message }`.
 */
export function programApiRouter(deps: Omit<ProgramRouterDeps, 'secret'>): Router {
  const router = express.Router()
  const reader = async (req: Request) => {
    const access = await pageAccess(deps, req)
    if (!mayReadPrograms(access.grants)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'reading programs needs a program manager or a report reader', { userId: access.session.user.id })
    return access.session.user.tenantId
  }
  router.get('/', (req, res, next) => {
    void (async () => {
      const tenantId = await reader(req)
      const list = await deps.programs.list(tenantId)
      const full = await Promise.all(list.map((p) => deps.programs.mustProgram(tenantId, p.id)))
      res.status(200).json({ programs: full })
    })().catch(next)
  })
  router.get('/:id', (req, res, next) => {
    void (async () => {
      const tenantId = await reader(req)
      res.status(200).json(await deps.programs.mustProgram(tenantId, String(req.params.id)))
    })().catch(next)
  })
  router.use(((error, _req, res, _next) => {
    if (error instanceof LtiToolError) {
      res.set('X-TLN-Error', error.code).status(TOOL_ERROR_STATUS[error.code]).json({ error: error.code, message: error.message })
      return
    }
    // A client error raised by express itself, e.g. an id that is not valid percent-encoding ("Failed to decode param").
    const status = (error as { status?: unknown }).status
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST').status(status).json({ error: 'ERR_TOOL_BAD_REQUEST', message: (error as Error).message })
      return
    }
    const unavailable = unavailableError(error)
    if (unavailable !== undefined) {
      deps.logger.warn({ err: error }, 'program API: database unavailable')
      res.set('X-TLN-Error', unavailable.code).set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S)).status(503).json({ error: unavailable.code, message: unavailable.message })
      return
    }
    deps.logger.error({ err: error }, 'program API failed')
    res.status(500).json({ error: 'ERR_INTERNAL', message: 'internal error' })
  }) as express.ErrorRequestHandler)
  return router
}
