/**
 * The TLN group / kecamatan report (issue 6: "heatmap of teachers × indicators, task completion
 * rate and days to complete, meeting attendance, mentoring reach").
 */
import type { Knex } from '@tln/db'
import type { CompetenceConfig } from '../config/types.ts'
import { factConditions, isUuid, learnerCtes, type ZonedFilter } from './report-scope.ts'
import { dayIn } from '../engine/report-time-zone.ts'
import { rollupsAnswer } from './district-rollups.ts'
import { isoOf, queryRows, sql, type Sql } from './sql.ts'
import type { KecamatanCell, KecamatanReport } from './types.ts'

type TeacherRow = KecamatanReport['teachers'][number]

/** The kecamatan node if it is in the tenant and inside (or containing) the viewer's scope. */
export async function findKecamatan(knex: Knex, kecamatanId: string, filter: ZonedFilter): Promise<{ id: string; name: string } | undefined> {
  if (!isUuid(kecamatanId)) return undefined
  const scope = filter.scopePath === undefined ? sql`` : sql` and (starts_with(path, ${filter.scopePath}) or starts_with(${filter.scopePath}, path))`
  const [row] = await queryRows<{ id: string; name: string }>(knex,
    sql`select id, name from org_node where tenant_id = ${filter.tenantId} and kind = 'kecamatan' and id = ${kecamatanId}::uuid${scope}`)
  return row
}

interface KecamatanRows {
  teachers: Array<{ learner_key: string; name: string; school_id: string | null; school_name: string | null }> | null
  ratings: Array<{ learner_key: string; code: string; rating: number; proficient: boolean; evidence: number }> | null
  tasks: Array<{ task_id: string; name: string; submitted: number; passed: number; median_days: number | null }> | null
  meetings: Array<{ meeting_id: string; name: string; first_at: string; attended: number }> | null
  mentoring: { mentors: number; mentees: number; sessions: number }
}

/**
 * Per teacher × task: the task's name, the teacher's first submission and first passing score.
 * Per teacher × meeting: its name and the teacher's first attendance. Mentoring facts of the
 * placed teachers. Without period, program and tier (`rollupsAnswer`) from the engine's roll-ups
 * (`learner_activity`, `mentoring_edge`: rows per teacher and task or meeting, however many
 * cycles the teacher went through), otherwise from the matching facts; the same figures either way.
 */
function activityCtes(filter: ZonedFilter): Sql {
  if (rollupsAnswer(filter)) {
    return sql`
    activity as materialized (
      select a.learner_key, a.kind, a.object_id, a.name, a.first_at, a.first_success_at
        from learner_activity a join placed p on p.learner_key = a.learner_key where a.tenant_id = ${filter.tenantId}),
    per_teacher as (
      select object_id, learner_key, max(name) as name,
             min(first_at) filter (where kind = 'task-submitted') as first_submitted,
             min(first_success_at) filter (where kind = 'task-scored') as passed_at
        from activity where kind in ('task-submitted', 'task-scored')
       group by object_id, learner_key),
    meeting_rows as (select object_id, name, first_at as at, learner_key from activity where kind = 'attended'),
    mentoring_rows as (
      select m.mentor_key as learner_key, m.mentee_key as related_key, m.sessions
        from mentoring_edge m join placed p on p.learner_key = m.mentor_key where m.tenant_id = ${filter.tenantId})`
  }
  return sql`
    teacher_facts as materialized (
      select f.learner_key, f.kind, f.object_id, f.object_name, f.at, f.success, f.related_key
        from learning_fact f join placed p on p.learner_key = f.learner_key
       where ${factConditions('f', filter)} and f.kind in ('task-submitted', 'task-scored', 'attended', 'mentored')),
    per_teacher as (
      select object_id, learner_key, max(object_name) as name,
             min(at) filter (where kind = 'task-submitted') as first_submitted,
             min(at) filter (where kind = 'task-scored' and success) as passed_at
        from teacher_facts where kind in ('task-submitted', 'task-scored')
       group by object_id, learner_key),
    meeting_rows as (select object_id, object_name as name, at, learner_key from teacher_facts where kind = 'attended'),
    mentoring_rows as (select learner_key, related_key, 1 as sessions from teacher_facts where kind = 'mentored' and related_key is not null)`
}

