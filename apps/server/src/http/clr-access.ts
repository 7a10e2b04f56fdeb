import { BadgeError } from '@tln/competence'
import { coveringGrant, learnerPlacement, LtiToolError, viewerOf, type ViewerDeps } from '@tln/lti-tool'
import type { Request } from 'express'

/** Who reads a learner's CLR: their tenant (the CLR's issuer) and user, for the audit log. */
export interface ClrReader {
  readonly tenantId: string
  readonly userId: string
}

/**
 * May the request's viewer read this learner's records?
 * @throws BadgeError `ERR_BADGE_NOT_SIGNED_IN` (401), `ERR_BADGE_FORBIDDEN` (403), `ERR_BADGE_NOT_FOUND` (404)
 */
export type LearnerAccess = (req: Request, learnerKey: string) => Promise<ClrReader>

/**
 * The access rule of the teacher report (`ReportService.learnerScope` in @tln/lti-tool), on the
 * same session (`tln_session`, from an LTI launch or a local sign-in) and grants: the teacher
 * herself (her linked identities or her LTI identity), or whoever holds `reports:read` over her
 * school. A learner of another tenant is not found, as in the reports.
 */
export function learnerAccess(deps: ViewerDeps): LearnerAccess {
  return async (req, learnerKey) => {
    let viewer
    try {
      viewer = await viewerOf(req, deps)
    } catch (error) {
      if (error instanceof LtiToolError && error.code === 'ERR_TOOL_NOT_SIGNED_IN') {
        throw new BadgeError('ERR_BADGE_NOT_SIGNED_IN', 'sign in first: open TLN from the LMS, or sign in at /login', 'tln_session')
      }
      throw error
    }
    const reader = { tenantId: viewer.tenantId, userId: viewer.session.user.id }
    if (viewer.learnerKeys.includes(learnerKey)) return reader
    const placement = await learnerPlacement(deps.knex, viewer.tenantId, learnerKey)
    if (placement === undefined) throw new BadgeError('ERR_BADGE_NOT_FOUND', 'no such learner in your organisation', 'learnerKey')
    if (coveringGrant(viewer.grants, placement.schoolPath) === undefined) {
      throw new BadgeError('ERR_BADGE_FORBIDDEN', 'teachers read their own records; staff need a reports:read grant over the teacher\'s school', 'learnerKey')
    }
    return reader
  }
}
