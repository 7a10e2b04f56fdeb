import { MEDIA_TYPE, SCOPE } from '../claims.ts'
import { isStorableText, MAX_LTI_ID_LENGTH } from '../launch/check-claim-values.ts'
import { isObject } from '../launch/id-token-claims.ts'
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
 * A member whose `user_id` is no id (over 255 characters, LTI Core 1.3 §5.3.6, or text with U+0000
 * or an unpaired surrogate) is skipped; a field of such text is left out, like a non-string one.
 * `role` and `resourceLinkId` filter on the platform side (§2.4.1, §3.1).
 */
export async function getMemberships(ctx: ServiceContext, contextMembershipsUrl: string, options: { role?: string; resourceLinkId?: string; limit?: number } = {}): Promise<Membership> {
  const url = withQuery(contextMembershipsUrl, { role: options.role, rlid: options.resourceLinkId, limit: options.limit })
  const pages = await getAllPages(ctx, [SCOPE.membershipReadOnly], url, MEDIA_TYPE.membershipContainer)
  let context: Membership['context']
  const members: Member[] = []
  for (const page of pages) {
    if (!isObject(page)) continue
    if (!context && isObject(page.context) && isId(page.context.id)) {
      context = { id: page.context.id, label: textOf(page.context.label), title: textOf(page.context.title) }
    }
    for (const raw of Array.isArray(page.members) ? page.members : []) {
      if (!isObject(raw) || !isId(raw.user_id)) continue
      const status = raw.status === 'Active' || raw.status === 'Inactive' || raw.status === 'Deleted' ? raw.status : undefined
      members.push({
        userId: raw.user_id,
        roles: normaliseRoles(Array.isArray(raw.roles) ? raw.roles.filter((role) => typeof role === 'string' && isStorableText(role)) : []),
        status, name: textOf(raw.name), givenName: textOf(raw.given_name), familyName: textOf(raw.family_name),
        email: textOf(raw.email), picture: textOf(raw.picture), lisPersonSourcedId: textOf(raw.lis_person_sourcedid),
      })
    }
  }
  return { ...(context && { context }), members }
}

/** A user or context id as LTI Core 1.3 §5.3.6 / §5.4.1 allow it: at most 255 characters of storable text. A member without one is skipped. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= MAX_LTI_ID_LENGTH && isStorableText(value)
}

/** A non-empty string of storable text (RFC 8259 §8.2), else undefined: one member's broken name must not stop the roster. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && isStorableText(value) ? value : undefined
}
