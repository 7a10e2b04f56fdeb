import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './create-db.ts'
import { createTestDb, testEngine } from './testing/test-db.ts'

// Migration 20261130002310: ANALYZE of `xapi_statement` samples 3,000 rows (300 × target 10), not
// 30,000 rows of statement JSON, which on PGlite stayed resident as WebAssembly memory (issue 7).
describe(`statistics sample of xapi_statement on ${testEngine()}`, () => {
  let db: Db
  beforeAll(async () => {
    db = await createTestDb()
  })
  afterAll(async () => {
    await db.close()
  })

  it('gives every column of xapi_statement the statistics target 10, so a column added later cannot bring back the 30,000-row sample', async () => {
    const { rows } = (await db.knex.raw(
      `select attname, coalesce(attstattarget, -1)::int as target from pg_attribute
        where attrelid = 'xapi_statement'::regclass and attnum > 0 and not attisdropped order by attnum`,
    )) as { rows: Array<{ attname: string; target: number }> }
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.filter((r) => r.target < 0 || r.target > 10)).toEqual([])
  })

  it('keeps at most 11 histogram bounds per column after ANALYZE (PostgreSQL 18, ANALYZE, Notes: the sample and histogram follow the target)', async () => {
    const tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    await db.knex.raw(
      `insert into xapi_statement (tenant_id, id, stored, verb_id, voiding, statement)
       select ?, gen_random_uuid(), now() - g * interval '1 minute', 'http://adlnet.gov/expapi/verbs/attended', false, '{}'::json
         from generate_series(1, 500) g`,
      [tenantId],
    )
    await db.knex.raw('analyze xapi_statement')
    const { rows } = (await db.knex.raw(
      `select attname, array_length(histogram_bounds::text::text[], 1) as bounds from pg_stats
        where tablename = 'xapi_statement' and attname in ('seq', 'stored')`,
    )) as { rows: Array<{ attname: string; bounds: number }> }
    expect(rows).toHaveLength(2)
    for (const row of rows) expect(row.bounds).toBeLessThanOrEqual(11)
  })
})
