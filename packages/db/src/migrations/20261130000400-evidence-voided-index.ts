import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * The voided evidence alone, for the report queries that leave it out of a rating's evidence ids
 * (kecamatan and teacher reports: `not exists (… competence_evidence ce where … ce.voided)` per id).
 * Probing the primary key read the evidence row of every id (22,211 probes, 88,000 buffers for one
 * kecamatan of 835 teachers) and pushed the kecamatan query's cost estimate over `jit_above_cost`
 * (375 ms of JIT compilation); voided evidence is rare, so this index is a page or two and a probe
 * of it an index-only lookup that mostly finds nothing (docs/performance-notes.md, "kecamatan report
 * at district scale").
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    'create index competence_evidence_voided on competence_evidence (tenant_id, statement_id, indicator) where voided',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop index competence_evidence_voided'])
}
