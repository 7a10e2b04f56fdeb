import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { formToken, pageAccess, requireFormToken, type PageAccess } from '../admin/page-access.ts'
import { LtiToolError } from '../errors.ts'
import { toolErrorHandler } from '../http/error-page.ts'
import { toolPageHeaders } from '../http/headers.ts'
import type { ToolLogger } from '../logger.ts'
import { ROLE_ACTIONS } from '../org/access.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { SessionStore } from '../session/session-store.ts'
import { gradesPage } from './grades-page.ts'
import { gradeScopeOf, type GradeFilter, type GradeScope, type ScopedPassbacks } from './scoped-passbacks.ts'

export interface GradesRouterDeps {
  readonly passbacks: ScopedPassbacks
  readonly sessions: SessionStore
  readonly org: OrgStore
  readonly secret: Uint8Array
  readonly logger: ToolLogger
  readonly now: () => number
  /** The deployment's IANA zone (`TLN_TIME_ZONE`) the page shows times in. */
  readonly timeZone: string
  /** Wake this process's passback workers after a retry. */
  readonly wake: () => void
}

const FILTERS: readonly GradeFilter[] = ['problems', 'sent', 'all']
const RETRIED = { id: 'Nilai dimasukkan lagi ke antrean dan akan dikirim dalam beberapa detik.', en: 'The grade was queued again and will be sent within seconds.' }

/**
 * The facilitator's view of the grade passback queue (issue 4: "a failed passback is … visible to
 * the facilitator, never lost"), mounted at `/lti/grades`: `GET /?show=problems|sent|all` and
 * `POST /:id/retry` (CSRF). Facilitators and coordinators see the jobs of learners in their
 * kecamatan, tenant admins all of the tenant's; the scope is checked again on every action, so
 * another kecamatan's or tenant's job id is 404. Framable: facilitators arrive from the LMS.
 */
export function gradesRouter(deps: GradesRouterDeps): Router {
  const router = express.Router()
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 })
  const wrap = (handler: (req: Request, res: Response, access: PageAccess, scope: GradeScope) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const access = await pageAccess(deps, req)
        const scope = gradeScopeOf(access.grants)
        if (scope === undefined) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'the grades page needs a facilitator, coordinator or admin grant', { userId: access.session.user.id })
        if (req.method === 'POST') requireFormToken(deps.secret, access, req.body)
        await handler(req, res, access, scope)
      })().catch(next)
    }

  router.get('/', wrap(async (req, res, access, scope) => {
    const filter = FILTERS.find((f) => f === req.query.show) ?? 'problems'
    const tenantId = access.session.user.tenantId
    toolPageHeaders(res)
    res.type('html').send(gradesPage({
      csrf: formToken(deps.secret, access), filter, timeZone: deps.timeZone, scope: await scopeLabel(deps.org, tenantId, access),
      jobs: await deps.passbacks.list(tenantId, scope, filter),
      ...(req.query.done === 'retried' && { done: RETRIED }),
    }))
  }))

  router.post('/:id/retry', form, wrap(async (req, res, access, scope) => {
    const job = await deps.passbacks.retryNow(access.session.user.tenantId, scope, Number(req.params.id), new Date(deps.now()))
    deps.wake()
    deps.logger.info({ userId: access.session.user.id, passbackId: job.id, status: job.status }, 'grade passback retried from the facilitator page')
    res.redirect(303, '/lti/grades?done=retried')
  }))

  router.use(toolErrorHandler(deps.logger))
  return router
}

async function scopeLabel(org: OrgStore, tenantId: string, access: PageAccess): Promise<string> {
  const scope = gradeScopeOf(access.grants)
  if (scope === undefined || 'tenant' in scope) return 'seluruh tenant / whole tenant'
  const names = await Promise.all(access.grants.filter((g) => g.nodeId !== undefined && ROLE_ACTIONS[g.role].has('tasks:grade')).map(async (g) => (await org.node(tenantId, g.nodeId!))?.name))
  return [...new Set(names.filter((n): n is string => n !== undefined))].join(', ')
}
