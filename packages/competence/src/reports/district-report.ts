/**
 * The district report's sections (issue 6, "district: kecamatan × competence heatmap, tier funnel
 * (enrolled → phases → completed), month by month trend, participants against quota"; the
 * program's success indicators). Plain SQL over the projections; see report-scope.ts for which
 * learners and facts count. Each section is one query, so a district-wide dashboard resolves
 * learners' placements once (the heatmap) and reads facts without joins (performance-notes.md).
 */
import type { Knex } from '@tln/db'
import type { CompetenceConfig } from '../config/types.ts'
import { withEmptyMonths } from './empty-months.ts'
import { factConditions, factScope, hasPlacementFilter, kecamatanCte, learnerCtes, placementCounts, withCtes, withPlacement, type ZonedFilter } from './report-scope.ts'
import { rollupFunnelOutsideQuery, rollupFunnelQuery, rollupsAnswer, rollupSuccessOutsideQuery, rollupSuccessQuery, rollupTrendOutsideQuery } from './district-rollups.ts'
import { chainDepths, MENTORING_REACH_COLUMNS, mentoringReachCtes, type ChainEdge, type ReachRow, type ReachTotal } from './mentoring-reach.ts'
import { joinSql, queryRows, sql, type Sql } from './sql.ts'
import type { DistrictReport, HeatCell, MentoringReach, SuccessIndicators } from './types.ts'

/** The row name of learners whose school (or kecamatan) is not known. */
export const UNPLACED_NAME = 'Belum ditempatkan'

type HeatRow = DistrictReport['heatmap'][number]
type QuotaRow = DistrictReport['quota'][number]

interface KecamatanRow { id: string | null; name: string; code: string | null; teachers: number }
interface CellRow { kecamatan_id: string | null; code: string; rating: number; proficient: number; with_evidence: number }

interface HeatmapRows { kecamatan: KecamatanRow[]; cells: CellRow[]; reach: ReachRow[]; reachTotal: ReachTotal; chains: ChainEdge[] }

/**
 * Kecamatan rows of the scope with their active learners (plus the unplaced row when it has
 * any), and per kecamatan × competence the mean rating over active learners with a rating row
 * for the competence that rests on evidence, and how many of them are proficient; and the
 * mentoring reach per kecamatan (mentoring-reach.ts), in the same query so that learners'
 * placements are resolved once.
 */
async function heatmapRows(knex: Knex, filter: ZonedFilter): Promise<HeatmapRows> {
  const [row] = await queryRows<{ kecamatan: Array<Omit<KecamatanRow, 'name'> & { name: string | null }> | null; cells: CellRow[] | null; reach_rows: ReachRow[] | null; reach_total: ReachTotal; chain_edges: ChainEdge[] | null }>(knex, sql`
    with ${learnerCtes(filter, 'kecamatan')}, ${kecamatanCte(filter)}, ${mentoringReachCtes(filter)},
    counts as (select kecamatan_id, count(*)::int as teachers from active group by kecamatan_id),
    krows as (select k.id, k.name, k.code, coalesce(c.teachers, 0) as teachers from kec k left join counts c on c.kecamatan_id = k.id
             union all
             select null, null, null, c.teachers from counts c where c.kecamatan_id is null),
    cells as (select a.kecamatan_id, r.code, avg(r.rating::numeric)::float8 as rating,
                     (count(*) filter (where r.proficient))::int as proficient, count(*)::int as with_evidence
                from active a join competence_rating r
                  on r.tenant_id = ${filter.tenantId} and r.level = 'competence' and r.learner_key = a.learner_key and cardinality(r.evidence) > 0
               group by a.kecamatan_id, r.code)
    select (select json_agg(krows order by name nulls last, id) from krows) as kecamatan, (select json_agg(cells) from cells) as cells,
           ${MENTORING_REACH_COLUMNS}`)
  return {
    kecamatan: (row?.kecamatan ?? []).map((r) => ({ id: r.id, name: r.name ?? UNPLACED_NAME, code: r.code, teachers: r.teachers })),
    cells: row?.cells ?? [],
    reach: row?.reach_rows ?? [],
    reachTotal: row?.reach_total ?? { mentees: 0 },
    chains: row?.chain_edges ?? [],
  }
}

