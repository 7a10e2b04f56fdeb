/**
 * The page's rows into the projection tables: one multi-row statement per table (rows passed as
 * one JSON parameter, so a page of any size is one round trip and no bind-parameter limit
 * applies). Every insert is idempotent on the table's key.
 */
import type { Knex } from '@tln/db'
import type { PageRows } from './page-rows.ts'

/** Rows as one JSON parameter; jsonb cannot hold U+0000, which a statement's strings might. */
export function jsonParam(rows: readonly object[]): string {
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value))
}

export async function insertEvidence(trx: Knex, tenantId: string, rows: PageRows): Promise<void> {
  if (rows.evidence.length === 0) return
  const data = rows.evidence.map((e) => ({ statement_id: e.statementId, indicator: e.indicator, learner_key: e.learner, source: e.source, score: e.score, at: e.at, weight: e.weight, rule: e.rule }))
  await trx.raw(
    `insert into competence_evidence (tenant_id, statement_id, indicator, learner_key, source, score, at, weight, rule)
     select ?, r.statement_id, r.indicator, r.learner_key, r.source, r.score, r.at, r.weight, r.rule
       from jsonb_to_recordset(?::jsonb) as r(statement_id uuid, indicator text, learner_key text, source text, score real, at timestamptz, weight real, rule text)
     on conflict do nothing`,
    [tenantId, jsonParam(data)],
  )
}

export async function insertFacts(trx: Knex, tenantId: string, rows: PageRows): Promise<void> {
  if (rows.facts.length === 0) return
  const data = rows.facts.map((f) => ({
    statement_id: f.statementId, learner_key: f.learner, kind: f.kind, verb: f.verb, object_id: f.objectId, object_type: f.objectType, object_name: f.objectName,
    program_id: f.programId, tier_id: f.tierId, parent_id: f.parentId, related_key: f.relatedKey, at: f.at, stored: f.stored,
    score: f.score, success: f.success, completion: f.completion, duration_seconds: f.durationSeconds,
  }))
  await trx.raw(
    `insert into learning_fact (tenant_id, statement_id, learner_key, kind, verb, object_id, object_type, object_name, program_id, tier_id, parent_id,
                                related_key, at, stored, score, success, completion, duration_seconds)
     select ?, r.statement_id, r.learner_key, r.kind, r.verb, r.object_id, r.object_type, r.object_name, r.program_id, r.tier_id, r.parent_id,
            r.related_key, r.at, r.stored, r.score, r.success, r.completion, r.duration_seconds
       from jsonb_to_recordset(?::jsonb) as r(statement_id uuid, learner_key text, kind text, verb text, object_id text, object_type text, object_name text,
            program_id text, tier_id text, parent_id text, related_key text, at timestamptz, stored timestamptz, score real, success boolean,
            completion boolean, duration_seconds integer)
     on conflict do nothing`,
    [tenantId, jsonParam(data)],
  )
}

/** Learners: first/last seen widen; name, NPSN and kecamatan follow the newest statement that gives them. */
export async function upsertLearners(trx: Knex, tenantId: string, rows: PageRows): Promise<void> {
  if (rows.learners.size === 0) return
  const data = [...rows.learners.values()].map((l) => ({ learner_key: l.key, name: l.name, npsn: l.npsn, kecamatan_iri: l.kecamatan, first_at: l.firstAt, last_at: l.lastAt }))
  const newest = (column: string) =>
    `${column} = case when excluded.last_at >= competence_learner.last_at then coalesce(excluded.${column}, competence_learner.${column})
                      else coalesce(competence_learner.${column}, excluded.${column}) end`
  await trx.raw(
    `insert into competence_learner (tenant_id, learner_key, name, npsn, kecamatan_iri, first_at, last_at)
     select ?, r.learner_key, r.name, r.npsn, r.kecamatan_iri, r.first_at, r.last_at
       from jsonb_to_recordset(?::jsonb) as r(learner_key text, name text, npsn text, kecamatan_iri text, first_at timestamptz, last_at timestamptz)
     on conflict (tenant_id, learner_key) do update set
       ${newest('name')}, ${newest('npsn')}, ${newest('kecamatan_iri')},
       first_at = least(competence_learner.first_at, excluded.first_at),
       last_at = greatest(competence_learner.last_at, excluded.last_at)`,
    [tenantId, jsonParam(data)],
  )
}

/** Adds the page's counts per learner and month; a month whose count drops to 0 (all voided) goes. */
export async function addLearnerMonths(trx: Knex, tenantId: string, rows: PageRows): Promise<void> {
  const data = [...rows.months].filter(([, n]) => n !== 0).map(([key, statements]) => {
    const [learner_key, month] = key.split('\u0000')
    return { learner_key, month, statements }
  })
  if (data.length === 0) return
  await trx.raw(
    `insert into learner_month (tenant_id, learner_key, month, statements)
     select ?, r.learner_key, r.month, r.statements
       from jsonb_to_recordset(?::jsonb) as r(learner_key text, month date, statements integer)
     on conflict (tenant_id, learner_key, month) do update set statements = learner_month.statements + excluded.statements`,
    [tenantId, jsonParam(data)],
  )
  if (data.some((d) => d.statements < 0)) await trx('learner_month').where({ tenant_id: tenantId }).andWhere('statements', '<=', 0).delete()
}
