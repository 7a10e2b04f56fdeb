import { REDACTED_VALUE } from '@tln/db'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceEngine, type EngineLogger } from '../../src/engine/competence-engine.ts'
import { listSkipped } from '../../src/engine/skipped-statements.ts'
import { createEngineFixture, projections, type EngineFixture } from './engine-fixture.ts'
import { scored } from './statements.ts'

/**
 * One statement the projections cannot take must not stop a tenant's reports (issue 7: found by
 * probing the LRS, a stored statement made the engine retry the same page for ever).
 */
let f: EngineFixture
beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

function capturingLogger(): EngineLogger & { errors: Array<Record<string, unknown>> } {
  const errors: Array<Record<string, unknown>> = []
  return { errors, info: () => {}, warn: () => {}, error: (object) => errors.push(object as Record<string, unknown>) }
}

/** Every line, as the server's logger (pino's `err` serializer) writes it: an Error with its message and stack. */
function allLines(): { lines: Array<{ level: string; object: Record<string, unknown>; message: string }>; logger: EngineLogger; text: () => string } {
  const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = []
  const at = (level: string) => (object: object, message: string) => { lines.push({ level, object: object as Record<string, unknown>, message }) }
  const text = () => JSON.stringify(lines, (_, v: unknown) => (v instanceof Error ? { ...v, type: v.name, message: v.message, stack: v.stack } : v))
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') }, text }
}