/**
 * Mentoring reach per kecamatan row of the heatmap (mentors counted where they are placed), and a
 * row for unplaced mentors when they are not already a heatmap row; totals count each mentee once.
 * A kecamatan's depth is its longest chain starting with one of its mentors (1 with any session).
 */
function mentoringReach(kecamatan: readonly KecamatanRow[], heat: HeatmapRows): MentoringReach {
  const depths = chainDepths(heat.chains)
  const placeOf = new Map(heat.chains.map((e) => [e.mentor, e.kecamatan_id]))
  const depthIn = (id: string | null, sessions: number) =>
    Math.max(sessions > 0 ? 1 : 0, ...[...depths].filter(([mentor]) => placeOf.get(mentor) === id).map(([, depth]) => depth))
  const of = (id: string | null, name: string) => {
    const r = heat.reach.find((x) => x.kecamatan_id === id)
    return { kecamatanId: id, kecamatanName: name, mentors: r?.mentors ?? 0, mentees: r?.mentees ?? 0, sessions: r?.sessions ?? 0, maxDepth: depthIn(id, r?.sessions ?? 0) }
  }
  const listed = kecamatan.map((k) => of(k.id, k.name))
  const unplaced = heat.reach.some((r) => r.kecamatan_id === null) && !kecamatan.some((k) => k.id === null) ? [of(null, UNPLACED_NAME)] : []
  const rows = [...listed, ...unplaced]
  const sum = (pick: (r: ReachRow) => number) => heat.reach.reduce((n, r) => n + pick(r), 0)
  return { mentors: sum((r) => r.mentors), mentees: heat.reachTotal.mentees, sessions: sum((r) => r.sessions), maxDepth: Math.max(0, ...rows.map((r) => r.maxDepth)), kecamatan: rows }
}

function heatmap(config: CompetenceConfig, kecamatan: readonly KecamatanRow[], cells: readonly CellRow[]): HeatRow[] {
  const cell = (kecamatanId: string | null, code: string): HeatCell => {
    const row = cells.find((c) => c.kecamatan_id === kecamatanId && c.code === code)
    return row === undefined ? { code, rating: null, proficient: 0, withEvidence: 0 } : { code, rating: row.rating, proficient: row.proficient, withEvidence: row.with_evidence }
  }
  return kecamatan.map((k) => ({
    kecamatanId: k.id, kecamatanName: k.name, teachers: k.teachers,
    cells: config.framework.competences.map((c) => cell(k.id, c.code)),
  }))
}

/** Learners of the filter with a fact that matches it (the funnel's "enrolled"). */
function enrolledCount(filter: ZonedFilter): Sql {
  const exists = sql`exists (select 1 from learning_fact f where ${factConditions('f', filter)} and f.learner_key = l.learner_key)`
  return hasPlacementFilter(filter)
    ? sql`(select count(*) from placed l where ${exists})::int`
    : sql`(select count(*) from competence_learner l where l.tenant_id = ${filter.tenantId} and ${exists})::int`
}

/** The funnel's counts from the facts (any filter). */
function funnelFactQuery(filter: ZonedFilter): Sql {
  const scope = factScope(filter, 'f')
  return sql`
    ${withCtes(scope.ctes)}
    select ${enrolledCount(filter)} as enrolled,
      (select json_agg(s) from (
        select case when f.kind = 'assessment' then 'post-test' else f.kind end as stage,
               case when f.kind = 'phase-completed' then f.object_id else '' end as object_id,
               count(distinct f.learner_key)::int as teachers
          from learning_fact f${scope.join}
         where ${factConditions('f', filter)}
           and (f.kind in ('phase-completed', 'tier-completed') or (f.kind = 'assessment' and f.success))
         group by 1, 2) s) as stages`
}

/**
 * Enrolled (learners with any fact in the filter; with a tier filter, in that tier) → each
 * configured phase completed → post-test passed (an assessment with `success`) → tier completed.
 * Distinct learners per stage.
 */
