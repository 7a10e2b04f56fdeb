import { createDb } from '@tln/db'
import { migrations, testEngine, testServerUrl } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'
import { listSkipped } from '../../src/engine/skipped-statements.ts'
import { createEngineFixture, projections, type EngineFixture } from './engine-fixture.ts'
import { scored, voiding } from './statements.ts'

/**
 * A statement the competence projections cannot take is skipped so that the tenant's reports go
 * on (unprojectable-statement.int.test.ts); it is acknowledged and stored in the LRS, so the skip
 * must not live in a log line only: it is recorded per tenant (`competence_skipped_statement`,
 * migration 20261130002600) in the transaction that moves the cursor past it, shown in the engine
 * status, listed and retried (issue 7: nothing acknowledged is lost).
 */
let f: EngineFixture
beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

const ts = (day: number) => `2026-02-${String(day).padStart(2, '0')}T10:00:00+08:00`

async function statementIds(tenantId: string): Promise<string[]> {
  return ((await f.knex('xapi_statement').where({ tenant_id: tenantId }).orderBy('seq').select('id')) as Array<{ id: string }>).map((r) => r.id)
}

/** A fault only the database sees, for the given statements: what a value it cannot hold would do. Returns the cure. */
async function refuse(tag: string, ids: readonly string[]): Promise<() => Promise<void>> {
  const list = ids.map((id) => `'${id}'`).join(', ')
  await f.knex.raw(`create function refuse_${tag}() returns trigger language plpgsql as $$
    begin if new.statement_id in (${list}) then raise exception 'refused for the test (${tag})'; end if; return new; end $$`)
  await f.knex.raw(`create trigger refuse_${tag} before insert on learning_fact for each row execute function refuse_${tag}()`)
  let cured = false
  return async () => {
    if (cured) return
    cured = true
    await f.knex.raw(`drop trigger refuse_${tag} on learning_fact`)
    await f.knex.raw(`drop function refuse_${tag}()`)
  }
}

/**
 * A tenant `name` with two scores of teacher 1 in February; the first (`<prefix>/1`, returned) is
 * refused by the database while the engine projects it, so it is skipped, never counted.
 */
async function skippedTarget(name: string, prefix: string, tag: string): Promise<{ tenantId: string; target: ReturnType<typeof scored> }> {
  const tenantId = await f.tenantWithConfig(name)
  const target = scored(`${prefix}/1`, 1, 0.9, ts(1))
  await f.store(name, [target, scored(`${prefix}/2`, 1, 0.8, ts(2))])
  const cure = await refuse(tag, [target.id])
  try {
    await new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()
  } finally {
    await cure()
  }
  return { tenantId, target }
}

const factIds = async (tenantId: string) => (await projections(f.knex, tenantId)).facts.map((x) => x['statement_id'] as string).sort()

