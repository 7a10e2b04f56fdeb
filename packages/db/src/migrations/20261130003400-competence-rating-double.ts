import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * `competence_rating.rating` as `double precision` (was `real`). The engine rates incrementally
 * (packages/competence/src/engine/ratings.ts): the indicators and sub-competences a page did not
 * touch are taken from their stored rows and their parents rolled up again, so a stored rating must
 * be exactly the number a full rating gives; as `real` it was rounded to float32, and a parent's
 * mean of rounded children could differ from a rebuild's in the last digits. Rows stored before keep
 * their float32 value until their indicator gets evidence again (proficiency never depended on those
 * digits: roll-ups read the children's stored `proficient`). Rewrites the table once, under its
 * lock, at the first start (≈ 1 s per 180,000 rows on a slow 2-core machine).
 *
 * Tenants whose projections were built under a points roll-up are marked for a rebuild (as
 * `tln competence rebuild` does): until now a node whose rating lost all its evidence kept its old
 * row, so a sub-competence whose only proficient indicator stopped being proficient could still be
 * stored as proficient, and the incremental engine would roll its competence up from that row.
 * Under "all children proficient" a parent has evidence whenever a child has, so no such row exists.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    'alter table competence_rating alter column rating type double precision',
    `update competence_engine e set config_version = null, updated_at = now()
      where exists (select 1 from competence_config c
                     where c.tenant_id = e.tenant_id and c.version = e.config_version and c.rating->'rollUp'->>'rule' = 'points')`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table competence_rating alter column rating type real')
}
