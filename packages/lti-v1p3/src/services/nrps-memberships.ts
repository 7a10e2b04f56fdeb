import { SCOPE } from '../claims.ts'
import { isObject, stringOf } from '../launch/id-token-claims.ts'
import { normaliseRoles } from '../roles.ts'
import { getAllPages } from './authorized-request.ts'
import type { ServiceContext } from './service-context.ts'
import { withQuery } from './service-url.ts'

/** A member of a context (NRPS 2.0 §2.2), roles as full URIs. */
export interface Member {
  readonly userId: string
  readonly roles: readonly string[]
  readonly status?: 'Active' | 'Inactive' | 'Deleted'
  readonly name?: string
  readonly givenName?: string
  readonly familyName?: string
  readonly email?: string
  readonly picture?: string
  readonly lisPersonSourcedId?: string
}

export interface Membership {
  readonly context?: { readonly id: string; readonly label?: string; readonly title?: string }
  readonly members: readonly Member[]
}

/**
 * All memberships of a context, following `Link: rel="next"` until it is absent (NRPS 2.0 §2.4.2).
 * Roles may come as short names (`Learner`) or full URIs and are normalised to URIs (§2.2).
 * `role` and `resourceLinkId` filter on the platform side (§2.4.1, §3.1).
 */
export async function getMemberships(ctx: ServiceContext, contextMembershipsUrl: string, options: { role?: string; resourceLinkId?: string; limit?: number } = {}): Promise<Membership> {
  const url = withQuery(contextMembershipsUrl, { role: options.role, rlid: options.resourceLinkId, limit: options.limit })
  const pages = await getAllPages(ctx, [SCOPE.membershipReadOnly], url, 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json')
  let context: Membership['context']
  const members: Member[] = []
  for (const page of pages) {
    if (!isObject(page)) continue
    if (!context && isObject(page.context) && typeof page.context.id === 'string') {
      context = { id: page.context.id, label: stringOf(page.context.label), title: stringOf(page.context.title) }
    }
    for (const raw of Array.isArray(page.members) ? page.members : []) {
      if (!isObject(raw) || typeof raw.user_id !== 'string') continue
      const status = raw.status === 'Active' || raw.status === 'Inactive' || raw.status === 'Deleted' ? raw.status : undefined
      members.push({
        userId: raw.user_id,
        roles: normaliseRoles(Array.isArray(raw.roles) ? raw.roles : []),
        status, name: stringOf(raw.name), givenName: stringOf(raw.given_name), familyName: stringOf(raw.family_name),
        email: stringOf(raw.email), picture: stringOf(raw.picture), lisPersonSourcedId: stringOf(raw.lis_person_sourcedid),
      })
    }
  }
  return { ...(context && { context }), members }
}
