import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * `competence_evidence_learner` carries the columns the engine rates from, so that reading the
 * evidence of a page's learners is an index-only scan: a learner's evidence sits together in the
 * index, where in the heap each row is on its own page (rows arrive one statement at a time, over
 * months). On the soak's database at its end (624,000 evidence rows, ~62 per teacher) reading the
 * evidence of 300 learners visited 6,853 heap pages (25–35 ms); with this index 1,597 index pages
 * (6–8 ms), and the cost per page no longer grows with every teacher's history
 * (docs/performance-notes.md, session 12). Same key, so every query that used the old index
 * (the teacher report's evidence, erasure's re-keying) still does; the index is larger (no B-tree
 * deduplication with INCLUDE columns: ~170 bytes per evidence row instead of ~15).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create index competence_evidence_learner_covering on competence_evidence (tenant_id, learner_key, indicator)
       include (statement_id, source, score, at, weight, voided)`,
    'drop index competence_evidence_learner',
    'alter index competence_evidence_learner_covering rename to competence_evidence_learner',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'create index competence_evidence_learner_plain on competence_evidence (tenant_id, learner_key, indicator)',
    'drop index competence_evidence_learner',
    'alter index competence_evidence_learner_plain rename to competence_evidence_learner',
  ])
}
