/**
 * The district report's funnel and success indicators read from the engine's roll-ups
 * (`learner_stage`, `activity_attendance`; engine/fact-rollups.ts) instead of every fact, so the
 * dashboard's cost grows with teachers, not statements (issue 7: district dashboard < 200 ms at
 * 10,000 teachers / 1,000,000 statements; docs/performance-notes.md). The roll-ups count all
 * non-voided facts of all time, so they answer only filters without period, program and tier;
 * other filters keep reading facts (district-report.ts), with the same numbers.
 */
import { factScope, withCtes, type ZonedFilter } from './report-scope.ts'
import { sql, type Sql } from './sql.ts'

/** True when the roll-ups hold the answer: no period, program or tier narrows the facts. */
export function rollupsAnswer(filter: ZonedFilter): boolean {
  return filter.from === undefined && filter.to === undefined && filter.program === undefined && filter.tier === undefined
}

/**
 * Columns `enrolled` (learners with any fact) and `stages` (JSON rows stage, object_id, teachers:
 * distinct learners per completed phase, passed post-test, completed tier), as the fact query
 * gives them; a placement filter joins the learners of `placed`.
 */
export function rollupFunnelQuery(filter: ZonedFilter): Sql {
  const scope = factScope(filter, 's')
  const stage = (names: Sql) => sql`learner_stage s${scope.join} where s.tenant_id = ${filter.tenantId} and s.stage in (${names}) and s.facts > 0`
  return sql`
    ${withCtes(scope.ctes)}
    select (select count(*) from ${stage(sql`'fact'`)})::int as enrolled,
      (select json_agg(x) from (
        select s.stage, s.object_id, count(*)::int as teachers from ${stage(sql`'phase-completed', 'post-test', 'tier-completed'`)}
         group by s.stage, s.object_id) x) as stages`
}

/** The keys of the learners a placement filter leaves out, as a subquery PostgreSQL knows is small (a parameter). */
function outsideKeys(outside: readonly string[]): Sql {
  return sql`(select jsonb_array_elements_text(${JSON.stringify(outside)}::jsonb))`
}

const FUNNEL_STAGES = sql`'fact', 'phase-completed', 'post-test', 'tier-completed'`

/**
 * The columns of `rollupFunnelQuery` for a placement filter that leaves out few learners: each
 * stage's count over the whole tenant minus that of the learners outside (`learner_stage` is one
 * row per learner, stage and object, so the difference is exactly the count over the learners
 * inside). Reads the roll-up as the tenant-wide dashboard does, plus the outside learners' rows by
 * key, instead of resolving every learner's placement and joining 50,000 rows to it.
 */
export function rollupFunnelOutsideQuery(filter: ZonedFilter, outside: readonly string[]): Sql {
  return sql`
    with total as (
      select s.stage, s.object_id, count(*)::int as n from learner_stage s
       where s.tenant_id = ${filter.tenantId} and s.stage in (${FUNNEL_STAGES}) and s.facts > 0 group by s.stage, s.object_id),
    outside as (
      select s.stage, s.object_id, count(*)::int as n from learner_stage s
       where s.tenant_id = ${filter.tenantId} and s.learner_key in ${outsideKeys(outside)} and s.stage in (${FUNNEL_STAGES}) and s.facts > 0
       group by s.stage, s.object_id),
    inside as (
      select t.stage, t.object_id, t.n - coalesce(o.n, 0) as teachers from total t left join outside o on o.stage = t.stage and o.object_id = t.object_id)
    select coalesce((select sum(teachers) from inside where stage = 'fact'), 0)::int as enrolled,
      (select json_agg(x) from (select stage, object_id, teachers from inside where stage <> 'fact' and teachers > 0) x) as stages`
}

/**
 * The trend's rows (month, active_teachers, statements; `learner_month`, all months) for a
 * placement filter that leaves out few learners and no period, program or tier: the tenant's
 * months minus the outside learners' rows, keeping a month only while a learner inside has a row.
 */
