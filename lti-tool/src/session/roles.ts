import { ROLE } from '@tln/lti-v1p3'

/** What a person may do in TLN (DOMAIN.md "Users"). `guest` is a launch with no role TLN knows. */
export type TlnRole = 'teacher' | 'facilitator' | 'admin' | 'guest'

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership'
const ADMIN = new Set<string>([ROLE.administrator, ROLE.institutionAdministrator, ROLE.systemAdministrator])

/**
 * LTI roles (full URIs, as `LtiLaunch.roles` gives them; LTI Core 1.3 §A.2) → the TLN role:
 * Administrator (context, institution or system) → `admin`; Instructor or any Instructor
 * sub-role such as TeachingAssistant → `facilitator`; Learner (or a Learner sub-role) → `teacher`
 * (the teachers are the learners of the training). The highest wins when a person holds several.
 */
export function tlnRoleOf(roles: readonly string[]): TlnRole {
  if (roles.some((r) => ADMIN.has(r) || r.startsWith(`${MEMBERSHIP}/Administrator#`))) return 'admin'
  if (roles.some((r) => r === ROLE.instructor || r.startsWith(`${MEMBERSHIP}/Instructor#`))) return 'facilitator'
  if (roles.some((r) => r === ROLE.learner || r.startsWith(`${MEMBERSHIP}/Learner#`))) return 'teacher'
  return 'guest'
}
