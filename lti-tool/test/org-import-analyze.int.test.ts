/**
 * Planner statistics after a large organisation import (docs/performance-notes.md, "kecamatan
 * report at district scale"): an import of at least `analyzeAfter` rows runs `ANALYZE` on the tables
 * it filled, after its commit; a schools import of any size analyses the organisation tree. Checked through `pg_stat_user_tables.analyze_count`, which counts
 * manual ANALYZE only (autovacuum's go to `autoanalyze_count`), on PGlite and PostgreSQL.
 */
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importOrgCsv } from '../src/index.ts'
import { smallTree, startOrgServer, type OrgTestServer } from './org-helpers.ts'

const TABLES = ['org_node', 'person', 'person_grant', 'competence_learner'] as const
type Counts = Record<(typeof TABLES)[number], number>

describe(`statistics after an organisation import on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tenantId: string
  beforeAll(async () => {
    s = await startOrgServer()
    tenantId = (await smallTree(s.tool)).tenantId
  })
  afterAll(async () => { await s?.close() })

  const counts = async (): Promise<Counts> => {
    const rows = (await s.db.knex.raw('select relname, analyze_count from pg_stat_user_tables where relname = any(?)', [[...TABLES]])).rows as Array<{ relname: string; analyze_count: string | number }>
    return Object.fromEntries(TABLES.map((t) => [t, Number(rows.find((r) => r.relname === t)?.analyze_count ?? NaN)])) as Counts
  }
  /** PostgreSQL publishes a backend's statistics shortly after it goes idle: poll until `expected` or a while. */
  const countsBecoming = async (expected: Counts | undefined): Promise<Counts> => {
    const deadline = Date.now() + (expected === undefined ? 1_500 : 10_000)
    for (;;) {
      const now = await counts()
      if ((expected !== undefined && TABLES.every((t) => now[t] === expected[t])) || Date.now() > deadline) return now
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  const plus = (before: Counts, tables: readonly (typeof TABLES)[number][]): Counts =>
    Object.fromEntries(TABLES.map((t) => [t, before[t] + (tables.includes(t) ? 1 : 0)])) as Counts

  it('runs ANALYZE on org_node and competence_learner after a schools import of at least `analyzeAfter` rows', async () => {
    const before = await countsBecoming(undefined)
    const csv = 'npsn,name,type,kecamatan\n99020601,TK Cahaya,TK,Praya\n99020602,KB Permata,KB,Praya\n'
    expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'schools', csv }, { analyzeAfter: 2 })).toMatchObject({ ok: true, rows: 2 })
    expect(await countsBecoming(plus(before, ['org_node', 'competence_learner']))).toEqual(plus(before, ['org_node', 'competence_learner']))
  })

  it('runs ANALYZE on person, person_grant and competence_learner after a teachers import of at least `analyzeAfter` rows', async () => {
    const before = await countsBecoming(undefined)
    const csv = 'name,npsn,email,id\nBaiq Nurhasanah,99020601,baiq@example.org,ptk-001\nSiti Aisyah,99020602,,ptk-002\n'
    expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'teachers', csv }, { analyzeAfter: 2 })).toMatchObject({ ok: true, rows: 2 })
    expect(await countsBecoming(plus(before, ['person', 'person_grant', 'competence_learner']))).toEqual(plus(before, ['person', 'person_grant', 'competence_learner']))
  })

  it('runs ANALYZE on org_node after a schools import of any size: a tree of a few hundred nodes never reaches autovacuum\'s threshold', async () => {
    const before = await countsBecoming(undefined)
    const csv = 'npsn,name,type,kecamatan\n99020603,TK Baru,TK,Praya\n99020604,KB Baru,KB,Praya\n'
    expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'schools', csv }, { analyzeAfter: 3 })).toMatchObject({ ok: true, rows: 2 })
    expect(await countsBecoming(plus(before, ['org_node']))).toEqual(plus(before, ['org_node']))
  })

  it('does not run ANALYZE after a teachers import shorter than `analyzeAfter`, a dry run, or a rejected file', async () => {
    const before = await countsBecoming(undefined)
    const csv = 'npsn,name,type,kecamatan\n99020603,TK Baru,TK,Praya\n99020604,KB Baru,KB,Praya\n'
    expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'teachers', csv: 'name,npsn,email,id\nBaiq Baru,99020603,,ptk-003\n' }, { analyzeAfter: 2 })).toMatchObject({ ok: true, rows: 1 })
    expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'schools', csv, dryRun: true }, { analyzeAfter: 1 })).toMatchObject({ ok: true, dryRun: true })
    expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'schools', csv: `${csv}9902060X,KB Salah,KB,Praya\n` }, { analyzeAfter: 1 })).toMatchObject({ ok: false })
    expect(await countsBecoming(undefined)).toEqual(before)
  })

  it('refuses an `analyzeAfter` that is not a positive integer before reading the file', async () => {
    for (const analyzeAfter of [0, -1, 1.5, Number.NaN]) {
      await expect(importOrgCsv(s.db.knex, { tenantId, kind: 'schools', csv: '' }, { analyzeAfter })).rejects.toThrow(TypeError)
    }
  })
})
