import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './create-db.ts'
import { up } from './migrations/20261130003400-competence-rating-double.ts'
import { createTestDb, testEngine } from './testing/test-db.ts'

// Migration 20261130003400: ratings stored exactly (the engine rolls parents up from stored rows),
// and the tenants built under a points roll-up rebuilt, whose stored parents could be stale.
describe(`competence ratings as double precision on ${testEngine()}`, () => {
  let db: Db
  beforeAll(async () => {
    db = await createTestDb()
  })
  afterAll(async () => {
    await db.close()
  })

  async function tenantWith(slug: string, rule: 'points' | 'allChildrenProficient'): Promise<string> {
    const id = ((await db.knex('tenant').insert({ slug, name: slug }).returning('id')) as Array<{ id: string }>)[0]!.id
    await db.knex('competence_config').insert({ tenant_id: id, version: 2, framework: '{}', rules: '[]', rating: JSON.stringify({ method: { method: 'latest' }, rollUp: { rule } }) })
    await db.knex('competence_engine').insert({ tenant_id: id, config_version: 2, state: 'current' })
    return id
  }

  it('stores a rating as the double it was given, not rounded to float32', async () => {
    const type = (await db.knex.raw(`select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'competence_rating'::regclass and attname = 'rating'`)) as { rows: Array<{ type: string }> }
    expect(type.rows[0]!.type).toBe('double precision')
  })

  it('marks for a rebuild exactly the tenants whose projections were built under a points roll-up', async () => {
    const points = await tenantWith('rollup-points', 'points')
    const all = await tenantWith('rollup-all', 'allChildrenProficient')
    await db.knex.transaction((trx) => up(trx))
    const versions = (await db.knex('competence_engine').whereIn('tenant_id', [points, all]).select('tenant_id', 'config_version')) as Array<{ tenant_id: string; config_version: number | null }>
    expect(new Map(versions.map((v) => [v.tenant_id, v.config_version === null ? null : Number(v.config_version)]))).toEqual(new Map([[points, null], [all, 2]]))
  })
})
