import type { Request } from 'express'
import { LtiToolError } from '../errors.ts'
import { csrfToken, isSessionToken, signedIn } from '../http/session-token.ts'
import { accessOf } from '../org/grant-guard.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { Grant, Person } from '../org/org-types.ts'
import type { Session, SessionStore } from '../session/session-store.ts'

/** A request's live session, its cookie value (the CSRF token is bound to it) and its grants. */
export interface PageAccess {
  readonly session: Session
  readonly cookie: string
  readonly grants: readonly Grant[]
  readonly person?: Person
}

/**
 * Who asks, for the admin, grades and class pages: the session (local sign-in or LTI launch) and
 * its grants (`accessOf`: stored grants, plus `admin` on the tenant for an LMS administrator's
 * launch). @throws LtiToolError `ERR_TOOL_NOT_SIGNED_IN` without a live session
 */
export async function pageAccess(deps: { sessions: SessionStore; org: OrgStore }, req: Request): Promise<PageAccess> {
  const { cookie, ...session } = await signedIn(deps.sessions, req)
  const { person, grants } = await accessOf(deps.org, session.user)
  return { session, cookie, grants, ...(person !== undefined && { person }) }
}

/** Does a grant give `admin` on the whole tenant (not on a subtree)? */
export function isTenantAdmin(grants: readonly Grant[]): boolean {
  return grants.some((g) => g.role === 'admin' && g.nodePath === undefined)
}

/** The form token of a session (`csrfToken`: HMAC of the session cookie; works inside an LMS iframe, no cookie of its own). */
export function formToken(secret: Uint8Array, access: PageAccess): string {
  return csrfToken(secret, access.cookie)
}

/**
 * Refuse a state-changing form without this session's token (OWASP CSRF Cheat Sheet, synchroniser
 * token bound to the session). @throws LtiToolError `ERR_TOOL_CSRF`
 */
export function requireFormToken(secret: Uint8Array, access: PageAccess, body: unknown): void {
  if (!isSessionToken(secret, access.cookie, (body as Record<string, unknown> | undefined)?.csrf)) throw new LtiToolError('ERR_TOOL_CSRF', 'form without this session\'s CSRF token')
}
