/**
 * LTI role vocabularies (LTI Core 1.3 §A.2; LIS v2). Platforms send full URIs, NRPS may send
 * short names (`Learner`, `Instructor#TeachingAssistant`), and some still send LTI 1.1 URNs.
 */
const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership'
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person'
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person'

export const ROLE = {
  learner: `${MEMBERSHIP}#Learner`,
  instructor: `${MEMBERSHIP}#Instructor`,
  teachingAssistant: `${MEMBERSHIP}/Instructor#TeachingAssistant`,
  contentDeveloper: `${MEMBERSHIP}#ContentDeveloper`,
  mentor: `${MEMBERSHIP}#Mentor`,
  administrator: `${MEMBERSHIP}#Administrator`,
  institutionAdministrator: `${INSTITUTION}#Administrator`,
  systemAdministrator: `${SYSTEM}#Administrator`,
} as const

/**
 * One role as a full URI. A short name is a context role (LTI Core 1.3 §A.2.3.1: simple names
 * are deprecated but "the full URI for a context role ... may be abbreviated"); `Role#SubRole`
 * is a context sub-role (§A.2.3.2); LTI 1.1 URNs map to their LIS v2 URI (§A.2.4 informs).
 * Anything else that is already a URI passes through unchanged.
 */
export function normaliseRole(role: string): string {
  const trimmed = role.trim()
  const urn = /^urn:lti:(role|instrole|sysrole):ims\/lis\/(.+)$/u.exec(trimmed)
  if (urn) {
    const [, kind, name = ''] = urn
    const [principal = '', sub] = name.split('/')
    if (kind === 'instrole') return `${INSTITUTION}#${principal}`
    if (kind === 'sysrole') return `${SYSTEM}#${principal}`
    return sub ? `${MEMBERSHIP}/${principal}#${sub}` : `${MEMBERSHIP}#${principal}`
  }
  if (/^[A-Za-z]+$/u.test(trimmed)) return `${MEMBERSHIP}#${trimmed}`
  const subRole = /^([A-Za-z]+)#([A-Za-z]+)$/u.exec(trimmed)
  if (subRole) return `${MEMBERSHIP}/${subRole[1]}#${subRole[2]}`
  return trimmed
}

/** All roles as full URIs, without duplicates, dropping non-strings and empty values. */
export function normaliseRoles(roles: readonly unknown[]): string[] {
  const strings = roles.filter((role): role is string => typeof role === 'string' && role.trim() !== '')
  return [...new Set(strings.map(normaliseRole))]
}
