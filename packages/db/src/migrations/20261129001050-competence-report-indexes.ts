import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Indexes for the competence report queries (`packages/competence/src/reports`;
 * docs/performance-notes.md, "Competence reports"). The district dashboard aggregates facts of a
 * few kinds (attendance, task scores, milestones, mentoring) and competence ratings over every
 * teacher of a tenant; these covering partial indexes let PostgreSQL answer those from the index
 * alone (voided facts and ratings without evidence are never read by a report).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create index learning_fact_report on learning_fact (tenant_id, kind, at)
       include (learner_key, object_id, related_key, success, program_id, tier_id) where not voided`,
    `create index competence_rating_report on competence_rating (tenant_id, level, learner_key)
       include (code, rating, proficient) where cardinality(evidence) > 0`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop index competence_rating_report', 'drop index learning_fact_report'])
}
