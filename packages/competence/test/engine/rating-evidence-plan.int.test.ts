/**
 * The engine rates the learners of every page from evidence (ratings.ts): the indicators the page
 * touched from all THEIR evidence, and a learner who lost evidence by voiding from all of theirs.
 * Those reads grow with each teacher's history: on the soak's database at its end (~62 evidence
 * rows per teacher) reading 300 learners' evidence visited 6,853 heap pages, one per row, because a
 * learner's rows arrive one statement at a time over months. `competence_evidence_learner`
 * carries the columns the engine reads (migration 20261130003300) so both reads are index-only
 * scans over contiguous index entries. This checks that the engine's own queries can be answered
 * from the index alone: a column added to them and not to the index fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { validateCompetenceConfig } from '../../src/config/validate-config.ts'
import { rateLearners, ratingContext, type RatingChanges } from '../../src/engine/ratings.ts'
import { CONFIG, orgTree, sid, type Tenant } from '../reports/report-fixture.ts'

let db: Db
let t: Tenant

beforeAll(async () => {
  db = await createTestDb()
  t = await orgTree(db.knex, 'default', 'Kabupaten Lombok Tengah', { '52.02.06': 'Praya' }, { 111: '52.02.06' })
  const rows = Array.from({ length: 40 }, (_, i) => ({
    tenant_id: t.id, statement_id: sid(), indicator: i % 2 === 0 ? 'PED.C.1' : 'SOS.A.1', learner_key: `mbox:mailto:guru${i % 8}@paud.example`,
    source: 'facilitator-rubric', score: 0.75, at: '2026-03-01T00:00:00Z', weight: 1, rule: 'test', voided: i === 3,
  }))
  await db.knex('competence_evidence').insert(rows)
  await db.knex.raw('vacuum analyze competence_evidence')
})

afterAll(async () => {
  await db?.close()
})

async function evidenceReads(changes: RatingChanges): Promise<Array<{ sql: string; bindings: unknown[] }>> {
  const seen: Array<{ sql: string; bindings: unknown[] }> = []
  const listener = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] })
  const { version, ...config } = CONFIG
  db.knex.on('query', listener)
  try {
    await db.knex.transaction((trx) => rateLearners(trx, t.id, changes, ratingContext(validateCompetenceConfig(config), version)))
  } finally {
    db.knex.off('query', listener)
  }
  return seen.filter((q) => /competence_evidence e\b/.test(q.sql) && /^select/i.test(q.sql))
}

async function planOf(read: { sql: string; bindings: unknown[] }): Promise<string> {
  return db.knex.transaction(async (trx) => {
    // A tiny table is read sequentially whatever the indexes; what matters is that the index can answer alone.
    await trx.raw('set local enable_seqscan = off')
    await trx.raw('set local enable_bitmapscan = off')
    // knex hands PostgreSQL `$n` placeholders; knex.raw takes `?`, in the same order.
    const { rows } = (await trx.raw(`explain (format json) ${read.sql.replace(/\$\d+/g, '?')}`, read.bindings as never)) as { rows: Array<{ 'QUERY PLAN': unknown }> }
    return JSON.stringify(rows[0]!['QUERY PLAN'])
  })
}

describe('rating evidence read (issue 7: the engine keeps up as every teacher\'s history grows)', () => {
  it("reads the touched indicators' evidence by an index-only scan of competence_evidence_learner", async () => {
    const reads = await evidenceReads({ touched: new Map([['mbox:mailto:guru1@paud.example', new Set(['PED.C.1'])], ['mbox:mailto:guru2@paud.example', new Set(['SOS.A.1'])]]), retracted: [] })
    expect(reads, 'the pair evidence query of rateLearners').toHaveLength(1)
    const plan = await planOf(reads[0]!)
    expect(plan).toContain('"Node Type":"Index Only Scan"')
    expect(plan).toContain('"Index Name":"competence_evidence_learner"')
  })

  it("reads a retracted learner's whole evidence by an index-only scan of competence_evidence_learner", async () => {
    const reads = await evidenceReads({ touched: new Map(), retracted: ['mbox:mailto:guru3@paud.example'] })
    expect(reads, 'the full evidence query of rateLearners').toHaveLength(1)
    const plan = await planOf(reads[0]!)
    expect(plan).toContain('"Node Type":"Index Only Scan"')
    expect(plan).toContain('"Index Name":"competence_evidence_learner"')
  })
})
