import type { Knex } from 'knex'

/**
 * `competence_rating.rating` as `double precision` (was `real`). The engine rates incrementally
 * (packages/competence/src/engine/ratings.ts): the indicators a page did not touch are taken from
 * their stored rows and their parents rolled up again, so a stored rating must be exactly the
 * number a full rating gives; as `real` it was rounded to float32, and a parent's mean of rounded
 * children could differ from a rebuild's in the last digits. Rows stored before keep their float32
 * value until their indicator gets evidence again or the projections are rebuilt
 * (`tln competence rebuild`); proficiency never depended on those digits (roll-ups read the
 * children's stored `proficient`). Rewrites the table once, under its lock, at the first start.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table competence_rating alter column rating type double precision')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table competence_rating alter column rating type real')
}
