import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * A learner's school kept on `competence_learner.school_id` (issue 6, "rolled up per school,
 * kecamatan (TLN group), district"; issue 7: district dashboard < 200 ms at 10,000 teachers /
 * 1,000,000 statements, scoped as a district admin gets it). `learner_placement` found each
 * learner's school at query time (the person's school through `person_identity`, else the school
 * whose NPSN the statements gave), once per report section; PostgreSQL could not estimate that
 * `coalesce` join (1 row for 10,000), so a scoped dashboard ran its sections as nested loops over
 * every learner (docs/performance-notes.md). The school is now resolved when one of its inputs
 * changes, by row triggers, so every writer keeps it — the engine (a learner's NPSN, a rebuild's
 * re-insert), identity linking and unlinking, a person moved to another school (the org import,
 * the admin pages), a school imported, recoded or removed, and privacy erasure (which re-keys the
 * learner and links the pseudonym):
 *
 *   school_id = coalesce(school of the person linked to learner_key, school whose code = npsn)
 *
 * The kecamatan, district, names and org path are joined from `org_node` at query time by id, so a
 * school moved to another kecamatan or renamed needs no upkeep. `learner_placement` keeps its
 * columns and now reads the stored school.
 */
const LEARNER_SCHOOL = `create function competence_learner_school(t uuid, learner text, school_code text) returns uuid
  language sql stable as $$
    select coalesce(
      (select p.school_id from person_identity pi join person p on p.id = pi.person_id where pi.tenant_id = t and pi.ifi_key = learner),
      (select n.id from org_node n where n.tenant_id = t and n.kind = 'school' and n.code = school_code))
  $$`

const PLACEMENT_COLUMNS = `select l.tenant_id, l.learner_key, coalesce(p.name, l.name, l.learner_key) as name, p.id as person_id,
             s.id as school_id, s.name as school_name, s.code as npsn,
             k.id as kecamatan_id, k.name as kecamatan_name, k.code as kecamatan_code,
             d.id as district_id, d.name as district_name, s.path as school_path
        from competence_learner l
        left join person_identity pi on pi.tenant_id = l.tenant_id and pi.ifi_key = l.learner_key
        left join person p on p.id = pi.person_id`

/** A trigger function that re-resolves the school of the learners `where` selects (`old`/`new` in scope). */
function refresh(name: string, body: string): string {
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      ${body}
      return null;
    end $$`
}

const RESOLVE = 'school_id = competence_learner_school(l.tenant_id, l.learner_key, l.npsn)'

export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    LEARNER_SCHOOL,
    'alter table competence_learner add column school_id uuid',
    `update competence_learner l set ${RESOLVE}`,
    'create index competence_learner_school on competence_learner (tenant_id, school_id)',
    // The learner row itself: inserted (the engine, a rebuild), NPSN changed, re-keyed (erasure).
    `create function competence_learner_set_school() returns trigger language plpgsql as $$
      begin
        new.school_id := competence_learner_school(new.tenant_id, new.learner_key, new.npsn);
        return new;
      end $$`,
    `create trigger competence_learner_school_insert before insert on competence_learner
       for each row execute function competence_learner_set_school()`,
    `create trigger competence_learner_school_update before update of learner_key, npsn on competence_learner
       for each row when (old.learner_key is distinct from new.learner_key or old.npsn is distinct from new.npsn)
       execute function competence_learner_set_school()`,
    // An identity linked to a person, unlinked, or moved to another person.
    refresh('person_identity_learner_school', `
      if tg_op <> 'INSERT' then
        update competence_learner l set ${RESOLVE} where l.tenant_id = old.tenant_id and l.learner_key = old.ifi_key;
      end if;
      if tg_op <> 'DELETE' then
        update competence_learner l set ${RESOLVE} where l.tenant_id = new.tenant_id and l.learner_key = new.ifi_key;
      end if;`),
    `create trigger person_identity_learner_school after insert or update or delete on person_identity
       for each row execute function person_identity_learner_school()`,
    // A person moved to another school (or given one, or none).
    refresh('person_learner_school', `
      update competence_learner l set ${RESOLVE}
        from person_identity pi where pi.person_id = new.id and l.tenant_id = pi.tenant_id and l.learner_key = pi.ifi_key;`),
    `create trigger person_learner_school after update of school_id on person
       for each row when (old.school_id is distinct from new.school_id) execute function person_learner_school()`,
    // A school imported, recoded or removed: learners placed by its NPSN, or placed at it.
    refresh('org_node_learner_school', `
      if tg_op <> 'INSERT' then
        update competence_learner l set ${RESOLVE}
          where l.tenant_id = old.tenant_id and (l.school_id = old.id or (old.kind = 'school' and l.npsn = old.code));
      end if;
      if tg_op <> 'DELETE' and new.kind = 'school' then
        update competence_learner l set ${RESOLVE} where l.tenant_id = new.tenant_id and l.npsn = new.code;
      end if;`),
    `create trigger org_node_learner_school_insert after insert on org_node
       for each row when (new.kind = 'school') execute function org_node_learner_school()`,
    `create trigger org_node_learner_school_update after update of kind, code, tenant_id on org_node
       for each row when (old.kind is distinct from new.kind or old.code is distinct from new.code or old.tenant_id is distinct from new.tenant_id)
       execute function org_node_learner_school()`,
    `create trigger org_node_learner_school_delete after delete on org_node
       for each row execute function org_node_learner_school()`,
    `create or replace view learner_placement as
      ${PLACEMENT_COLUMNS}
        left join org_node s on s.id = l.school_id
        left join org_node k on k.id = s.parent_id
        left join org_node d on d.id = k.parent_id`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create or replace view learner_placement as
      ${PLACEMENT_COLUMNS}
        left join org_node npsn_school on npsn_school.tenant_id = l.tenant_id and npsn_school.kind = 'school' and npsn_school.code = l.npsn
        left join org_node s on s.id = coalesce(p.school_id, npsn_school.id)
        left join org_node k on k.id = s.parent_id
        left join org_node d on d.id = k.parent_id`,
    'drop trigger org_node_learner_school_delete on org_node',
    'drop trigger org_node_learner_school_update on org_node',
    'drop trigger org_node_learner_school_insert on org_node',
    'drop function org_node_learner_school()',
    'drop trigger person_learner_school on person',
    'drop function person_learner_school()',
    'drop trigger person_identity_learner_school on person_identity',
    'drop function person_identity_learner_school()',
    'drop trigger competence_learner_school_update on competence_learner',
    'drop trigger competence_learner_school_insert on competence_learner',
    'drop function competence_learner_set_school()',
    'drop index competence_learner_school',
    'alter table competence_learner drop column school_id',
    'drop function competence_learner_school(uuid, text, text)',
  ])
}
