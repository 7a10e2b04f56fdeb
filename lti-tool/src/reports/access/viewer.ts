import type { Request } from 'express'
import type { Knex } from '@tln/db'
import { ifiKey } from '@tln/xapi'
import { LOCAL_ISSUER } from '../../accounts/accounts.ts'
import { LtiToolError } from '../../errors.ts'
import { readCookie } from '../../http/cookies.ts'
import { accessOf } from '../../org/grant-guard.ts'
import type { OrgStore } from '../../org/org-store.ts'
import type { Grant, Person } from '../../org/org-types.ts'
import type { Session, SessionStore } from '../../session/session-store.ts'

/** Who reads a report: their session (LTI launch or local account), grants and own learner keys. */
export interface Viewer {
  readonly session: Session
  readonly tenantId: string
  readonly person?: Person
  readonly grants: readonly Grant[]
  /** The xAPI actors (IFI keys) that are this person: their own profile. */
  readonly learnerKeys: readonly string[]
  /** Where `/reports` sends them: their linked identities, or else the LTI identity of the session. */
  readonly profileKeys: readonly string[]
}

export interface ViewerDeps {
  readonly knex: Knex
  readonly sessions: SessionStore
  readonly org: OrgStore
}

/**
 * The IFI key TLN's own statements give an LTI user (`{ account: { homePage: issuer, name: sub } }`,
 * DOMAIN.md), in `ifiKey`'s form, so a teacher who launched sees their profile before any other
 * identity was linked.
 */
export const ltiLearnerKey = (issuer: string, sub: string): string => ifiKey({ account: { homePage: issuer, name: sub } })!

/**
 * The viewer of a request, from the session cookie (`tln_session`, `__Host-tln_session` over https; set by a launch or a local
 * sign-in). Grants as everywhere in the tool (`accessOf`); learner keys are the person's
 * `person_identity` rows, plus the key of the LTI identity the session came from.
 * @throws LtiToolError `ERR_TOOL_NOT_SIGNED_IN` without a live session
 */
export async function viewerOf(req: Request, deps: ViewerDeps): Promise<Viewer> {
  const id = readCookie(req, deps.sessions.cookieName)
  const session = id === undefined ? undefined : await deps.sessions.find(id)
  if (session === undefined) throw new LtiToolError('ERR_TOOL_NOT_SIGNED_IN', 'no live session cookie')
  const tenantId = session.user.tenantId
  const { person, grants } = await accessOf(deps.org, session.user)
  const rows = person === undefined ? [] : (await deps.knex('person_identity').select('ifi_key').where({ tenant_id: tenantId, person_id: person.id }).orderBy('ifi_key')) as Array<{ ifi_key: string }>
  const linked = rows.map((r) => r.ifi_key)
  const keys = [...linked]
  if (session.user.issuer !== LOCAL_ISSUER) {
    const own = ltiLearnerKey(session.user.issuer, session.user.sub)
    if (!keys.includes(own)) keys.push(own)
  }
  return { session, tenantId, grants, learnerKeys: keys, profileKeys: linked.length > 0 ? linked : keys, ...(person !== undefined && { person }) }
}

/**
 * Where a learner is placed (`learner_placement`): the school's org path, or null when the
 * learner is known but not at a school; undefined when the tenant has no such learner. Only used
 * to tell "not yours" (403) from "not here" (404).
 */
export async function learnerPlacement(knex: Knex, tenantId: string, learnerKey: string): Promise<{ schoolPath: string | null } | undefined> {
  const row = (await knex('learner_placement').select('school_path').where({ tenant_id: tenantId, learner_key: learnerKey }).first()) as { school_path: string | null } | undefined
  return row === undefined ? undefined : { schoolPath: row.school_path }
}
