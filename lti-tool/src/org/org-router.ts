import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express'
import type { Csrf } from '../accounts/csrf.ts'
import { LtiToolError } from '../errors.ts'
import { toolErrorHandler, TOOL_ERROR_STATUS } from '../http/error-page.ts'
import { toolPageHeaders } from '../http/headers.ts'
import type { ToolLogger } from '../logger.ts'
import type { Access, grantGuard } from './grant-guard.ts'
import { importPage } from './import-page.ts'
import { importOrgCsv, type ImportKind, type ImportResult } from './org-import.ts'
import type { OrgStore } from './org-store.ts'

export interface OrgRouterDeps {
  readonly knex: Parameters<typeof importOrgCsv>[0]
  readonly org: OrgStore
  readonly requireGrant: ReturnType<typeof grantGuard>
  readonly csrf: Csrf
  readonly logger: ToolLogger
}

const KINDS: readonly ImportKind[] = ['schools', 'teachers']

/**
 * The organisation API and the import page, mounted at `/lti/org`:
 * - `GET /nodes/:id` (`org:read`): a node and its children, JSON;
 * - `POST /nodes/:id/import/:kind?dryRun=1` (`org:manage`): a `text/csv` body, imported below the
 *   node; 200 with counts, or 400 `ERR_TOOL_IMPORT_REJECTED` with the per-row report. Only
 *   `text/csv` is read: a cross-site form cannot send it without a CORS preflight, which TLN
 *   never grants, so the session cookie cannot be ridden;
 * - `GET /import?node=<id>` and `POST /import`: the same import as a page with a CSRF-protected form.
 * Another tenant's node id is 404 and changes nothing (`grant-guard.ts`).
 */
export function orgRouter(deps: OrgRouterDeps): Router {
  const router = express.Router()
  const api = express.Router()
  const wrap = (handler: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { handler(req, res).catch(next) }
  const access = (res: Response) => res.locals.access as Access

  api.get('/nodes/:id', deps.requireGrant('org:read', (req) => String(req.params.id)), wrap(async (req, res) => {
    const { node, session } = access(res)
    const children = await deps.org.nodes(session.user.tenantId, { under: node! })
    res.set('Cache-Control', 'no-store').json({ node, children: children.filter((c) => c.parentId === node!.id) })
  }))

  api.post('/nodes/:id/import/:kind', express.text({ type: 'text/csv', limit: '2mb' }), deps.requireGrant('org:manage', (req) => String(req.params.id)), wrap(async (req, res) => {
    const kind = String(req.params.kind) as ImportKind
    if (!KINDS.includes(kind)) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `no import of ${kind}`)
    if (typeof req.body !== 'string') throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'send the CSV as the body with Content-Type: text/csv')
    const { node, session } = access(res)
    const result = await importOrgCsv(deps.knex, { tenantId: session.user.tenantId, kind, csv: req.body, dryRun: req.query.dryRun === '1' || req.query.dryRun === 'true', under: node! }, { logger: deps.logger })
    deps.logger.info({ userId: session.user.id, nodeId: node!.id, kind, ok: result.ok }, 'CSV import')
    if (!result.ok) {
      res.status(TOOL_ERROR_STATUS.ERR_TOOL_IMPORT_REJECTED).json({ error: { code: 'ERR_TOOL_IMPORT_REJECTED', message: 'the file was rejected; nothing was stored' }, problems: result.problems })
      return
    }
    res.json(result)
  }))

  const apiErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (!(error instanceof LtiToolError)) return next(error)
    deps.logger.debug({ code: error.code, message: error.message, detail: error.detail }, 'org API request refused')
    res.status(TOOL_ERROR_STATUS[error.code]).set('X-TLN-Error', error.code).json({ error: { code: error.code, message: error.message } })
  }
  api.use(apiErrors)
  router.use(api)

  const form = express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 10 })
  const nodeOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)

  router.get('/import', deps.requireGrant('org:manage', (req) => nodeOf(req.query.node)), (req, res) => {
    const { node } = access(res)
    toolPageHeaders(res)
    res.type('html').send(importPage({ csrf: deps.csrf.token(req, res), ...(node !== undefined && { node }) }))
  })

  router.post('/import', form, (req, _res, next) => next(deps.csrf.valid(req) ? undefined : new LtiToolError('ERR_TOOL_CSRF', 'import form without a valid CSRF token')),
    deps.requireGrant('org:manage', (req) => nodeOf((req.body as Record<string, unknown>).node)), wrap(async (req, res) => {
      const body = req.body as Record<string, unknown>
      const kind = body.kind as ImportKind
      const csv = typeof body.csv === 'string' ? body.csv : ''
      const { node, session } = access(res)
      // A form without its kind is shown again with that field's problem (an empty CSV gets the import's own `empty-file`).
      const result: ImportResult = KINDS.includes(kind)
        ? await importOrgCsv(deps.knex, { tenantId: session.user.tenantId, kind, csv, dryRun: body.dryRun === '1', ...(node !== undefined && { under: node }) }, { logger: deps.logger })
        : { ok: false, kind: 'schools', problems: [{ row: 0, column: 'kind', rule: 'required', message: 'Pilih jenis data: lembaga atau guru. / Choose the kind of data: schools or teachers.' }] }
      deps.logger.info({ userId: session.user.id, nodeId: node?.id, kind, ok: result.ok }, 'CSV import (page)')
      toolPageHeaders(res)
      if (!result.ok) res.status(TOOL_ERROR_STATUS.ERR_TOOL_IMPORT_REJECTED).set('X-TLN-Error', 'ERR_TOOL_IMPORT_REJECTED')
      res.type('html').send(importPage({ csrf: deps.csrf.token(req, res), result, csv: result.ok ? '' : csv, ...(node !== undefined && { node }) }))
    }))

  router.use(toolErrorHandler(deps.logger))
  return router
}