async function funnel(knex: Knex, filter: ZonedFilter, config: CompetenceConfig, subtractOutside: readonly string[] | undefined): Promise<DistrictReport['funnel']> {
  const query = subtractOutside !== undefined ? rollupFunnelOutsideQuery(filter, subtractOutside)
    : rollupsAnswer(filter) ? rollupFunnelQuery(filter) : funnelFactQuery(filter)
  const [row] = await queryRows<{ enrolled: number; stages: Array<{ stage: string; object_id: string; teachers: number }> | null }>(knex, query)
  const stages = row?.stages ?? []
  const count = (stage: string, objectId = '') => stages.find((s) => s.stage === stage && s.object_id === objectId)?.teachers ?? 0
  return [
    { stage: 'enrolled', label: { id: 'Terdaftar', en: 'Enrolled' }, teachers: row?.enrolled ?? 0 },
    ...(config.program.phases ?? []).map((p) => ({ stage: `phase:${p.id}`, label: p.name, teachers: count('phase-completed', p.id) })),
    { stage: 'post-test', label: { id: 'Lulus post-test', en: 'Post-test passed' }, teachers: count('post-test') },
    { stage: 'tier-completed', label: { id: 'Jenjang selesai', en: 'Tier completed' }, teachers: count('tier-completed') },
  ]
}

/**
 * Month by month (`learner_month`): learners with statements, and their statements. The months
 * of the period need no join; a placement or program/tier filter keeps to the active learners.
 */
async function trend(knex: Knex, filter: ZonedFilter, subtractOutside: readonly string[] | undefined): Promise<DistrictReport['trend']> {
  if (subtractOutside !== undefined) {
    const rows = await queryRows<{ month: string; active_teachers: number; statements: number }>(knex, rollupTrendOutsideQuery(filter, subtractOutside))
    return withEmptyMonths(rows.map((r) => ({ month: r.month, activeTeachers: r.active_teachers, statements: r.statements })))
  }
  const months = [sql`m.tenant_id = ${filter.tenantId}`]
  if (filter.from !== undefined) months.push(sql` and m.month >= ${`${filter.from.slice(0, 7)}-01`}::date`)
  if (filter.to !== undefined) months.push(sql` and m.month <= ${`${filter.to.slice(0, 7)}-01`}::date`)
  const narrowed = hasPlacementFilter(filter) || filter.program !== undefined || filter.tier !== undefined
  const rows = await queryRows<{ month: string; active_teachers: number; statements: number }>(knex, sql`
    ${withCtes(narrowed ? [learnerCtes(filter, 'keys')] : [])}
    select to_char(m.month, 'YYYY-MM') as month, (count(*) filter (where m.statements > 0))::int as active_teachers,
           sum(m.statements)::int as statements
      from learner_month m${narrowed ? sql` join active a on a.learner_key = m.learner_key` : sql``}
     where ${joinSql(months, '')}
     group by m.month order by m.month`)
  return withEmptyMonths(rows.map((r) => ({ month: r.month, activeTeachers: r.active_teachers, statements: r.statements })))
}

/** Participants per kecamatan against `config.program.quotas` (by kecamatan code). */
function quota(config: CompetenceConfig, kecamatan: readonly KecamatanRow[]): QuotaRow[] {
  return kecamatan.map((k) => ({
    kecamatanId: k.id, kecamatanName: k.name, participants: k.teachers,
    quota: k.code === null ? null : config.program.quotas?.[k.code] ?? null,
  }))
}

/** The success indicators' counts from the facts (any filter). */
function successFactQuery(filter: ZonedFilter): Sql {
  const scope = factScope(filter, 'f')
  // Distinct counts as their own hashed subqueries: `count(distinct …) filter` would sort every attendance.
  return sql`
    ${withCtes([...scope.ctes, sql`attended as materialized (
      select f.object_id, f.related_key from learning_fact f${scope.join} where ${factConditions('f', filter)} and f.kind = 'attended')`])}
    select (select count(*) from (select distinct object_id from attended) d)::int as held,
           (select count(*) from attended)::int as attendances,
           (select count(related_key) from attended)::int as with_facilitator,
           (select count(*) from (select distinct f.learner_key from learning_fact f${scope.join}
              where ${factConditions('f', filter)} and f.kind = 'task-scored' and f.success) m)::int as mastered`
}

