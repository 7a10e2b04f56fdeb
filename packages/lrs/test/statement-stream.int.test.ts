import { randomUUID } from 'node:crypto'
import { testEngine, waitForHorizon } from '@tln/db/testing'
import { validateStatement } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STREAM_START, type StreamPosition } from '../src/index.ts'
import { aStatement, createTestLrs, type TestLrs } from './test-lrs.ts'

let t: TestLrs
let tenantId: string

beforeAll(async () => {
  t = await createTestLrs()
  tenantId = ((await t.db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
})
afterAll(async () => {
  await t.close()
})

async function store(count: number): Promise<string[]> {
  const credential = (await t.lrs.credentials.list())[0]!
  const statements = Array.from({ length: count }, () => validateStatement({ ...aStatement(), id: randomUUID() }, { version: '1.0.3' }))
  return t.lrs.statements.storeStatements({ tenantId, credential, version: '1.0.3' }, statements)
}

/** Reads the stream to its current end, in pages of `limit`. */
async function drain(after: StreamPosition, limit = 3, tenant: string | 'all' = tenantId): Promise<{ ids: string[]; next: StreamPosition }> {
  const ids: string[] = []
  let cursor = after
  for (;;) {
    const page = await t.lrs.stream.read({ ...(tenant !== 'all' ? { tenantId: tenant } : {}), after: cursor, limit })
    ids.push(...page.statements.map((s) => s.id))
    const moved = page.next.txid !== cursor.txid || page.next.seq !== cursor.seq
    cursor = page.next
    if (page.statements.length < limit && !moved) return { ids, next: cursor }
    if (page.statements.length === 0) return { ids, next: cursor }
  }
}

/**
 * Reads until `count` statements have arrived (or 20 s pass). The horizon is cluster-wide: a
 * transaction of any other database on the same server (other test files run in parallel) may
 * hold the stream back for a moment, never forward, so a test waits instead of assuming it is alone.
 */
async function drainUntil(after: StreamPosition, count: number): Promise<{ ids: string[]; next: StreamPosition }> {
  const ids: string[] = []
  let cursor = after
  const deadline = Date.now() + 20_000
  while (ids.length < count && Date.now() < deadline) {
    const page = await drain(cursor)
    ids.push(...page.ids)
    cursor = page.next
    if (ids.length < count) await new Promise((r) => setTimeout(r, 50))
  }
  return { ids, next: cursor }
}

describe(`statement stream on ${testEngine()}`, () => {
  it('delivers every statement once, in the order stored, across pages', async () => {
    const first = await store(4)
    const second = await store(3)
    await waitForHorizon(t.db.knex)
    const { ids, next } = await drain(STREAM_START)
    expect(ids).toEqual([...first, ...second])
    const again = await drain(next)
    expect(again.ids).toEqual([])
  })

  it('resumes from a cursor with only what was stored after it', async () => {
    await waitForHorizon(t.db.knex)
    const { next } = await drain(STREAM_START)
    const later = await store(2)
    await waitForHorizon(t.db.knex)
    expect((await drain(next)).ids).toEqual(later)
  })

  it('reads one tenant or all tenants', async () => {
    await t.db.knex('tenant').insert({ slug: 'lombok-barat', name: 'Lombok Barat' })
    const other = ((await t.db.knex('tenant').where({ slug: 'lombok-barat' }).first()) as { id: string }).id
    const credential = await t.lrs.credentials.create({ tenant: 'lombok-barat', scopes: ['all'] })
    const [theirs] = await t.lrs.statements.storeStatements({ tenantId: other, credential: credential.credential, version: '1.0.3' }, [validateStatement(aStatement(), { version: '1.0.3' })])
    await waitForHorizon(t.db.knex)
    expect((await drain(STREAM_START, 100, other)).ids).toEqual([theirs])
    expect((await drain(STREAM_START)).ids).not.toContain(theirs)
    expect((await drain(STREAM_START, 100, 'all')).ids).toContain(theirs)
  })

  it('rejects a limit that is not a positive integer (a caller bug)', async () => {
    await expect(t.lrs.stream.read({ after: STREAM_START, limit: 0 })).rejects.toBeInstanceOf(TypeError)
  })
})

// PGlite has one connection: a transaction held open blocks every other, so writes never overlap
// there and the race below cannot happen. On PostgreSQL it does, and the stream must not skip.
describe.runIf(testEngine() === 'postgres')('statement stream under concurrent writers (PostgreSQL)', () => {
  it('never skips a statement whose transaction drew a lower seq but committed later, and never repeats one', async () => {
    const before = await t.db.knex('xapi_statement').count<{ count: number }[]>({ count: '*' }).where({ tenant_id: tenantId })
    const { next: start } = await drainUntil(STREAM_START, Number(before[0]!.count))
    const held = await t.db.knex.transaction()
    const lateId = randomUUID()
    try {
      await held.raw(
        `insert into xapi_statement (tenant_id, id, stored, verb_id, voiding, statement)
         values (?, ?, now(), 'http://adlnet.gov/expapi/verbs/completed', false, ?::json)`,
        [tenantId, lateId, JSON.stringify({ id: lateId, ...aStatement() })],
      )
      const lateSeq = ((await held('xapi_statement').where({ id: lateId }).first()) as { seq: number }).seq
      const early = await store(3)
      const earlySeqs = (await t.db.knex('xapi_statement').whereIn('id', early).select('seq')) as Array<{ seq: number }>
      expect(earlySeqs.every((r) => r.seq > lateSeq)).toBe(true)

      // The committed statements are held back while an older transaction is open...
      const during = await drain(start)
      expect(during.ids).toEqual([])
      // ...whereas a reader by seq alone would have moved past lateSeq already.
      const bySeq = (await t.db.knex('xapi_statement').where('seq', '>', 0).max('seq as max').first()) as { max: number }
      expect(bySeq.max).toBeGreaterThan(lateSeq)

      await held.commit()
      const after = await drainUntil(during.next, 4)
      expect(after.ids).toEqual([lateId, ...early])
      expect((await drain(after.next)).ids).toEqual([])
    } finally {
      if (!held.isCompleted()) await held.rollback()
    }
  })

  it('a read-only transaction left open holds the stream back too, and nothing is lost when it ends', async () => {
    const before = await t.db.knex('xapi_statement').count<{ count: number }[]>({ count: '*' }).where({ tenant_id: tenantId })
    const { next: start } = await drainUntil(STREAM_START, Number(before[0]!.count))
    const idle = await t.db.knex.transaction()
    try {
      await idle.raw('select pg_current_xact_id()')
      const stored = await store(2)
      expect((await drain(start)).ids).toEqual([])
      await idle.commit()
      expect((await drainUntil(start, 2)).ids).toEqual(stored)
    } finally {
      if (!idle.isCompleted()) await idle.rollback()
    }
  })
})
