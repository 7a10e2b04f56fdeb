import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { accountPageHeaders } from '../accounts/account-pages.ts'
import { LtiToolError } from '../errors.ts'
import { toolErrorHandler } from '../http/error-page.ts'
import type { ToolLogger } from '../logger.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { SessionStore } from '../session/session-store.ts'
import { formToken, isTenantAdmin, pageAccess, requireFormToken, type PageAccess } from './page-access.ts'
import { PlatformAdmin } from './platform-admin.ts'
import { checkDeploymentId, checkPlatformForm, DUPLICATE_MESSAGE, type FieldProblem } from './platform-form.ts'
import { confirmPage, DONE, platformsPage, type ToolUrls } from './platform-pages.ts'

export interface PlatformRouterDeps {
  readonly admin: PlatformAdmin
  readonly sessions: SessionStore
  readonly org: OrgStore
  /** Keys the session-bound CSRF tokens. */
  readonly secret: Uint8Array
  readonly publicUrl: string
  readonly logger: ToolLogger
}

const BAD_DEPLOYMENT = { id: 'Deployment ID wajib diisi: huruf dan tanda baca ASCII tanpa spasi, paling banyak 255 karakter.', en: 'Deployment ID required: ASCII letters and punctuation without spaces, at most 255 characters.' }

/**
 * The platforms admin page, mounted at `/lti/admin/platforms` (issue 4, "three ways in": beside
 * Dynamic Registration and `tln platform add`). Only a tenant-wide `admin` grant gets in (a local
 * admin account, or an LMS administrator's launch); every route loads the registration within the
 * session's tenant (another tenant's id: 404). Every form carries the session's CSRF token;
 * deactivating and removing a deployment first show a confirmation page. Not framable (the
 * account pages' headers): registrations decide who may sign in.
 * - `GET /` the tool's URLs, the registrations, the add form; `POST /` add (every field checked,
 *   nothing stored on a problem: 400, or 409 for a taken issuer + client ID);
 * - `POST /:id/activate`, `POST /:id/deactivate` (confirm), `POST /:id/deployments`,
 *   `POST /:id/deployments/remove` (confirm).
 */
