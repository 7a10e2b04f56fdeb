import type { Knex } from '@tln/db'
import { OrgStore } from '@tln/lti-tool'
import { ifiKey } from '@tln/xapi'
import { seedDemoCompetence } from './demo-competence.ts'
import { seedDemoObservations } from './demo-observations.ts'
import { seedDemoProgram } from './demo-program-document.ts'
import { ETRAINING_HOME_PAGE, TLN_SITE } from './demo-program.ts'
import { demoColleague, DISTRICT, FACILITATORS, KECAMATAN, MAX_DEMO_MENTEES, SCHOOLS, TEACHERS } from './lombok-tengah.ts'

/** Province code of Nusa Tenggara Barat (Kemendagri) *(verify)*. */
const PROVINCE_CODE = '52'

export interface DemoOrgResult {
  readonly kecamatan: number
  readonly schools: number
  readonly teachers: number
  readonly facilitators: number
}

/**
 * The demo organisation tree of tenant `default` from `lombok-tengah.ts`: NTB → Kabupaten Lombok
 * Tengah → its 12 kecamatan (TLN groups) → 24 schools → 60 teachers (each with the `teacher`
 * grant on their school), and the facilitators with the `facilitator` grant on the kecamatan they
 * accompany. Idempotent: nodes are keyed by code/NPSN and people by their demo id, so running it
 * again updates in place. One transaction. Each person is linked to their e-training actor
 * (`person_identity`), the demo competence configuration is stored when it changed
 * (`demo-competence.ts`), and the paper's program with its tier, phases, modules and quotas
 * (`demo-program-document.ts`), and the monthly observation and interview instruments
 * (`demo-observations.ts`).
 */
export async function seedDemoOrg(knex: Knex, tenant = 'default'): Promise<DemoOrgResult> {
  const org = new OrgStore(knex)
  const seeded = await knex.transaction(async (trx) => {
    const tenantId = await org.tenantId(tenant, trx)
    const province = await org.upsertNode(tenantId, { kind: 'province', code: PROVINCE_CODE, name: DISTRICT.province }, trx)
    const district = await org.upsertNode(tenantId, { kind: 'district', code: DISTRICT.code, name: DISTRICT.name, parentId: province.id }, trx)
    const kecamatan = new Map<string, string>()
    for (const k of KECAMATAN) kecamatan.set(k.slug, (await org.upsertNode(tenantId, { kind: 'kecamatan', code: k.code, name: k.name, parentId: district.id }, trx)).id)
    const schools = new Map<string, string>()
    for (const s of SCHOOLS) {
      schools.set(s.npsn, (await org.upsertNode(tenantId, { kind: 'school', code: s.npsn, name: s.name, schoolType: s.type, parentId: kecamatan.get(s.kecamatan)! }, trx)).id)
    }
    for (const t of TEACHERS) {
      const person = await org.upsertPerson(tenantId, { name: t.name, externalId: t.id, schoolId: schools.get(t.npsn)! }, trx)
      await org.revokeRole(tenantId, person.id, 'teacher', trx)
      await org.grant(tenantId, person.id, 'teacher', schools.get(t.npsn)!, trx)
      await org.linkIdentity(tenantId, person.id, eTrainingActor(t.id), trx)
      // The colleagues she may mentor, as the mentoring form makes them: persons at her school, no grant.
      for (let m = 1; m <= MAX_DEMO_MENTEES; m++) {
        const colleague = demoColleague(t, m)
        const mentee = await org.upsertPerson(tenantId, { name: colleague.name, externalId: colleague.accountName, schoolId: schools.get(t.npsn)! }, trx)
        await org.linkIdentity(tenantId, mentee.id, ifiKey({ account: { homePage: TLN_SITE, name: colleague.accountName } })!, trx)
      }
    }
    for (const f of FACILITATORS) {
      const person = await org.upsertPerson(tenantId, { name: f.name, externalId: f.id }, trx)
      for (const slug of f.kecamatan) await org.grant(tenantId, person.id, 'facilitator', kecamatan.get(slug)!, trx)
      await org.linkIdentity(tenantId, person.id, eTrainingActor(f.id), trx)
    }
    return { tenantId, kecamatan: KECAMATAN.length, schools: SCHOOLS.length, teachers: TEACHERS.length, facilitators: FACILITATORS.length }
  })
  const { tenantId, ...counts } = seeded
  await seedDemoCompetence(knex, tenantId)
  // The paper's program through the program store, as an administrator would enter it; its phases and quotas equal the config's, so nothing is republished.
  await seedDemoProgram(knex, tenantId)
  // After the competence configuration: the instruments' indicators must be in the framework in force.
  await seedDemoObservations(knex, tenantId)
  return counts
}

/** The xAPI actor of a demo person in the e-training app's statements (`account`, xAPI 1.0.3 Data 2.4.2.4). */
function eTrainingActor(id: string): string {
  return ifiKey({ account: { homePage: ETRAINING_HOME_PAGE, name: id } })!
}