describe(`skipped statements are kept, shown and retried, on ${testEngine()}`, () => {
  it('records a statement the database refuses with its reason, stream position and config version, and still advances the partition', async () => {
    const tenantId = await f.tenantWithConfig('skip-record')
    await f.store('skip-record', [scored('sr/1', 1, 0.9, ts(1)), scored('sr/2', 2, 0.8, ts(2)), scored('sr/3', 3, 0.7, ts(3))])
    const ids = await statementIds(tenantId)
    const cure = await refuse('record', [ids[1]!])
    try {
      const engine = new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 })
      expect(await engine.catchUp()).toBe(3)
      expect(await engine.status(tenantId)).toMatchObject({ state: 'current', processed: 3, skipped: 1 })
      const [record, ...others] = await listSkipped(f.knex, { tenantId })
      expect(others).toEqual([])
      const row = (await f.knex('xapi_statement').where({ tenant_id: tenantId, id: ids[1] }).first()) as { txid: number; seq: number }
      expect(record).toMatchObject({
        tenantId, statementId: ids[1], position: { txid: Number(row.txid), seq: Number(row.seq) },
        reasonCode: 'P0001', reason: 'refused for the test (record)', configVersion: 1, attempts: 1,
      })
      expect(record!.lastSeen.getTime()).toBe(record!.firstSeen.getTime())
      expect(await factIds(tenantId)).toEqual([ids[0], ids[2]].sort())
      // Later statements go on past it, and it is not recorded twice.
      await f.store('skip-record', [scored('sr/4', 4, 0.9, ts(4))])
      expect(await engine.catchUp()).toBe(1)
      expect(await listSkipped(f.knex, { tenantId })).toHaveLength(1)
    } finally {
      await cure()
    }
  })

  it('writes the record in the page\'s transaction: a page that fails after it leaves neither a record nor a moved cursor', async () => {
    const tenantId = await f.tenantWithConfig('skip-atomic')
    await f.store('skip-atomic', [scored('sa/1', 1, 0.9, ts(1)), scored('sa/2', 2, 0.8, ts(2))])
    const ids = await statementIds(tenantId)
    const cure = await refuse('atomic', [ids[0]!])
    // The crash comes after the skip is recorded: when the cursor moves.
    await f.knex.raw(`create function crash_cursor() returns trigger language plpgsql as $$
      begin if new.tenant_id = '${tenantId}' and new.processed > 0 then raise exception 'crash while the cursor moves'; end if; return new; end $$`)
    await f.knex.raw('create trigger crash_cursor before update on competence_engine for each row execute function crash_cursor()')
    try {
      await expect(new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()).rejects.toThrow(/crash while the cursor moves/)
      expect(await listSkipped(f.knex, { tenantId })).toEqual([])
      expect(await new CompetenceEngine({ knex: f.knex }).status(tenantId)).toMatchObject({ processed: 0, skipped: 0 })
    } finally {
      await f.knex.raw('drop trigger crash_cursor on competence_engine')
      await f.knex.raw('drop function crash_cursor()')
    }
    try {
      expect(await new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()).toBe(2)
      expect((await listSkipped(f.knex, { tenantId })).map((s) => s.statementId)).toEqual([ids[0]])
    } finally {
      await cure()
    }
  })

  it('keeps the record for a new engine (a restart), which retries it: refused again counts an attempt, once the cause is gone it is projected and the record cleared', async () => {
    const tenantId = await f.tenantWithConfig('skip-retry')
    await f.store('skip-retry', [scored('rt/1', 1, 0.9, ts(1)), scored('rt/2', 2, 0.8, ts(2)), scored('rt/3', 2, 0.7, ts(3))])
    const ids = await statementIds(tenantId)
    const cure = await refuse('retry', [ids[1]!])
    try {
      expect(await new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()).toBe(3)
      const ratingsBefore = (await projections(f.knex, tenantId)).ratings
      // A new engine knows nothing of the failure but what the database kept.
      const restarted = new CompetenceEngine({ knex: f.knex })
      expect(await restarted.status(tenantId)).toMatchObject({ skipped: 1 })
      expect(await restarted.retrySkipped(tenantId)).toEqual({ retried: 1, projected: 0, remaining: 1, rebuildPending: false })
      const [again] = await listSkipped(f.knex, { tenantId })
      expect(again).toMatchObject({ statementId: ids[1], attempts: 2, reasonCode: 'P0001' })
      expect(again!.lastSeen.getTime()).toBeGreaterThanOrEqual(again!.firstSeen.getTime())
      expect((await projections(f.knex, tenantId)).ratings).toEqual(ratingsBefore)
    } finally {
      await cure()
    }
    const engine = new CompetenceEngine({ knex: f.knex })
    expect(await engine.retrySkipped(tenantId)).toEqual({ retried: 1, projected: 1, remaining: 0, rebuildPending: false })
    expect(await listSkipped(f.knex, { tenantId })).toEqual([])
    expect(await engine.status(tenantId)).toMatchObject({ state: 'current', processed: 3, skipped: 0 })
    // The same projections as if it had never been refused.
    const retried = await projections(f.knex, tenantId)
    expect(retried.facts.map((x) => x['statement_id']).sort()).toEqual([...ids].sort())
    await f.knex('competence_engine').where({ tenant_id: tenantId }).update({ config_version: null })
    await engine.catchUp()
    expect(await projections(f.knex, tenantId)).toEqual(retried)
  })

  /** The month rows as `[month, statements]`, for terse assertions. */
  const monthCounts = async (tenantId: string) => (await projections(f.knex, tenantId)).months.map((m) => [m['month'], m['statements']])
  const rebuildMatches = async (tenantId: string) => {
    const before = await projections(f.knex, tenantId)
    await f.knex('competence_engine').where({ tenant_id: tenantId }).update({ config_version: null })
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    expect(await projections(f.knex, tenantId)).toEqual(before)
  }

  it('voided after it was skipped, uncounts nothing (it was never counted) and its record is resolved, so a retry cannot count it (xAPI 1.0.3 Data 2.3.2)', async () => {
    const { tenantId, target } = await skippedTarget('skip-voided', 'sv', 'voided')
    expect(await monthCounts(tenantId)).toEqual([['2026-02', 1]])
    await f.store('skip-voided', [voiding('sv/void', 1, target.id, ts(5))])
    const engine = new CompetenceEngine({ knex: f.knex })
    await engine.catchUp()
    // Not 0: the voiding statement took nothing away from the month the skipped statement never entered.
    expect(await monthCounts(tenantId)).toEqual([['2026-02', 1]])
    expect(await listSkipped(f.knex, { tenantId })).toEqual([])
    expect(await engine.status(tenantId)).toMatchObject({ skipped: 0 })
    expect(await engine.retrySkipped(tenantId)).toEqual({ retried: 0, projected: 0, remaining: 0, rebuildPending: false })
    expect(await monthCounts(tenantId)).toEqual([['2026-02', 1]])
    expect((await projections(f.knex, tenantId)).evidence.filter((e) => !e['voided']).map((e) => e['statement_id'])).not.toContain(target.id)
    await rebuildMatches(tenantId)
  })

  it('voided in the page that skips it as unreadable, uncounts nothing, reads nothing of it, and leaves no record of it (xAPI 1.0.3 Data 2.3.2)', async () => {
    const tenantId = await f.tenantWithConfig('skip-voided-page')
    const target = scored('svp/1', 1, 0.9, ts(1))
    const refused = scored('svp/3', 2, 0.7, ts(3))
    await f.store('skip-voided-page', [target, scored('svp/2', 1, 0.8, ts(2)), refused])
    // A stored statement the engine cannot read (no actor: a row damaged outside the LRS).
    await f.knex.raw(`update xapi_statement set statement = (statement::jsonb - 'actor')::json where tenant_id = ? and id = ?`, [tenantId, target.id])
    await f.store('skip-voided-page', [voiding('svp/void', 1, target.id, ts(5))])
    // Another statement of the page refused: the page is projected one statement at a time.
    const cure = await refuse('voided_page', [refused.id])
    try {
      const engine = new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 })
      expect(await engine.catchUp()).toBe(4)
      expect(await monthCounts(tenantId)).toEqual([['2026-02', 1]])
      // The voiding statement is projected (not refused for its target's JSON); the unreadable target needs no retry.
      expect((await listSkipped(f.knex, { tenantId })).map((k) => k.statementId)).toEqual([refused.id])
    } finally {
      await cure()
    }
    // Retried once cured, the refused statement (teacher 2) counts; the unreadable target (teacher 1) never does.
    expect(await new CompetenceEngine({ knex: f.knex }).retrySkipped(tenantId)).toEqual({ retried: 1, projected: 1, remaining: 0, rebuildPending: false })
    expect(await monthCounts(tenantId)).toEqual([['2026-02', 1], ['2026-02', 1]])
    await rebuildMatches(tenantId)
  })

  it('retried after it was voided but before its voiding statement is applied, is uncounted again when that statement is (xAPI 1.0.3 Data 2.3.2)', async () => {
    const { tenantId, target } = await skippedTarget('skip-voided-retry', 'svr', 'voided_retry')
    // Stored, not yet applied: the retry reads the target as the stream now delivers it, voided.
    await f.store('skip-voided-retry', [voiding('svr/void', 1, target.id, ts(5))])
    const engine = new CompetenceEngine({ knex: f.knex })
    expect(await engine.retrySkipped(tenantId)).toEqual({ retried: 1, projected: 1, remaining: 0, rebuildPending: false })
    await engine.catchUp()
    expect(await monthCounts(tenantId)).toEqual([['2026-02', 1]])
    expect((await projections(f.knex, tenantId)).evidence.filter((e) => !e['voided']).map((e) => e['statement_id'])).not.toContain(target.id)
    await rebuildMatches(tenantId)
  })

  it('a rebuild that reads a recorded statement and its voiding statement in one page uncounts it: the page, not the old record, says whether it was counted', async () => {
    const { tenantId, target } = await skippedTarget('skip-voided-rebuild', 'svb', 'voided_rebuild')
    await f.store('skip-voided-rebuild', [voiding('svb/void', 1, target.id, ts(5))])
    // A rebuild before the voiding statement was applied: one page reads the target (delivered voided, counted
    // until its voiding statement) while its record of the old refusal is still there.
    await f.knex('competence_engine').where({ tenant_id: tenantId }).update({ config_version: null })
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    expect(await monthCounts(tenantId)).toEqual([['2026-02', 1]])
    expect(await listSkipped(f.knex, { tenantId })).toEqual([])
  })

  it('a rebuild reads a recorded statement again: projected now, its record is deleted; still refused, it is isolated at once and counted again', async () => {
    const tenantId = await f.tenantWithConfig('skip-rebuild')
    await f.store('skip-rebuild', [scored('rb/1', 1, 0.9, ts(1)), scored('rb/2', 2, 0.8, ts(2)), scored('rb/3', 3, 0.7, ts(3)), scored('rb/4', 4, 0.6, ts(4))])
    const ids = await statementIds(tenantId)
    const cure = await refuse('rebuild', [ids[1]!, ids[2]!])
    try {
      await new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()
      expect((await listSkipped(f.knex, { tenantId })).map((s) => s.statementId)).toEqual([ids[1], ids[2]])
    } finally {
      await cure()
    }
    const keep = await refuse('rebuild_keep', [ids[2]!])
    try {
      await f.knex('competence_engine').where({ tenant_id: tenantId }).update({ config_version: null })
      // The default isolateAfterMs (60 s) would hold a page retried as a whole: the record says at once which page to take apart.
      const engine = new CompetenceEngine({ knex: f.knex })
      expect(await engine.catchUp()).toBe(4)
      expect(await engine.status(tenantId)).toMatchObject({ state: 'current', skipped: 1 })
      expect(await listSkipped(f.knex, { tenantId })).toEqual([expect.objectContaining({ statementId: ids[2], attempts: 2, reason: 'refused for the test (rebuild_keep)' })])
      expect(await factIds(tenantId)).toEqual([ids[0], ids[1], ids[3]].sort())
    } finally {
      await keep()
    }
  })

  it('does not retry while a rebuild is pending: the rebuild reads every statement again', async () => {
    const tenantId = await f.tenantWithConfig('skip-pending')
    await f.store('skip-pending', [scored('pd/1', 1, 0.9, ts(1)), scored('pd/2', 2, 0.8, ts(2))])
    const ids = await statementIds(tenantId)
    const cure = await refuse('pending', [ids[0]!])
    try {
      await new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()
    } finally {
      await cure()
    }
    await f.knex('competence_engine').where({ tenant_id: tenantId }).update({ config_version: null })
    expect(await new CompetenceEngine({ knex: f.knex }).retrySkipped(tenantId)).toEqual({ retried: 0, projected: 0, remaining: 1, rebuildPending: true })
    await f.catchUp()
    expect(await listSkipped(f.knex, { tenantId })).toEqual([])
  })

  it('migration 20261130002600: down drops the table, up makes it again, and the engine records skips in it', async () => {
    const migration = migrations.find(([name]) => name === '20261130002600-competence-skipped-statements')![1]
    await migration.down(f.knex)
    expect(await f.knex.schema.hasTable('competence_skipped_statement')).toBe(false)
    await migration.up(f.knex)
    const tenantId = await f.tenantWithConfig('skip-migrate')
    await f.store('skip-migrate', [scored('mg/1', 1, 0.9, ts(1)), scored('mg/2', 2, 0.8, ts(2))])
    const ids = await statementIds(tenantId)
    const cure = await refuse('migrate', [ids[0]!])
    try {
      await new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()
    } finally {
      await cure()
    }
    expect((await listSkipped(f.knex, { tenantId })).map((s) => s.statementId)).toEqual([ids[0]])
    await expect(f.knex('competence_skipped_statement').where({ tenant_id: tenantId }).update({ reason: 'x'.repeat(501) })).rejects.toThrow(/check/)
  })
})

