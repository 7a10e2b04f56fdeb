import { UserStore, type OrgNode, type PlatformRecord } from '../../src/index.ts'
import { SessionBrowser } from '../admin/admin-helpers.ts'
import type { OrgTestServer } from '../org-helpers.ts'

export const ISSUER = 'https://lms.example.org'

export function endpoints(issuer: string, clientId: string) {
  return { issuer, clientId, authorizationEndpoint: `${issuer}/mod/lti/auth.php`, tokenEndpoint: `${issuer}/mod/lti/token.php`, jwksUri: `${issuer}/mod/lti/certs.php` }
}

/** An active LMS registration of the tenant (teachers' sessions come from its launches). */
export function addPlatform(s: OrgTestServer, issuer = ISSUER, tenant?: string): Promise<PlatformRecord> {
  return s.tool.platforms.add({ ...(tenant !== undefined && { tenant }), status: 'active', registeredBy: 'cli', deploymentIds: ['d-1'], platform: endpoints(issuer, 'c-1') })
}

/**
 * A browser holding the session of an LTI launch from `platform` with `role`, in course
 * `contextId` when given; the person linked to (issuer, sub) is placed at `school` (a teacher) or
 * holds `grant` (a facilitator's kecamatan comes from stored grants).
 */
export async function ltiSession(s: OrgTestServer, input: {
  tenantId: string; platform: PlatformRecord; sub: string; name: string; role: 'teacher' | 'facilitator' | 'admin'
  school?: OrgNode; grant?: { role: 'facilitator' | 'coordinator'; node: OrgNode }; contextId?: string
}): Promise<SessionBrowser> {
  const issuer = input.platform.issuer
  const user = await new UserStore(s.db.knex).upsert({ tenantId: input.tenantId, issuer, sub: input.sub, name: input.name, role: input.role })
  if (input.school !== undefined || input.grant !== undefined) {
    const person = await s.tool.org.upsertPerson(input.tenantId, { name: input.name, externalId: `lti:${input.sub}`, lti: { issuer, sub: input.sub }, ...(input.school !== undefined && { schoolId: input.school.id }) })
    if (input.grant !== undefined) await s.tool.org.grant(input.tenantId, person.id, input.grant.role, input.grant.node.id)
  }
  const id = await s.tool.sessions.create(user.id, {
    issuer, deploymentId: 'd-1', role: input.role, platformId: input.platform.id, ...(input.contextId !== undefined && { contextId: input.contextId, contextTitle: 'Kelas TLN' }),
  }, 3_600_000)
  return new SessionBrowser(s.url, id)
}

/** A criteria × levels rubric form (the usual 4-level scale) with these criteria. */
export function rubricFields(criteria: ReadonlyArray<{ code?: string; title: string; indicator: string; weight: string }>): Record<string, string> {
  const fields: Record<string, string> = {}
  ;[['1', 'Perlu bimbingan', 'Needs guidance'], ['2', 'Cukup', 'Fair'], ['3', 'Baik', 'Good'], ['4', 'Sangat baik', 'Very good']].forEach(([p, id, en], j) => {
    fields[`l${j}.points`] = p!; fields[`l${j}.label_id`] = id!; fields[`l${j}.label_en`] = en!
  })
  criteria.forEach((c, i) => {
    fields[`c${i}.title_id`] = c.title; fields[`c${i}.title_en`] = `${c.title} (en)`; fields[`c${i}.indicator`] = c.indicator; fields[`c${i}.weight`] = c.weight
    if (c.code !== undefined) fields[`c${i}.code`] = c.code
  })
  return fields
}