describe(`statements the projections cannot take, on ${testEngine()}`, () => {
  it('logs a failing page and records its skip without the statements\' values: no query with values, the value PostgreSQL quotes redacted, SQLSTATE and routine kept', async () => {
    const tenantId = await f.tenantWithConfig('kab-private')
    await f.store('kab-private', [scored('pv/1', 7, 0.9, '2026-02-01T10:00:00+08:00'), scored('pv/2', 8, 0.8, '2026-02-02T10:00:00+08:00')])
    // The database refuses a value of one statement and quotes it: the learner key holds the teacher's account name.
    await f.knex.raw(`create function refuse_private() returns trigger language plpgsql as $$
      begin if new.tenant_id = '${tenantId}' and new.learner_key like '%guru-007%' then perform new.learner_key::uuid; end if; return new; end $$`)
    await f.knex.raw('create trigger refuse_private before insert on learning_fact for each row execute function refuse_private()')
    const log = allLines()
    try {
      // The background loop logs the page it rolled back (the default isolateAfterMs keeps it failing).
      const engine = new CompetenceEngine({ knex: f.knex, logger: log.logger, pollMs: 10 })
      engine.start()
      for (let i = 0; i < 500 && !log.lines.some((l) => l.message.startsWith('competence engine page failed')); i++) await new Promise((resolve) => setTimeout(resolve, 10))
      await engine.stop()
      const failed = log.lines.find((l) => l.message.startsWith('competence engine page failed'))
      expect(failed?.object).toMatchObject({ tenantId, err: { code: '22P02', message: `invalid input syntax for type uuid: "${REDACTED_VALUE}"`, routine: expect.any(String) } })
      // Then taken apart: the skip's reason, stored and logged, is redacted the same way.
      await new CompetenceEngine({ knex: f.knex, logger: log.logger, isolateAfterMs: 0 }).catchUp()
      expect(await listSkipped(f.knex, { tenantId })).toEqual([expect.objectContaining({ reasonCode: '22P02', reason: `invalid input syntax for type uuid: "${REDACTED_VALUE}"` })])
      expect(log.lines.some((l) => l.message.startsWith('statement skipped by the competence engine'))).toBe(true)
      for (const personal of ['guru-007', 'Guru 7', 'guru-008', 'insert into']) expect(log.text()).not.toContain(personal)
    } finally {
      await f.knex.raw('drop trigger refuse_private on learning_fact')
      await f.knex.raw('drop function refuse_private()')
    }
  })


  it('keeps retrying a page none of whose statements goes in alone: the fault is the tenant\'s or the code\'s, not a statement\'s', async () => {
    const tenantId = await f.tenantWithConfig('kab-systemic')
    await f.store('kab-systemic', [scored('s/1', 1, 0.9, '2026-02-01T10:00:00+08:00'), scored('s/2', 2, 0.8, '2026-02-02T10:00:00+08:00')])
    await f.knex.raw(`alter table learning_fact add constraint systemic_test check (tenant_id <> '${tenantId}') not valid`)
    try {
      await expect(new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()).rejects.toThrow(/systemic_test/)
    } finally {
      await f.knex.raw('alter table learning_fact drop constraint systemic_test')
    }
    expect((await projections(f.knex, tenantId)).facts).toEqual([])
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    expect((await projections(f.knex, tenantId)).facts).toHaveLength(2)
  })

  it('counts a statement at 9999-12-31T23:59Z (year 10000 in WITA) in the last month a date can hold', async () => {
    const tenantId = await f.tenantWithConfig('kab-far-future')
    await f.store('kab-far-future', [scored('ff/1', 1, 0.9, '9999-12-31T23:59:59.999Z'), scored('ff/2', 1, 0.8, '2026-03-02T10:00:00+08:00')])
    const engine = new CompetenceEngine({ knex: f.knex, timeZone: 'Asia/Makassar' })
    expect(await engine.catchUp()).toBe(2)
    const p = await projections(f.knex, tenantId)
    expect(p.months.map((m) => m['month'])).toEqual(['2026-03', '9999-12'])
    expect(p.facts).toHaveLength(2)
    expect(await engine.status(tenantId)).toMatchObject({ state: 'current', processed: 2 })
  })

  it('once a page has kept failing, skips and logs the statement the database refuses on its own, and projects the rest of its page', async () => {
    const tenantId = await f.tenantWithConfig('kab-poison')
    await f.store('kab-poison', [scored('p/1', 1, 0.9, '2026-02-01T10:00:00+08:00'), scored('p/2', 2, 0.8, '2026-02-02T10:00:00+08:00'), scored('p/3', 3, 0.7, '2026-02-03T10:00:00+08:00')])
    const ids = ((await f.knex('xapi_statement').where({ tenant_id: tenantId }).orderBy('seq').select('id')) as Array<{ id: string }>).map((r) => r.id)
    // A fault only the database sees, for one statement: what a value it cannot hold would do.
    await f.knex.raw(`create function refuse_poison() returns trigger language plpgsql as $$
      begin if new.statement_id = '${ids[1]}' then raise exception 'refused for the test'; end if; return new; end $$`)
    await f.knex.raw('create trigger refuse_poison before insert on learning_fact for each row execute function refuse_poison()')
    try {
      const logger = capturingLogger()
      // A page keeps failing: the engine retries it, as any failed page, until isolateAfterMs.
      await expect(new CompetenceEngine({ knex: f.knex, logger }).catchUp()).rejects.toThrow(/refused for the test/)
      expect(logger.errors).toEqual([])
      const engine = new CompetenceEngine({ knex: f.knex, logger, isolateAfterMs: 0 })
      expect(await engine.catchUp()).toBe(3)
      expect(await engine.status(tenantId)).toMatchObject({ state: 'current', processed: 3 })
      const p = await projections(f.knex, tenantId)
      expect(p.facts.map((x) => x['statement_id']).sort()).toEqual([ids[0], ids[2]].sort())
      expect(p.learners.map((l) => l['name']).sort()).toEqual(['Guru 1', 'Guru 3'])
      expect(logger.errors).toHaveLength(1)
      expect(logger.errors[0]).toMatchObject({ tenantId, statementId: ids[1] })
    } finally {
      await f.knex.raw('drop trigger refuse_poison on learning_fact')
      await f.knex.raw('drop function refuse_poison()')
    }
  })

  it('keeps retrying, skipping nothing, when the database is unreachable rather than refusing', async () => {
    const tenantId = await f.tenantWithConfig('kab-unreachable')
    await f.store('kab-unreachable', [scored('u/1', 1, 0.9, '2026-02-01T10:00:00+08:00')])
    await f.knex.raw(`create function refuse_unreachable() returns trigger language plpgsql as $$
      begin raise exception using errcode = '57P01', message = 'terminating connection due to administrator command (test)'; end $$`)
    await f.knex.raw('create trigger refuse_unreachable before insert on learning_fact for each row execute function refuse_unreachable()')
    try {
      await expect(new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()).rejects.toThrow(/administrator command/)
    } finally {
      await f.knex.raw('drop trigger refuse_unreachable on learning_fact')
      await f.knex.raw('drop function refuse_unreachable()')
    }
    const engine = new CompetenceEngine({ knex: f.knex })
    await engine.catchUp()
    expect((await projections(f.knex, tenantId)).facts).toHaveLength(1)
  })
})
