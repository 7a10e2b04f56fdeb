/**
 * One teacher's report (issue 6: "teacher: competence profile (radar), tier progress, tasks and
 * grades, mentoring given and received, timeline"), and the evidence behind one rating.
 */
import type { Knex } from '@tln/db'
import type { CompetenceConfig } from '../config/types.ts'
import { flattenFramework } from '../framework/flatten-framework.ts'
import { factConditions, placementConditions, prefixPattern, type ZonedFilter } from './report-scope.ts'
import { isoOf, queryRows, sql } from './sql.ts'
import type { TeacherReport } from './types.ts'

/** How many facts the timeline shows, newest first. */
export const TIMELINE_LENGTH = 50

/** One piece of evidence behind a rating (`competence_evidence`, voided rows left out). */
export interface EvidenceItem {
  readonly statementId: string
  readonly indicator: string
  readonly score: number
  readonly weight: number
  readonly source: string
  /** `<rule id>@<version>` that made the statement evidence. */
  readonly rule: string
  readonly at: string
}

/** The teacher if placed inside the filter's scope (kecamatan and school filters included). */
export async function findTeacher(knex: Knex, learnerKey: string, filter: ZonedFilter): Promise<TeacherReport['teacher'] | undefined> {
  const [row] = await queryRows<{ name: string; school_name: string | null; kecamatan_name: string | null }>(knex,
    sql`select lp.name, lp.school_name, lp.kecamatan_name from learner_placement lp where ${placementConditions(filter)} and lp.learner_key = ${learnerKey}`)
  return row === undefined ? undefined : { learnerKey, name: row.name, schoolName: row.school_name, kecamatanName: row.kecamatan_name }
}

/** Every rating of the teacher, in framework order; evidence ids without voided evidence. */
async function ratings(knex: Knex, learnerKey: string, filter: ZonedFilter, config: CompetenceConfig): Promise<TeacherReport['ratings']> {
  const rows = await queryRows<{ code: string; level: TeacherReport['ratings'][number]['level']; rating: number; proficient: boolean; method: string; config_version: number; evidence: string[] }>(knex, sql`
    select r.code, r.level, r.rating, r.proficient, r.method, r.config_version,
           array(select e::text from unnest(r.evidence) as e
                  where not exists (select 1 from competence_evidence ce
                                     where ce.tenant_id = ${filter.tenantId} and ce.statement_id = e and ce.voided)) as evidence
      from competence_rating r where r.tenant_id = ${filter.tenantId} and r.learner_key = ${learnerKey}`)
  const order = new Map(flattenFramework(config.framework).map((n, i) => [n.code, i]))
  const position = (code: string) => order.get(code) ?? Number.MAX_SAFE_INTEGER
  return rows
    .sort((a, b) => position(a.code) - position(b.code) || a.code.localeCompare(b.code))
    .map((r) => ({ code: r.code, level: r.level, rating: r.rating, proficient: r.proficient, method: r.method, configVersion: r.config_version, evidence: r.evidence }))
}

interface FactRow { statement_id: string; kind: string; verb: string; object_id: string; name: string; at: string; score: number | null; success: boolean | null }

/** The teacher's facts of some kinds in the filter, oldest first. */
function facts(knex: Knex, learnerKey: string, filter: ZonedFilter, kinds: readonly string[]): Promise<FactRow[]> {
  const kindList = kinds.map((k) => sql`${k}`).reduce((a, b) => sql`${a}, ${b}`)
  return queryRows<FactRow>(knex, sql`
    select f.statement_id::text, f.kind, f.verb, f.object_id, coalesce(f.object_name, f.object_id) as name, ${isoOf('f.at')} as at, f.score, f.success
      from learning_fact f
     where ${factConditions('f', filter)} and f.learner_key = ${learnerKey} and f.kind in (${kindList})
     order by f.at, f.statement_id`)
}

function tierProgress(rows: readonly FactRow[], config: CompetenceConfig): TeacherReport['tier'] {
  const first = (kind: string, objectId?: string) => rows.find((r) => r.kind === kind && (objectId === undefined || r.object_id === objectId))?.at ?? null
  return {
    phases: (config.program.phases ?? []).map((p) => ({ id: p.id, name: p.name.id, completedAt: first('phase-completed', p.id) })),
    postTests: rows.filter((r) => r.kind === 'assessment').map((r) => ({ at: r.at, score: r.score, success: r.success, statementId: r.statement_id })),
    completedAt: first('tier-completed'),
  }
}

