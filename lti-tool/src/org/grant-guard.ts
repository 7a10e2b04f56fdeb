import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { LOCAL_ISSUER } from '../accounts/accounts.ts'
import { LtiToolError } from '../errors.ts'
import { readCookie } from '../http/cookies.ts'
import type { Session, SessionStore } from '../session/session-store.ts'
import type { TlnUser } from '../session/user-store.ts'
import { can, type Action } from './access.ts'
import type { OrgStore } from './org-store.ts'
import type { Grant, OrgNode, Person } from './org-types.ts'

/** Who is asking, with what rights: what `requireGrant` leaves in `res.locals.access`. */
export interface Access {
  readonly session: Session
  readonly person?: Person
  readonly grants: readonly Grant[]
  /** The node the request is about (undefined = the tenant). */
  readonly node?: OrgNode
}

/**
 * The grants of a session's user. A local account's person holds stored grants. A person who
 * arrived by LTI launch holds the stored grants of the person record linked to their (issuer,
 * sub), plus what the launch role gives as today: `teacher` on the school of that record (when
 * known), `admin` on the tenant. A facilitator's kecamatan comes from stored grants only: the
 * LMS does not know the TLN groups.
 */
export async function accessOf(org: OrgStore, user: TlnUser): Promise<{ person?: Person; grants: Grant[] }> {
  if (user.issuer === LOCAL_ISSUER) {
    const person = await org.personOfAccount(user.tenantId, user.sub)
    return { ...(person !== undefined && { person }), grants: person === undefined ? [] : await org.grants(user.tenantId, person.id) }
  }
  const person = await org.personByLti(user.tenantId, user.issuer, user.sub)
  const grants = person === undefined ? [] : await org.grants(user.tenantId, person.id)
  if (user.role === 'admin') grants.push({ role: 'admin' })
  if (user.role === 'teacher' && person?.schoolId !== undefined) {
    const school = await org.node(user.tenantId, person.schoolId)
    if (school !== undefined) grants.push({ role: 'teacher', nodeId: school.id, nodePath: school.path })
  }
  return { ...(person !== undefined && { person }), grants }
}

/**
 * Express middleware factory: `requireGrant(action, nodeFromRequest)` lets a request through when
 * its session's grants allow `action` on the node that `nodeFromRequest` names (undefined = the
 * tenant). The node is looked up in the session's tenant only, so another tenant's id is "not
 * found" (404) and tells nothing; no session → 401; no covering grant → 403. On success
 * `res.locals.access` holds the `Access`.
 */
export function grantGuard(deps: { sessions: SessionStore; org: OrgStore }) {
  return function requireGrant(action: Action, nodeFromRequest: (req: Request) => string | undefined): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const id = readCookie(req, deps.sessions.cookieName)
        const session = id === undefined ? undefined : await deps.sessions.find(id)
        if (session === undefined) throw new LtiToolError('ERR_TOOL_NOT_SIGNED_IN', 'no live session cookie')
        const nodeId = nodeFromRequest(req)
        const node = nodeId === undefined ? undefined : await deps.org.node(session.user.tenantId, nodeId)
        if (nodeId !== undefined && node === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'organisation node not found in this tenant', { nodeId })
        const { person, grants } = await accessOf(deps.org, session.user)
        if (!can(grants, action, node)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', `no grant covers ${action} here`, { userId: session.user.id, action, nodeId })
        const access: Access = { session, grants, ...(person !== undefined && { person }), ...(node !== undefined && { node }) }
        res.locals.access = access
      })().then(() => next(), next)
    }
  }
}