/**
 * Every section in one query, so the teachers' placements are resolved once:
 * - teachers × indicators: a cell is the teacher's rating of the indicator when it rests on
 *   evidence, with how many statements it rests on (voided evidence left out: the ids less those
 *   found in the partial index of voided evidence, one index scan per rating);
 * - per task: teachers who submitted (or were graded), teachers with a passing score, and the
 *   median over teachers of the days from their first submission to their first passing score;
 * - meetings: distinct teachers per meeting and its first attendance (its day is local to the
 *   report time zone); mentoring: mentors, mentees, sessions.
 */
async function kecamatanRows(knex: Knex, filter: ZonedFilter): Promise<KecamatanRows> {
  const [row] = await queryRows<KecamatanRows>(knex, sql`
    with ${learnerCtes(filter)},${activityCtes(filter)}
    select
      (select json_agg(t order by t.name, t.learner_key) from (select learner_key, name, school_id, school_name from active) t) as teachers,
      (select json_agg(r) from (
         select r.learner_key, r.code, r.rating, r.proficient,
                cardinality(r.evidence) - (select count(*) from competence_evidence ce
                                            where ce.tenant_id = ${filter.tenantId} and ce.statement_id = any(r.evidence) and ce.indicator = r.code and ce.voided)::int as evidence
           from active a join competence_rating r
             on r.tenant_id = ${filter.tenantId} and r.level = 'indicator' and r.learner_key = a.learner_key and cardinality(r.evidence) > 0) r) as ratings,
      (select json_agg(t order by t.task_id) from (
         select object_id as task_id, coalesce(max(name), object_id) as name, count(*)::int as submitted, count(passed_at)::int as passed,
                percentile_cont(0.5) within group (order by extract(epoch from passed_at - first_submitted)::float8 / 86400) as median_days
           from per_teacher group by object_id) t) as tasks,
      (select json_agg(m order by m.first_at, m.meeting_id) from (
         select object_id as meeting_id, coalesce(max(name), object_id) as name, ${isoOf('min(at)')} as first_at,
                count(distinct learner_key)::int as attended
           from meeting_rows group by object_id) m) as meetings,
      (select json_build_object('mentors', count(distinct learner_key), 'mentees', count(distinct related_key), 'sessions', coalesce(sum(sessions), 0))
         from mentoring_rows) as mentoring`)
  return row!
}

/** Every section of the kecamatan report but the header; `filter.kecamatanId` is the kecamatan. */
export async function kecamatanSections(knex: Knex, filter: ZonedFilter, config: CompetenceConfig) {
  const rows = await kecamatanRows(knex, filter)
  const order = new Map(config.framework.competences.flatMap((c) => c.subCompetences.flatMap((s) => s.indicators.map((i) => i.code))).map((code, i) => [code, i]))
  // Grouped per teacher once (searching the list per cell was teachers × indicators × ratings,
  // most of the report's time at district scale); only rated indicators get a cell, so the answer
  // grows with the ratings, not with teachers × every indicator of the framework.
  const cellsOf = new Map<string, KecamatanCell[]>()
  for (const r of rows.ratings ?? []) {
    if (!order.has(r.code)) continue
    const list = cellsOf.get(r.learner_key) ?? []
    cellsOf.set(r.learner_key, list)
    list.push({ code: r.code, rating: r.rating, proficient: r.proficient ? 1 : 0, withEvidence: 1, evidenceCount: r.evidence })
  }
  const teachers: TeacherRow[] = (rows.teachers ?? []).map((t) => ({
    learnerKey: t.learner_key, name: t.name, schoolId: t.school_id, schoolName: t.school_name,
    cells: (cellsOf.get(t.learner_key) ?? []).sort((a, b) => order.get(a.code)! - order.get(b.code)!),
  }))
  const tasks = (rows.tasks ?? []).map((r) => ({
    taskId: r.task_id, name: r.name, submitted: r.submitted, passed: r.passed,
    completionRate: r.submitted === 0 ? 0 : r.passed / r.submitted, medianDaysToComplete: r.median_days,
  }))
  const meetings = (rows.meetings ?? []).map((r) => ({ meetingId: r.meeting_id, name: r.name, day: dayIn(r.first_at, filter.timeZone), attended: r.attended }))
  const attendances = meetings.reduce((n, m) => n + m.attended, 0)
  const possible = meetings.length * teachers.length
  return { teachers, tasks, meetings, attendanceRate: possible === 0 ? null : attendances / possible, mentoring: rows.mentoring }
}
