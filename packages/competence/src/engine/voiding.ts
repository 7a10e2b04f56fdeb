/**
 * Voiding in the projections (xAPI 1.0.3 Data 2.3.2: "the LRS SHOULD NOT show voided statements"
 * in reports; the voided statement stays stored). A voiding statement retracts its target's
 * evidence and facts (`voided = true`) and uncounts it in `learner_month`.
 *
 * The stream may deliver the target before or after the voiding statement, and voided already or
 * not, depending on timing. So that the projections never depend on timing, `learner_month`
 * follows stream positions only: a statement counts iff no voiding statement of it comes before it
 * in the stream, and only the first voiding statement after it uncounts it. A target delivered
 * voided (skipped, never evidence) whose voiding statement comes later is therefore counted now
 * and uncounted when that voiding statement is applied.
 *
 * A statement the engine skipped (`competence_skipped_statement`: refused, or unreadable) was never
 * counted, so its voiding statement uncounts nothing, and does not read it (it may be unreadable):
 * voided, it is to be left out of the reports anyway, so its record is resolved (deleted) and no
 * retry can count it later.
 */
import type { Knex } from '@tln/db'
import type { Statement } from '@tln/xapi'
import { addMonth, learnerAndMonth, type PageRows } from './page-rows.ts'

interface Position { txid: number; seq: number }

function before(a: Position, b: Position): boolean {
  return Number(a.txid) < Number(b.txid) || (Number(a.txid) === Number(b.txid) && Number(a.seq) < Number(b.seq))
}

/**
 * Which statements a voiding statement of this page finds never counted: those of the page are
 * decided by the page (its `skipped` so far; a record of theirs is from an earlier reading, a
 * rebuild reads them again), the others by their `competence_skipped_statement` record.
 */
export interface Uncounted {
  /** The statements of the page being applied (empty for `retrySkipped`, whose records are current). */
  readonly page: ReadonlySet<string>
  /** Those of them skipped so far (refused, or unreadable). */
  readonly skipped: ReadonlySet<string>
}

/**
 * Adds the `learner_month` corrections of the page's voiding statements and of its targets
 * delivered voided; deletes the skip records of targets that were never counted.
 * @returns the targets that were skipped, never counted, now voided: no longer to be listed or retried
 */
export async function countVoiding(trx: Knex, tenantId: string, rows: PageRows, timeZone: string, uncounted: Uncounted): Promise<string[]> {
  const resolved: string[] = []
  if (rows.voiding.length > 0) {
    const { rows: targets } = (await trx.raw(
      `select s.id, s.txid, s.seq, s.statement::text as json,
              exists (select 1 from competence_skipped_statement k where k.tenant_id = s.tenant_id and k.statement_id = s.id) as recorded,
              (select v.id from xapi_statement v
                where v.tenant_id = s.tenant_id and v.voiding and v.object_statement_id = s.id
                order by v.txid, v.seq limit 1) as first_voiding
         from xapi_statement s
        where s.tenant_id = ? and s.id = any(?::uuid[]) and not s.voiding`,
      [tenantId, rows.voiding.map((v) => v.targetId)],
    )) as { rows: Array<{ id: string; txid: number; seq: number; json: string; recorded: boolean; first_voiding: string }> }
    const byId = new Map(targets.map((t) => [t.id, t]))
    for (const voiding of rows.voiding) {
      const target = byId.get(voiding.targetId)
      if (target === undefined || target.first_voiding !== voiding.streamed.id || !before(target, voiding.streamed.position)) continue
      const skipped = uncounted.page.has(target.id) ? uncounted.skipped.has(target.id) : target.recorded
      if (skipped) {
        // Never counted, so nothing to uncount; and not parsed: it may be the unreadable statement it was skipped for.
        resolved.push(target.id)
        continue
      }
      const who = learnerAndMonth(JSON.parse(target.json) as Statement, timeZone)
      if (who !== undefined) addMonth(rows.months, who.learner, who.month, -1)
    }
    const recorded = resolved.filter((id) => !uncounted.page.has(id))
    if (recorded.length > 0) await trx('competence_skipped_statement').where({ tenant_id: tenantId }).whereIn('statement_id', recorded).delete()
  }
  if (rows.deliveredVoided.length > 0) {
    const { rows: firsts } = (await trx.raw(
      `select distinct on (v.object_statement_id) v.object_statement_id as target, v.txid, v.seq
         from xapi_statement v
        where v.tenant_id = ? and v.voiding and v.object_statement_id = any(?::uuid[])
        order by v.object_statement_id, v.txid, v.seq`,
      [tenantId, rows.deliveredVoided.map((d) => d.streamed.id)],
    )) as { rows: Array<{ target: string; txid: number; seq: number }> }
    const first = new Map(firsts.map((f) => [f.target, f]))
    for (const skipped of rows.deliveredVoided) {
      const voiding = first.get(skipped.streamed.id)
      if (voiding !== undefined && before(skipped.streamed.position, voiding)) addMonth(rows.months, skipped.learner, skipped.month, 1)
    }
  }
  return resolved
}

/**
 * Retracts the evidence and facts of the page's voiding targets.
 * @returns the learners whose evidence changed (their ratings must be recomputed)
 */
export async function retractTargets(trx: Knex, tenantId: string, rows: PageRows): Promise<string[]> {
  if (rows.voiding.length === 0) return []
  const targets = rows.voiding.map((v) => v.targetId)
  const retracted = (await trx('competence_evidence').update({ voided: true })
    .where({ tenant_id: tenantId, voided: false }).whereIn('statement_id', targets).returning('learner_key')) as Array<{ learner_key: string }>
  await trx('learning_fact').update({ voided: true }).where({ tenant_id: tenantId, voided: false }).whereIn('statement_id', targets)
  return [...new Set(retracted.map((r) => r.learner_key))]
}