// PGlite has one connection, so two engines there never overlap; on PostgreSQL they do.
describe.runIf(testEngine() === 'postgres')('retrying skipped statements beside a running server process (PostgreSQL)', () => {
  it('waits for the partition another process holds, then retries under its lock', async () => {
    const tenantId = await f.tenantWithConfig('skip-two')
    await f.store('skip-two', [scored('tw/1', 1, 0.9, ts(1)), scored('tw/2', 2, 0.8, ts(2))])
    const ids = await statementIds(tenantId)
    const cure = await refuse('two', [ids[0]!])
    try {
      await new CompetenceEngine({ knex: f.knex, isolateAfterMs: 0 }).catchUp()
    } finally {
      await cure()
    }
    const { rows } = (await f.knex.raw('select current_database() as name')) as { rows: Array<{ name: string }> }
    // A second server process: its own pool on the same database.
    const second = await createDb({ engine: 'postgres', url: testServerUrl(rows[0]!.name), poolMax: 2 })
    const other = second.knex
    try {
      const holder = await other.transaction()
      await holder('competence_engine').where({ tenant_id: tenantId }).forUpdate().first()
      let done = false
      const retry = new CompetenceEngine({ knex: f.knex }).retrySkipped(tenantId).then((r) => {
        done = true
        return r
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(done).toBe(false)
      // Meanwhile the other process's engine skips the busy partition, as for any page.
      expect(await new CompetenceEngine({ knex: other }).runOnce()).toBe(0)
      await holder.commit()
      expect(await retry).toEqual({ retried: 1, projected: 1, remaining: 0, rebuildPending: false })
      expect(await listSkipped(other, { tenantId })).toEqual([])
    } finally {
      await second.close()
    }
  })
})