export function rollupTrendOutsideQuery(filter: ZonedFilter, outside: readonly string[]): Sql {
  const monthly = (where: Sql) => sql`
    select m.month, count(*) as n, count(*) filter (where m.statements > 0) as active, coalesce(sum(m.statements), 0) as statements
      from learner_month m where m.tenant_id = ${filter.tenantId}${where} group by m.month`
  return sql`
    with total as (${monthly(sql``)}),
    outside as (${monthly(sql` and m.learner_key in ${outsideKeys(outside)}`)})
    select to_char(t.month, 'YYYY-MM') as month, (t.active - coalesce(o.active, 0))::int as active_teachers,
           (t.statements - coalesce(o.statements, 0))::int as statements
      from total t left join outside o on o.month = t.month
     where t.n - coalesce(o.n, 0) > 0
     order by t.month`
}

/**
 * Columns held (activities with an attendance), attendances, with_facilitator and mastered
 * (learners with a passing task score), as the fact query gives them. Attendance is rolled up per
 * activity, not per learner, so this answers only filters without a placement (`hasPlacementFilter`).
 */
export function rollupSuccessQuery(filter: ZonedFilter): Sql {
  return sql`
    select count(*) filter (where a.attendances > 0)::int as held, coalesce(sum(a.attendances), 0)::int as attendances,
           coalesce(sum(a.with_facilitator), 0)::int as with_facilitator,
           (select count(*) from learner_stage s where s.tenant_id = ${filter.tenantId} and s.stage = 'task-passed' and s.facts > 0)::int as mastered
      from activity_attendance a where a.tenant_id = ${filter.tenantId}`
}

/**
 * The columns of `rollupSuccessQuery` for a placement filter that leaves out few learners (a
 * district admin whose tenant has a handful of unplaced learners): per activity, the roll-up's
 * attendances minus those of the learners outside (`outside`, their keys from
 * `placementCounts`, read through the facts' learner index), so an activity is held when
 * attendances remain; mastered learners are the tenant's with a passing task score minus the
 * outside ones (`learner_stage` holds one `task-passed` row per learner, so the difference is
 * exactly the count inside, as in `rollupFunnelOutsideQuery`). The same
 * numbers as the fact query, reading a few hundred roll-up rows and the outside learners' facts
 * instead of every attendance. The keys are a parameter, not a subquery, so PostgreSQL knows they
 * are few (a `not (…)` subquery was estimated at half the learners, which made it JIT-compile the
 * query for 400 ms).
 */
export function rollupSuccessOutsideQuery(filter: ZonedFilter, outside: readonly string[]): Sql {
  return sql`
    with outside_attended as (
      select f.object_id, count(*)::int as attendances, count(f.related_key)::int as with_facilitator
        from learning_fact f
       where f.tenant_id = ${filter.tenantId} and f.learner_key in ${outsideKeys(outside)}
         and f.kind = 'attended' and not f.voided
       group by f.object_id),
    inside as (
      select a.attendances - coalesce(o.attendances, 0) as attendances, a.with_facilitator - coalesce(o.with_facilitator, 0) as with_facilitator
        from activity_attendance a left join outside_attended o on o.object_id = a.object_id where a.tenant_id = ${filter.tenantId})
    select count(*) filter (where i.attendances > 0)::int as held, coalesce(sum(i.attendances), 0)::int as attendances,
           coalesce(sum(i.with_facilitator), 0)::int as with_facilitator,
           ((select count(*) from learner_stage s where s.tenant_id = ${filter.tenantId} and s.stage = 'task-passed' and s.facts > 0)
            - (select count(*) from learner_stage s where s.tenant_id = ${filter.tenantId} and s.learner_key in ${outsideKeys(outside)}
                 and s.stage = 'task-passed' and s.facts > 0))::int as mastered
      from inside i`
}
