/**
 * A small hand-built projection data set for the report tests: rows written straight into the
 * projection tables (the engine's contract), so every expected number can be worked out by hand.
 *
 * Tenant A: district Lombok Tengah with kecamatan Praya (schools 111, 112) and Jonggat (211).
 * Learners: t1 Ani (111), t2 Budi (112), t3 Citra (211), t4 Dewi (no school), t5 placed through
 * person_identity on school 111 (person name "Eka Person"). Tenant B reuses t1's key and NPSN 111.
 */
import type { Knex } from '@tln/db'
import type { VersionedCompetenceConfig } from '../../src/config/types.ts'
import type { Framework } from '../../src/framework/types.ts'
import type { EngineStatus } from '../../src/reports/types.ts'

export const KEYS = {
  t1: 'mbox:mailto:ani@paud.example',
  t2: 'mbox:mailto:budi@paud.example',
  t3: 'account:https://elearning.bppaudntb.example|citra',
  t4: 'mbox:mailto:dewi@paud.example',
  t5: 'mbox:mailto:eka@paud.example',
  x: 'mbox:mailto:guru.x@paud.example',
  fac: 'mbox:mailto:fasilitator@paud.example',
} as const

export const PROGRAM = 'https://tln.example/programs/tln-2026'
export const DASAR = 'https://tln.example/tiers/dasar'
export const LANJUT = 'https://tln.example/tiers/lanjut'
export const PH1 = 'https://tln.example/phases/in-service-1'
export const PH2 = 'https://tln.example/phases/on-the-job'
export const TASK1 = 'https://tln.example/tasks/rpph'
export const TASK2 = 'https://tln.example/tasks/prota'
export const MEET1 = 'https://tln.example/meetings/1'
export const MEET2 = 'https://tln.example/meetings/2'

const FRAMEWORK: Framework = {
  id: 'test-framework', version: '1.0.0', source: 'test', title: { id: 'Uji', en: 'Test' },
  competences: [
    { code: 'PED', version: '1.0.0', title: { id: 'Pedagogik', en: 'Pedagogical' }, subCompetences: [
      { code: 'PED.C', version: '1.0.0', title: { id: 'Merancang', en: 'Designs' }, indicators: [
        { code: 'PED.C.1', version: '1.0.0', title: { id: 'Satu', en: 'One' } },
        { code: 'PED.C.2', version: '1.0.0', title: { id: 'Dua', en: 'Two' } },
      ] },
    ] },
    { code: 'SOS', version: '1.0.0', title: { id: 'Sosial', en: 'Social' }, subCompetences: [
      { code: 'SOS.A', version: '1.0.0', title: { id: 'Bergaul', en: 'Relates' }, indicators: [{ code: 'SOS.A.1', version: '1.0.0', title: { id: 'Satu', en: 'One' } }] },
    ] },
  ],
}

export const CONFIG: VersionedCompetenceConfig = {
  version: 3,
  framework: FRAMEWORK,
  rules: [],
  rating: { method: { method: 'latest' }, rollUp: { rule: 'allChildrenProficient' } },
  program: {
    tierType: 't', phaseType: 'p', moduleTypes: ['m'], assessmentTypes: ['a'], taskType: 'k', meetingType: 'g', programType: 'c',
    npsnExtension: 'n', kecamatanExtension: 'e',
    phases: [{ id: PH1, name: { id: 'In-Service 1', en: 'In-Service 1' } }, { id: PH2, name: { id: 'On-the-Job Learning', en: 'On-the-Job Learning' } }],
    quotas: { '52.02.06': 10, '52.02.07': 5 },
  },
}

export const ENGINE: EngineStatus = { state: 'current', processed: 42, configVersion: 3, lastStored: '2026-06-01T00:00:00.000Z', timeZone: 'Asia/Makassar' }

let n = 0
/** A fresh, readable statement id. */
export function sid(): string {
  n += 1
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
}

export interface Tenant { id: string; district: string; kecamatan: Record<string, { id: string; path: string }>; schools: Record<string, string> }

async function node(knex: Knex, tenantId: string, kind: string, code: string, name: string, parent?: { id: string; path: string }) {
  const id = crypto.randomUUID()
  const path = `${parent?.path ?? '/'}${id}/`
  await knex('org_node').insert({ id, tenant_id: tenantId, parent_id: parent?.id ?? null, kind, code, name, path, school_type: kind === 'school' ? 'TK' : null })
  return { id, path }
}

/** A tenant with a province, a district, kecamatan (code → name) and schools (NPSN → kecamatan code). */
export async function orgTree(knex: Knex, slug: string, districtName: string, kecamatan: Record<string, string>, schools: Record<string, string>): Promise<Tenant> {
  const existing = (await knex('tenant').where({ slug }).first()) as { id: string } | undefined
  const tenantId = existing?.id ?? ((await knex('tenant').insert({ slug, name: slug }).returning('id')) as Array<{ id: string }>)[0]!.id
  const province = await node(knex, tenantId, 'province', `${slug}-52`, 'Nusa Tenggara Barat')
  const district = await node(knex, tenantId, 'district', `${slug}-52.02`, districtName, province)
  const kec: Tenant['kecamatan'] = {}
  for (const [code, name] of Object.entries(kecamatan)) kec[code] = await node(knex, tenantId, 'kecamatan', code, name, district)
  const sch: Record<string, string> = {}
  for (const [npsn, code] of Object.entries(schools)) sch[npsn] = (await node(knex, tenantId, 'school', npsn, `Sekolah ${npsn}`, kec[code]))!.id
  return { id: tenantId, district: district.id, kecamatan: kec, schools: sch }
}

export function learner(tenantId: string, key: string, name: string, npsn: string | null) {
  return { tenant_id: tenantId, learner_key: key, name, npsn, first_at: '2026-02-01T00:00:00Z', last_at: '2026-06-01T00:00:00Z' }
}

export function rating(tenantId: string, key: string, code: string, level: string, value: number, proficient: boolean, evidence: string[]) {
  return { tenant_id: tenantId, learner_key: key, code, level, rating: value, proficient, method: 'latest', config_version: 3, evidence: knexArray(evidence) }
}

/** A uuid[] literal (knex passes JS arrays through to both drivers differently). */
function knexArray(ids: string[]): string {
  return `{${ids.join(',')}}`
}

type Fact = { key: string; kind: string; verb?: string; object: string; name?: string; at: string; tier?: string | null; related?: string; score?: number; success?: boolean; voided?: boolean; id?: string }

export function fact(tenantId: string, f: Fact) {
  return {
    tenant_id: tenantId, statement_id: f.id ?? sid(), learner_key: f.key, kind: f.kind, verb: f.verb ?? `verb:${f.kind}`, object_id: f.object,
    object_name: f.name ?? null, program_id: PROGRAM, tier_id: f.tier === undefined ? DASAR : f.tier, related_key: f.related ?? null,
    at: f.at, stored: f.at, score: f.score ?? null, success: f.success ?? null, voided: f.voided ?? false,
  }
}

export function month(tenantId: string, key: string, m: string, statements: number) {
  return { tenant_id: tenantId, learner_key: key, month: `${m}-01`, statements }
}
