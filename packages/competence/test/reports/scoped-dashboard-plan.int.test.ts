/**
 * The district dashboard scoped to a district admin's grant (issue 7: < 200 ms at 10,000 teachers)
 * took twice the tenant-wide time because PostgreSQL put the scope's learners (`placed`) at a
 * handful of rows: they were selected by their school's org path (`org_node.path like …`), and a
 * small org tree is never analysed (fewer rows than autovacuum's threshold of 50 changes), so every
 * section that joins `placed` ran as nested loops over 10,020 learners (docs/benchmarks.md,
 * "Competence reports"). `placed` now selects the learners of the schools inside by
 * `competence_learner.school_id`, which the engine analyses; this checks the planner's estimate of
 * `placed` in the report's own query, and that the numbers stay the tenant's minus those outside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { CompetenceReports } from '../../src/reports/competence-reports.ts'
import { CONFIG, ENGINE, learner, orgTree, rating, sid, type Tenant } from './report-fixture.ts'

const PER_SCHOOL = 600
const UNPLACED = 3

let db: Db
let reports: CompetenceReports
let t: Tenant
let districtPath: string

beforeAll(async () => {
  db = await createTestDb()
  reports = new CompetenceReports(db.knex, { active: async () => CONFIG }, async () => ENGINE, () => new Date('2026-06-02T00:00:00Z'))
  t = await orgTree(db.knex, 'default', 'Kabupaten Lombok Tengah', { '52.02.06': 'Praya', '52.02.07': 'Jonggat' }, { 111: '52.02.06', 112: '52.02.06', 211: '52.02.07' })
  districtPath = ((await db.knex('org_node').where({ id: t.district }).first('path')) as { path: string }).path
  const learners = ['111', '112', '211'].flatMap((npsn) => Array.from({ length: PER_SCHOOL }, (_, i) => learner(t.id, `mbox:mailto:guru${i}@${npsn}.example`, `Guru ${i}`, npsn)))
  const unplaced = Array.from({ length: UNPLACED }, (_, i) => learner(t.id, `mbox:mailto:probe${i}@example.org`, `Probe ${i}`, null))
  for (let i = 0; i < learners.length; i += 500) await db.knex('competence_learner').insert(learners.slice(i, i + 500))
  await db.knex('competence_learner').insert(unplaced)
  const ratings = [...learners, ...unplaced].map((l, i) => rating(t.id, l.learner_key, 'PED', 'competence', i % 2 === 0 ? 1 : 0.5, i % 2 === 0, [sid()]))
  for (let i = 0; i < ratings.length; i += 500) await db.knex('competence_rating').insert(ratings.slice(i, i + 500))
  // What the engine does when a rebuild or a catch-up ends (PROJECTION_TABLES); org_node is left as a small tree is.
  await db.knex.raw('analyze competence_learner')
  await db.knex.raw('analyze competence_rating')
})

afterAll(async () => {
  await db?.close()
})

/** The SQL and bindings of every query `run` makes. */
async function queriesOf(run: () => Promise<unknown>): Promise<Array<{ sql: string; bindings: unknown[] }>> {
  const seen: Array<{ sql: string; bindings: unknown[] }> = []
  const listener = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] })
  db.knex.on('query', listener)
  try {
    await run()
  } finally {
    db.knex.off('query', listener)
  }
  return seen
}

interface PlanNode { 'Subplan Name'?: string; 'Plan Rows': number; Plans?: PlanNode[] }

function findPlan(node: PlanNode, name: string): PlanNode | undefined {
  if (node['Subplan Name'] === name) return node
  for (const child of node.Plans ?? []) {
    const found = findPlan(child, name)
    if (found !== undefined) return found
  }
  return undefined
}

/** The planner's plan of a captured query, without running it. */
async function planOf(query: { sql: string; bindings: unknown[] }): Promise<PlanNode> {
  // knex hands PostgreSQL `$n` placeholders; knex.raw takes `?`, in the same order.
  const text = query.sql.replace(/\$\d+/g, '?')
  const { rows } = (await db.knex.raw(`explain (format json) ${text}`, query.bindings as never[])) as { rows: Array<{ 'QUERY PLAN': unknown }> }
  const raw = rows[0]!['QUERY PLAN']
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>
  return plan[0]!.Plan
}

/** The planner's row estimate of `placed` in the query `pick` finds among those `run` sends. */
async function placedEstimate(run: () => Promise<unknown>, pick: (sql: string) => boolean): Promise<number> {
  const query = (await queriesOf(run)).find((q) => /^\s*with placed as/.test(q.sql) && pick(q.sql))
  expect(query).toBeDefined()
  const placed = findPlan(await planOf(query!), 'CTE placed')
  expect(placed).toBeDefined()
  return placed!['Plan Rows']
}

describe('the district dashboard scoped to a district admin\'s grant', () => {
  it('PostgreSQL estimates the scope\'s learners (`placed`) from the learners\' statistics, not the unanalysed org tree', async () => {
    const rows = await placedEstimate(() => reports.district({ tenantId: t.id, scopePath: districtPath }), (sql) => sql.includes('reach_edges'))
    // 1,800 learners inside: an estimate within 2× keeps hash joins; the path filter gave a few dozen.
    expect(rows).toBeGreaterThan((3 * PER_SCHOOL) / 2)
    expect(rows).toBeLessThan(3 * PER_SCHOOL * 2)
  })

  it('the mentoring network page, scoped the same, estimates `placed` from the learners\' statistics too', async () => {
    const rows = await placedEstimate(() => reports.mentoringNetwork({ tenantId: t.id, scopePath: districtPath }), (sql) => sql.includes('edges as materialized'))
    expect(rows).toBeGreaterThan((3 * PER_SCHOOL) / 2)
    expect(rows).toBeLessThan(3 * PER_SCHOOL * 2)
  })

  it('counts the learners of the schools inside the scope: the tenant\'s minus the unplaced ones, per kecamatan', async () => {
    const scoped = await reports.district({ tenantId: t.id, scopePath: districtPath })
    const tenantWide = await reports.district({ tenantId: t.id })
    expect(scoped.heatmap.map((h) => [h.kecamatanName, h.teachers])).toEqual([['Jonggat', PER_SCHOOL], ['Praya', 2 * PER_SCHOOL]])
    expect(tenantWide.heatmap.map((h) => h.teachers)).toEqual([PER_SCHOOL, 2 * PER_SCHOOL, UNPLACED])
    const praya = await reports.district({ tenantId: t.id, scopePath: t.kecamatan['52.02.06']!.path })
    expect(praya.heatmap.map((h) => [h.kecamatanName, h.teachers, h.cells[0]!.withEvidence])).toEqual([['Praya', 2 * PER_SCHOOL, 2 * PER_SCHOOL]])
  })
})
