import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngineFixture, projections, type EngineFixture, type Projections } from './engine-fixture.ts'
import { attended, scored, voiding } from './statements.ts'

let f: EngineFixture

beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

const rating = (p: Projections, code: string) => p.ratings.find((r) => r['code'] === code)

describe(`voiding in the projections on ${testEngine()} (xAPI 1.0.3 Data 2.3.2)`, () => {
  it('retracts a target applied before its voiding statement arrives: evidence and fact voided, month uncounted, rating recomputed', async () => {
    const tenant = await f.tenantWithConfig('void-after')
    const keep = scored('va/keep', 1, 0.5, '2026-02-20T10:00:00+08:00')
    const target = scored('va/target', 1, 1, '2026-03-20T10:00:00+08:00')
    const meeting = attended('va/meeting', 1, '2026-03-21T09:00:00+08:00')
    await f.store('void-after', [keep, target, meeting])
    await f.catchUp()
    expect(rating(await projections(f.knex, tenant), 'PED.C.2')!.rating).toBeCloseTo(0.825, 5)
    await f.store('void-after', [voiding('va/void', 1, target.id, '2026-03-22T10:00:00+08:00')])
    await f.catchUp()
    const p = await projections(f.knex, tenant)
    expect(p.evidence.find((e) => (e as { statement_id: string }).statement_id === target.id)).toMatchObject({ voided: true })
    expect(p.facts.find((e) => (e as { statement_id: string }).statement_id === target.id)).toMatchObject({ voided: true })
    expect(rating(p, 'PED.C.2')).toMatchObject({ rating: 0.5, evidence: [keep.id] })
    expect(p.months.map((m) => [(m as { month: string }).month, (m as { statements: number }).statements])).toEqual([['2026-02', 1], ['2026-03', 1]])
  })

  it('skips a target the stream delivers already voided (never evidence), stored before its voiding statement', async () => {
    const tenant = await f.tenantWithConfig('void-before')
    const keep = scored('vb/keep', 2, 0.5, '2026-02-20T10:00:00+08:00')
    const target = scored('vb/target', 2, 1, '2026-03-20T10:00:00+08:00')
    await f.store('void-before', [keep, target])
    await f.store('void-before', [voiding('vb/void', 2, target.id, '2026-03-22T10:00:00+08:00')])
    await f.catchUp()
    const p = await projections(f.knex, tenant)
    expect(p.evidence.map((e) => (e as { statement_id: string }).statement_id)).toEqual([keep.id])
    expect(p.facts.map((e) => (e as { statement_id: string }).statement_id)).toEqual([keep.id])
    expect(rating(p, 'PED.C.2')).toMatchObject({ rating: 0.5, evidence: [keep.id] })
    expect(p.months.map((m) => [(m as { month: string }).month, (m as { statements: number }).statements])).toEqual([['2026-02', 1]])
  })

  it('skips a target stored after its voiding statement (the LRS stores it voided), with nothing to retract', async () => {
    const tenant = await f.tenantWithConfig('void-first')
    const target = scored('vf/target', 3, 1, '2026-03-20T10:00:00+08:00')
    await f.store('void-first', [voiding('vf/void', 3, target.id, '2026-03-22T10:00:00+08:00')])
    await f.catchUp()
    await f.store('void-first', [target, scored('vf/keep', 3, 0.25, '2026-03-25T10:00:00+08:00')])
    await f.catchUp()
    const p = await projections(f.knex, tenant)
    expect(p.evidence.map((e) => (e as { voided: boolean }).voided)).toEqual([false])
    expect(rating(p, 'PED.C.2')).toMatchObject({ rating: 0.25 })
    expect(p.months.map((m) => [(m as { month: string }).month, (m as { statements: number }).statements])).toEqual([['2026-03', 1]])
  })

  it('uncounts a target once when two voiding statements name it, and when target and voiding statement share a batch', async () => {
    const tenant = await f.tenantWithConfig('void-twice')
    const target = scored('vt/target', 4, 1, '2026-03-20T10:00:00+08:00')
    const keep = scored('vt/keep', 4, 0.5, '2026-03-21T10:00:00+08:00')
    await f.store('void-twice', [keep, target])
    await f.catchUp()
    await f.store('void-twice', [voiding('vt/void-1', 4, target.id, '2026-03-22T10:00:00+08:00')])
    await f.store('void-twice', [voiding('vt/void-2', 4, target.id, '2026-03-23T10:00:00+08:00')])
    const same = scored('vt/same-batch', 4, 1, '2026-04-01T10:00:00+08:00')
    await f.store('void-twice', [same, voiding('vt/void-3', 4, same.id, '2026-04-02T10:00:00+08:00')])
    await f.catchUp()
    const p = await projections(f.knex, tenant)
    expect(p.months.map((m) => [(m as { month: string }).month, (m as { statements: number }).statements])).toEqual([['2026-03', 1]])
    expect(rating(p, 'PED.C.2')).toMatchObject({ rating: 0.5, evidence: [keep.id] })
  })
})
