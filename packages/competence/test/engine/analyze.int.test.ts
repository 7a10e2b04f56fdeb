/**
 * Planner statistics after the engine refills its projections (docs/performance-notes.md: report
 * plans chose nested loops on 32-row estimates after a rebuild): the engine runs `ANALYZE` on every
 * projection table when a rebuild or a long catch-up ends. Checked through
 * `pg_stat_user_tables.analyze_count`, which counts manual ANALYZE only (autovacuum's go to
 * `autoanalyze_count`), on PGlite and PostgreSQL.
 */
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceEngine, PROJECTION_TABLES } from '../../src/engine/competence-engine.ts'
import { createEngineFixture, type EngineFixture } from './engine-fixture.ts'
import { workload } from './statements.ts'

let f: EngineFixture
let tenant: string

beforeAll(async () => {
  f = await createEngineFixture()
  tenant = await f.tenant('analyze')
})
afterAll(async () => {
  await f.close()
})

/** ANALYZE runs per table, by name. */
async function analyzeCounts(): Promise<Map<string, number>> {
  const rows = (await f.knex.raw('select relname, analyze_count from pg_stat_user_tables where relname = any(?)', [[...PROJECTION_TABLES]])).rows as { relname: string; analyze_count: number | string }[]
  return new Map(rows.map((r) => [r.relname, Number(r.analyze_count)]))
}

/** PostgreSQL publishes a backend's statistics shortly after it goes idle: poll for a while. */
async function countsAfter(before: Map<string, number>, expectMore: boolean): Promise<Map<string, number>> {
  const deadline = Date.now() + (expectMore ? 10_000 : 1_500)
  for (;;) {
    const now = await analyzeCounts()
    const moved = PROJECTION_TABLES.every((t) => (now.get(t) ?? 0) > (before.get(t) ?? 0))
    if ((expectMore && moved) || Date.now() > deadline) return now
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe(`projection statistics on ${testEngine()}`, () => {
  it('runs ANALYZE on every projection table when a rebuild ends (`tln competence rebuild`)', async () => {
    await f.store('analyze', workload(25, 5, 'a'))
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    await f.knex('competence_engine').where({ tenant_id: tenant }).update({ config_version: null })
    const before = await countsAfter(await analyzeCounts(), false)
    expect(before.size).toBe(PROJECTION_TABLES.length)
    await new CompetenceEngine({ knex: f.knex, pageSize: 10, analyzeAfter: 1_000_000 }).catchUp()
    const after = await countsAfter(before, true)
    for (const table of PROJECTION_TABLES) expect(after.get(table), table).toBe(before.get(table)! + 1)
  })

  it('runs ANALYZE when a catch-up of at least `analyzeAfter` statements ends', async () => {
    await f.store('analyze', workload(12, 5, 'b'))
    const before = await countsAfter(await analyzeCounts(), false)
    expect(await new CompetenceEngine({ knex: f.knex, pageSize: 5, analyzeAfter: 10 }).catchUp()).toBe(12)
    const after = await countsAfter(before, true)
    for (const table of PROJECTION_TABLES) expect(after.get(table), table).toBe(before.get(table)! + 1)
  })

  it('does not run ANALYZE after a catch-up shorter than `analyzeAfter` (autovacuum keeps up with those)', async () => {
    await f.store('analyze', workload(8, 5, 'c'))
    const before = await countsAfter(await analyzeCounts(), false)
    expect(await new CompetenceEngine({ knex: f.knex, pageSize: 5, analyzeAfter: 10 }).catchUp()).toBe(8)
    expect(await countsAfter(before, false)).toEqual(before)
  })
})