/**
 * The program's own indicators: activities held, participants per quota, facilitators present,
 * mastery shown. With `subtractOutside` (the keys of the learners a placement filter leaves out)
 * it is answered from the roll-ups minus those learners' facts (`rollupSuccessOutsideQuery`).
 */
async function success(knex: Knex, filter: ZonedFilter, participants: number, quotaRows: readonly QuotaRow[], subtractOutside: readonly string[] | undefined): Promise<SuccessIndicators> {
  const query = subtractOutside !== undefined ? rollupSuccessOutsideQuery(filter, subtractOutside)
    : rollupsAnswer(filter) && !hasPlacementFilter(filter) ? rollupSuccessQuery(filter) : successFactQuery(filter)
  const [row] = await queryRows<{ held: number; attendances: number; with_facilitator: number; mastered: number }>(knex, query)
  const r = row!
  const quotas = quotaRows.map((q) => q.quota).filter((q): q is number => q !== null)
  return {
    activitiesHeld: r.held,
    participants,
    quota: quotas.length === 0 ? null : quotas.reduce((a, b) => a + b, 0),
    facilitatorsPresent: r.attendances === 0 ? null : r.with_facilitator / r.attendances,
    masteryShown: participants === 0 ? null : r.mastered / participants,
  }
}

/** The tenant's district node the scope lies in (null when the tenant has none or the scope spans several). */
export async function districtNode(knex: Knex, filter: ZonedFilter): Promise<DistrictReport['district']> {
  const scope = filter.scopePath
  const rows = await queryRows<{ id: string; name: string }>(knex, scope === undefined
    ? sql`select id, name from org_node where tenant_id = ${filter.tenantId} and kind = 'district' order by path limit 2`
    : sql`select id, name from org_node where tenant_id = ${filter.tenantId} and kind = 'district'
            and (starts_with(${scope}, path) or starts_with(path, ${scope})) order by path limit 2`)
  return rows.length === 1 ? { id: rows[0]!.id, name: rows[0]!.name } : null
}

/**
 * Every section of the district report but the header. A placement filter (the viewer's scope,
 * kecamatan, school) that holds every learner of the tenant (a district admin of a one-district
 * tenant) is dropped from the learner and fact queries, which then read the roll-ups as the
 * tenant-wide dashboard does; one that leaves out fewer learners than it keeps has the funnel, the
 * trend and the success indicators read from the roll-ups minus the rows of the learners left out
 * (district-rollups.ts, report-scope.ts).
 */
export async function districtSections(knex: Knex, requested: ZonedFilter, config: CompetenceConfig) {
  const counts = hasPlacementFilter(requested) ? await placementCounts(knex, requested) : undefined
  // `placed` keeps the learners of the schools inside: estimated from the learners' statistics, not
  // the org tree's (the path filter put 10,020 learners at 63, and every section into nested loops).
  const filter = withPlacement(requested, counts)
  // The learners a placement filter leaves out, when they are few and the roll-ups answer the rest of the filter:
  // funnel, trend and success then read the roll-ups minus their rows.
  const subtractOutside = counts !== undefined && counts.outside !== null && counts.total - counts.inside < counts.inside
    && rollupsAnswer(filter) && hasPlacementFilter(filter) ? counts.outside : undefined
  const [heat, stages, months, node] = await Promise.all([heatmapRows(knex, filter), funnel(knex, filter, config, subtractOutside), trend(knex, filter, subtractOutside), districtNode(knex, filter)])
  const quotaRows = quota(config, heat.kecamatan)
  const participants = heat.kecamatan.reduce((n, k) => n + k.teachers, 0)
  return {
    district: node, heatmap: heatmap(config, heat.kecamatan, heat.cells), funnel: stages, trend: months, quota: quotaRows,
    mentoring: mentoringReach(heat.kecamatan, heat),
    success: await success(knex, filter, participants, quotaRows, subtractOutside),
  }
}