function taskRows(rows: readonly FactRow[]): TeacherReport['tasks'] {
  const byTask = new Map<string, FactRow[]>()
  for (const r of rows) byTask.set(r.object_id, [...(byTask.get(r.object_id) ?? []), r])
  return [...byTask].sort(([a], [b]) => a.localeCompare(b)).map(([taskId, list]) => {
    const scored = list.filter((r) => r.kind === 'task-scored')
    const submitted = list.filter((r) => r.kind === 'task-submitted')
    const passing = scored.find((r) => r.success === true)
    return {
      taskId, name: list[0]!.name, submissions: submitted.length,
      latestScore: scored.at(-1)?.score ?? null, passed: passing !== undefined,
      firstSubmittedAt: submitted[0]?.at ?? null, passedAt: passing?.at ?? null,
      statementIds: list.map((r) => r.statement_id),
    }
  })
}

/** Mentoring sessions given (`direction` mentor: the teacher is the actor) or received (the teacher is the mentee). */
async function mentoring(knex: Knex, learnerKey: string, filter: ZonedFilter, direction: 'given' | 'received') {
  const [self, other] = direction === 'given' ? ['f.learner_key', 'f.related_key'] : ['f.related_key', 'f.learner_key']
  const rows = await queryRows<{ key: string; name: string; sessions: number; last_at: string }>(knex, sql`
    with g as (select ${{ text: other, values: [] }} as key, count(*)::int as sessions, max(f.at) as last_at
                 from learning_fact f
                where ${factConditions('f', filter)} and f.kind = 'mentored' and f.related_key is not null
                  and ${{ text: self, values: [] }} = ${learnerKey}
                group by 1)
    select g.key, coalesce(lp.name, p.name, g.key) as name, g.sessions, ${isoOf('g.last_at')} as last_at
      from g left join learner_placement lp on lp.tenant_id = ${filter.tenantId} and lp.learner_key = g.key
             -- A mentee who has sent no statement is no learner; the mentoring form made them a person.
             left join person_identity pi on pi.tenant_id = ${filter.tenantId} and pi.ifi_key = g.key
             left join person p on p.id = pi.person_id
     order by g.last_at desc, g.key`)
  return rows
}

async function timeline(knex: Knex, learnerKey: string, filter: ZonedFilter): Promise<TeacherReport['timeline']> {
  const rows = await queryRows<FactRow>(knex, sql`
    select f.statement_id::text, f.kind, f.verb, f.object_id, coalesce(f.object_name, f.object_id) as name, ${isoOf('f.at')} as at, f.score
      from learning_fact f where ${factConditions('f', filter)} and f.learner_key = ${learnerKey}
     order by f.at desc, f.statement_id desc limit ${TIMELINE_LENGTH}`)
  return rows.map((r) => ({ at: r.at, kind: r.kind, verb: r.verb, objectId: r.object_id, name: r.name, score: r.score, statementId: r.statement_id }))
}

/** Every section of the teacher report but the header and `teacher`. */
export async function teacherSections(knex: Knex, learnerKey: string, filter: ZonedFilter, config: CompetenceConfig) {
  const [rated, tierFacts, taskFacts, given, received, recent] = await Promise.all([
    ratings(knex, learnerKey, filter, config),
    facts(knex, learnerKey, filter, ['phase-completed', 'assessment', 'tier-completed']),
    facts(knex, learnerKey, filter, ['task-submitted', 'task-scored']),
    mentoring(knex, learnerKey, filter, 'given'),
    mentoring(knex, learnerKey, filter, 'received'),
    timeline(knex, learnerKey, filter),
  ])
  return {
    ratings: rated,
    tier: tierProgress(tierFacts, config),
    tasks: taskRows(taskFacts),
    mentoringGiven: given.map((g) => ({ mentee: g.key, name: g.name, sessions: g.sessions, lastAt: g.last_at })),
    mentoringReceived: received.map((r) => ({ mentor: r.key, name: r.name, sessions: r.sessions, lastAt: r.last_at })),
    timeline: recent,
  }
}

/**
 * The evidence behind a rating: non-voided `competence_evidence` of the teacher for the code, or
 * for every indicator below it when the code is a sub-competence or competence. Ratings are
 * current, so the period filter does not apply.
 */
export async function evidenceOf(knex: Knex, learnerKey: string, code: string, filter: ZonedFilter): Promise<EvidenceItem[]> {
  const rows = await queryRows<{ statement_id: string; indicator: string; score: number; weight: number; source: string; rule: string; at: string }>(knex, sql`
    select e.statement_id::text, e.indicator, e.score, e.weight, e.source, e.rule, ${isoOf('e.at')} as at
      from competence_evidence e
     where e.tenant_id = ${filter.tenantId} and e.learner_key = ${learnerKey} and not e.voided
       and (e.indicator = ${code} or e.indicator like ${prefixPattern(`${code}.`)})
     order by e.at, e.indicator, e.statement_id`)
  return rows.map((r) => ({ statementId: r.statement_id, indicator: r.indicator, score: r.score, weight: r.weight, source: r.source, rule: r.rule, at: r.at }))
}
