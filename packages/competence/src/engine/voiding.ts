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
 */
import type { Knex } from '@tln/db'
import type { Statement } from '@tln/xapi'
import { addMonth, learnerAndMonth, type PageRows } from './page-rows.ts'

interface Position { txid: number; seq: number }

function before(a: Position, b: Position): boolean {
  return Number(a.txid) < Number(b.txid) || (Number(a.txid) === Number(b.txid) && Number(a.seq) < Number(b.seq))
}

/** Adds the `learner_month` corrections of the page's voiding statements and of its targets delivered voided. */
export async function countVoiding(trx: Knex, tenantId: string, rows: PageRows, timeZone: string): Promise<void> {
  if (rows.voiding.length > 0) {
    const { rows: targets } = (await trx.raw(
      `select s.id, s.txid, s.seq, s.statement::text as json,
              (select v.id from xapi_statement v
                where v.tenant_id = s.tenant_id and v.voiding and v.object_statement_id = s.id
                order by v.txid, v.seq limit 1) as first_voiding
         from xapi_statement s
        where s.tenant_id = ? and s.id = any(?::uuid[]) and not s.voiding`,
      [tenantId, rows.voiding.map((v) => v.targetId)],
    )) as { rows: Array<{ id: string; txid: number; seq: number; json: string; first_voiding: string }> }
    const byId = new Map(targets.map((t) => [t.id, t]))
    for (const voiding of rows.voiding) {
      const target = byId.get(voiding.targetId)
      if (target === undefined || target.first_voiding !== voiding.streamed.id || !before(target, voiding.streamed.position)) continue
      const who = learnerAndMonth(JSON.parse(target.json) as Statement, timeZone)
      if (who !== undefined) addMonth(rows.months, who.learner, who.month, -1)
    }
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
