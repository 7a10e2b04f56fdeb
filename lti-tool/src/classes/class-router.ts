import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { isTenantAdmin, pageAccess, type PageAccess } from '../admin/page-access.ts'
import { LtiToolError } from '../errors.ts'
import { toolErrorHandler } from '../http/error-page.ts'
import { toolPageHeaders } from '../http/headers.ts'
import type { ToolLogger } from '../logger.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { SessionStore } from '../session/session-store.ts'
import { classListPage, classPage } from './class-pages.ts'
import type { CourseClasses } from './course-classes.ts'

export interface ClassRouterDeps {
  readonly classes: CourseClasses
  readonly sessions: SessionStore
  readonly org: OrgStore
  readonly logger: ToolLogger
  /** The deployment's IANA zone (`TLN_TIME_ZONE`) the pages show times in. */
  readonly timeZone: string
}

/**
 * Class pages, mounted at `/lti/classes`: `GET /` (the classes where the session's user is an
 * active Instructor of the course; every class of the tenant for a tenant admin) and `GET /:id`
 * (the members). A class of another tenant is 404; a class the user does not teach is 403.
 * Read-only, framable (facilitators arrive from the LMS).
 */
export function classRouter(deps: ClassRouterDeps): Router {
  const router = express.Router()
  const wrap = (handler: (req: Request, res: Response, access: PageAccess) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { void pageAccess(deps, req).then((a) => handler(req, res, a)).catch(next) }

  router.get('/', wrap(async (_req, res, access) => {
    const { user } = access.session
    toolPageHeaders(res)
    res.type('html').send(classListPage(await deps.classes.listFor(user.tenantId, user.id, isTenantAdmin(access.grants))))
  }))

  router.get('/:id', wrap(async (req, res, access) => {
    const { user } = access.session
    const cls = await deps.classes.get(user.tenantId, String(req.params.id))
    if (cls === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such class in this tenant')
    if (!isTenantAdmin(access.grants) && !(await deps.classes.isInstructor(cls, user.id))) {
      throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'only the instructors of the course see its class', { userId: user.id, classId: cls.id })
    }
    toolPageHeaders(res)
    res.type('html').send(classPage(cls, await deps.classes.members(cls), deps.timeZone))
  }))

  router.use(toolErrorHandler(deps.logger))
  return router
}