export function platformRouter(deps: PlatformRouterDeps): Router {
  const router = express.Router()
  const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 20 })
  const urls: ToolUrls = {
    login: `${deps.publicUrl}/lti/login`, launch: `${deps.publicUrl}/lti/launch`, jwks: `${deps.publicUrl}/lti/jwks`,
    config: `${deps.publicUrl}/lti/config.json`, register: `${deps.publicUrl}/lti/register`,
  }
  const wrap = (handler: (req: Request, res: Response, access: PageAccess) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const access = await pageAccess(deps, req)
        if (!isTenantAdmin(access.grants)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'the platforms page needs admin on the tenant', { userId: access.session.user.id })
        if (req.method === 'POST') requireFormToken(deps.secret, access, req.body)
        await handler(req, res, access)
      })().catch(next)
    }
  const tenantOf = (a: PageAccess) => a.session.user.tenantId
  const slugOf = (a: PageAccess) => deps.admin.tenantSlug(tenantOf(a))
  const send = async (res: Response, access: PageAccess, status: number, extra: Partial<Parameters<typeof platformsPage>[0]> = {}, code?: string) => {
    accountPageHeaders(res)
    if (code !== undefined) res.set('X-TLN-Error', code)
    res.status(status).type('html').send(platformsPage({
      csrf: formToken(deps.secret, access), tenant: await slugOf(access), urls, platforms: await deps.admin.list(tenantOf(access)), ...extra,
    }))
  }
  const done = (res: Response, what: keyof typeof DONE) => res.redirect(303, `/lti/admin/platforms?done=${what}`)
  const idOf = (req: Request) => String(req.params.id)
  const confirmed = (req: Request) => (req.body as Record<string, unknown>).confirm === 'yes'

  router.get('/', wrap(async (req, res, access) => {
    const what = typeof req.query.done === 'string' && Object.hasOwn(DONE, req.query.done) ? DONE[req.query.done] : undefined
    await send(res, access, 200, what === undefined ? {} : { done: what })
  }))

  router.post('/', form, wrap(async (req, res, access) => {
    const checked = checkPlatformForm(req.body as Record<string, unknown>)
    if (!checked.ok) return send(res, access, 400, { problems: checked.problems, values: checked.values }, 'ERR_TOOL_BAD_REQUEST')
    const duplicate = (): readonly FieldProblem[] => [
      { field: 'issuer', rule: 'duplicate-registration', message: DUPLICATE_MESSAGE },
      { field: 'clientId', rule: 'duplicate-registration', message: DUPLICATE_MESSAGE },
    ]
    const values = checkedValues(req.body as Record<string, unknown>)
    if (await deps.admin.exists(checked.platform.issuer, checked.platform.clientId)) return send(res, access, 409, { problems: duplicate(), values }, 'ERR_TOOL_CONFLICT')
    try {
      const record = await deps.admin.add(await slugOf(access), checked.platform, checked.deploymentIds)
      deps.logger.info({ userId: access.session.user.id, platformId: record.id, issuer: record.issuer, clientId: record.clientId }, 'platform added on the admin page')
    } catch (error) {
      // A concurrent add of the same pair won the unique index.
      if (error instanceof LtiToolError && error.code === 'ERR_TOOL_CONFLICT') return send(res, access, 409, { problems: duplicate(), values }, 'ERR_TOOL_CONFLICT')
      throw error
    }
    done(res, 'added')
  }))

  router.post('/:id/activate', form, wrap(async (req, res, access) => {
    const record = await deps.admin.setStatus(tenantOf(access), idOf(req), 'active')
    deps.logger.info({ userId: access.session.user.id, platformId: record.id }, 'platform activated on the admin page')
    done(res, 'activated')
  }))

  router.post('/:id/deactivate', form, wrap(async (req, res, access) => {
    const record = await deps.admin.get(tenantOf(access), idOf(req))
    if (!confirmed(req)) {
      accountPageHeaders(res)
      res.type('html').send(confirmPage({
        csrf: formToken(deps.secret, access), action: `/lti/admin/platforms/${encodeURIComponent(record.id)}/deactivate`, detail: `${record.issuer} — ${record.clientId}`,
        question: { id: 'Nonaktifkan platform ini? Guru dan fasilitator tidak bisa lagi membuka TLN dari LMS ini sampai platform diaktifkan kembali.', en: 'Deactivate this platform? Teachers and facilitators can no longer open TLN from this LMS until it is activated again.' },
      }))
      return
    }
    await deps.admin.setStatus(tenantOf(access), record.id, 'pending')
    deps.logger.info({ userId: access.session.user.id, platformId: record.id }, 'platform deactivated on the admin page')
    done(res, 'deactivated')
  }))

  router.post('/:id/deployments', form, wrap(async (req, res, access) => {
    const record = await deps.admin.get(tenantOf(access), idOf(req))
    const deploymentId = checkDeploymentId((req.body as Record<string, unknown>).deploymentId)
    if (deploymentId === undefined) return send(res, access, 400, { deploymentProblem: { platformId: record.id, text: BAD_DEPLOYMENT } }, 'ERR_TOOL_BAD_REQUEST')
    await deps.admin.addDeployment(tenantOf(access), record.id, deploymentId)
    deps.logger.info({ userId: access.session.user.id, platformId: record.id, deploymentId }, 'deployment added on the admin page')
    done(res, 'deployment-added')
  }))

  router.post('/:id/deployments/remove', form, wrap(async (req, res, access) => {
    const record = await deps.admin.get(tenantOf(access), idOf(req))
    const deploymentId = (req.body as Record<string, unknown>).deploymentId
    if (typeof deploymentId !== 'string' || !record.deploymentIds.includes(deploymentId)) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such deployment on this platform')
    if (!confirmed(req)) {
      accountPageHeaders(res)
      res.type('html').send(confirmPage({
        csrf: formToken(deps.secret, access), action: `/lti/admin/platforms/${encodeURIComponent(record.id)}/deployments/remove`, detail: `${record.issuer} — ${deploymentId}`,
        fields: { deploymentId },
        question: { id: 'Hapus deployment ID ini? Peluncuran yang memakainya akan ditolak.', en: 'Remove this deployment ID? Launches that name it will be refused.' },
      }))
      return
    }
    await deps.admin.removeDeployment(tenantOf(access), record.id, deploymentId)
    deps.logger.info({ userId: access.session.user.id, platformId: record.id, deploymentId }, 'deployment removed on the admin page')
    done(res, 'deployment-removed')
  }))

  router.use(toolErrorHandler(deps.logger))
  return router
}

function checkedValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== 'csrf' && typeof v === 'string').map(([k, v]) => [k, (v as string).trim()]))
}
