/**
 * Which learners and which facts a report counts (issue 6, "Filters by program, tier, period,
 * kecamatan, school"). Every fragment starts with `tenant_id = ?`, so no report can read another
 * tenant's rows, and the viewer's scope is a prefix of the school's org path.
 *
 * - placed: learners placed (`learner_placement`, or their stored school) under the scope,
 *   kecamatan and school filters;
 * - active: placed learners with activity that matches the period and program/tier filters
 *   (a non-voided fact, or, without a program/tier filter, a `learner_month` row in the period's
 *   months). Without period, program and tier every placed learner is active.
 * - facts: non-voided `learning_fact` rows in the period, program and tier.
 */
import { startOfDayIn } from '../engine/report-time-zone.ts'
import type { Knex } from '@tln/db'
import { EMPTY, joinSql, queryRows, sql, type Sql } from './sql.ts'
import type { ReportFilter } from './types.ts'

/**
 * A filter with the IANA zone its days are local to: the zone the engine bucketed
 * `learner_month` in (`EngineStatus.timeZone`), so a period's days and the months it sums agree.
 */
export interface ZonedFilter extends ReportFilter {
  readonly timeZone: string
  /**
   * Set when every learner of the tenant is placed inside the scope, kecamatan and school filters
   * (`placementCounts`): they then narrow no learner and no fact, so queries skip the placement
   * join (the numbers are the same); the kecamatan rows and the district still follow the filters.
   */
  readonly placementHoldsTenant?: boolean
  /**
   * The schools of the learners placed inside the scope, kecamatan and school filters
   * (`placementCounts`), when known: `placed` then selects learners by `school_id = any(…)`, which
   * PostgreSQL estimates from `competence_learner`'s own statistics, instead of by the school's
   * org path, whose estimate rests on `org_node`'s (a small org tree is never analysed: fewer
   * changes than autovacuum's threshold of 50 rows), so the same learners either way.
   */
  readonly placementSchools?: readonly string[]
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical UUID (org node and tenant ids); anything else names no row. */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}

function validDay(value: string): boolean {
  return DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
}

/**
 * Checks a filter's shape. The page layer parses query strings into a `ReportFilter`; a filter
 * that breaks these rules is that layer's bug, hence `TypeError` naming the field and the rule.
 */
export function checkReportFilter(filter: ReportFilter): void {
  if (!isUuid(filter.tenantId)) throw new TypeError('ReportFilter.tenantId must be a UUID')
  for (const field of ['from', 'to'] as const) {
    const value = filter[field]
    if (value !== undefined && !validDay(value)) throw new TypeError(`ReportFilter.${field} must be a day YYYY-MM-DD, got ${JSON.stringify(value)}`)
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) throw new TypeError('ReportFilter.from must not be after ReportFilter.to')
  for (const field of ['kecamatanId', 'schoolId'] as const) {
    const value = filter[field]
    if (value !== undefined && !isUuid(value)) throw new TypeError(`ReportFilter.${field} must be a UUID, got ${JSON.stringify(value)}`)
  }
  if (filter.scopePath !== undefined && !filter.scopePath.startsWith('/')) throw new TypeError('ReportFilter.scopePath must be an org node path starting with /')
}

/** `LIKE` pattern matching every string that starts with `prefix`. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/**
 * Conditions on a `learning_fact` alias: tenant, not voided, period (local days of
 * `filter.timeZone`: `from` at its local midnight, `to` up to the next local midnight), program, tier.
 */
export function factConditions(alias: string, filter: ZonedFilter): Sql {
  const a = { text: alias, values: [] }
  const parts: Sql[] = [sql`${a}.tenant_id = ${filter.tenantId}`, sql` not ${a}.voided`]
  if (filter.from !== undefined) parts.push(sql` ${a}.at >= ${startOfDayIn(filter.from, filter.timeZone)}::timestamptz`)
  if (filter.to !== undefined) parts.push(sql` ${a}.at < ${startOfDayIn(nextDay(filter.to), filter.timeZone)}::timestamptz`)
  if (filter.program !== undefined) parts.push(sql` ${a}.program_id = ${filter.program}`)
  // A fact on the tier itself (its completion) belongs to the tier even when the statement did
  // not repeat the tier in its grouping.
  if (filter.tier !== undefined) parts.push(sql` (${a}.tier_id = ${filter.tier} or ${a}.object_id = ${filter.tier})`)
  return joinSql(parts, ' and')
}

type PlacementFilter = ReportFilter & { readonly placementHoldsTenant?: boolean; readonly placementSchools?: readonly string[] }

/** Conditions on `learner_placement lp`: tenant, scope path prefix, kecamatan, school. */
export function placementConditions(filter: PlacementFilter): Sql {
  const parts: Sql[] = [sql`lp.tenant_id = ${filter.tenantId}`]
  if (!hasPlacementFilter(filter)) return parts[0]!
  if (filter.scopePath !== undefined) parts.push(sql` lp.school_path like ${prefixPattern(filter.scopePath)}`)
  if (filter.kecamatanId !== undefined) parts.push(sql` lp.kecamatan_id = ${filter.kecamatanId}::uuid`)
  if (filter.schoolId !== undefined) parts.push(sql` lp.school_id = ${filter.schoolId}::uuid`)
  return joinSql(parts, ' and')
}

function activityCondition(filter: ZonedFilter): Sql {
  const period = filter.from !== undefined || filter.to !== undefined
  if (!period && filter.program === undefined && filter.tier === undefined) return EMPTY
  const fact = sql`exists (select 1 from learning_fact f where ${factConditions('f', filter)} and f.learner_key = p.learner_key)`
  if (filter.program !== undefined || filter.tier !== undefined) return sql` where ${fact}`
  const months: Sql[] = [sql`m.tenant_id = ${filter.tenantId}`, sql` m.learner_key = p.learner_key`, sql` m.statements > 0`]
  if (filter.from !== undefined) months.push(sql` m.month >= ${`${filter.from.slice(0, 7)}-01`}::date`)
  if (filter.to !== undefined) months.push(sql` m.month <= ${`${filter.to.slice(0, 7)}-01`}::date`)
  return sql` where ${fact} or exists (select 1 from learner_month m where ${joinSql(months, ' and')})`
}

/**
 * True when the filter narrows learners by where they are placed (scope, kecamatan, school) and
 * does not hold every learner of the tenant (`placementHoldsTenant`).
 */
export function hasPlacementFilter(filter: PlacementFilter): boolean {
  return filter.placementHoldsTenant !== true && (filter.scopePath !== undefined || filter.kecamatanId !== undefined || filter.schoolId !== undefined)
}

/**
 * The placement filter on the stored school `s` (`org_node`) of a learner (`competence_learner
 * l left join org_node s on s.id = l.school_id`), without the tenant: scope path prefix,
 * kecamatan, school. Empty without a placement filter.
 */
function schoolCondition(filter: PlacementFilter): Sql {
  const parts: Sql[] = []
  if (!hasPlacementFilter(filter)) return EMPTY
  if (filter.scopePath !== undefined) parts.push(sql` s.path like ${prefixPattern(filter.scopePath)}`)
  if (filter.kecamatanId !== undefined) parts.push(sql` s.parent_id = ${filter.kecamatanId}::uuid`)
  if (filter.schoolId !== undefined) parts.push(sql` s.id = ${filter.schoolId}::uuid`)
  return joinSql(parts, ' and')
}

/** A `uuid[]` literal of ids read from the database (UUIDs need no quoting). */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`
}

/**
 * Conditions on `competence_learner l` and its stored school `s`: tenant and placement filter;
 * by the stored school's id when the filter carries the schools inside (`placementSchools`).
 */
function schoolConditions(filter: PlacementFilter): Sql {
  if (filter.placementSchools !== undefined && hasPlacementFilter(filter)) {
    return sql`l.tenant_id = ${filter.tenantId} and l.school_id = any(${uuidArray(filter.placementSchools)}::uuid[])`
  }
  const place = schoolCondition(filter)
  return place.text === '' ? sql`l.tenant_id = ${filter.tenantId}` : sql`l.tenant_id = ${filter.tenantId} and ${place}`
}

/** What `placementCounts` finds. */
export interface PlacementCounts {
  readonly inside: number
  readonly total: number
  readonly outside: string[] | null
  readonly schools: string[]
}

/**
 * The filter with what `placementCounts` found (none: no placement filter): `placementHoldsTenant`
 * when every learner of the tenant is inside, otherwise the schools inside (`placementSchools`), so
 * `placed` is selected by stored school id. The same learners either way.
 */
export function withPlacement(filter: ZonedFilter, counts: PlacementCounts | undefined): ZonedFilter {
  if (counts === undefined) return filter
  return counts.inside === counts.total ? { ...filter, placementHoldsTenant: true } : { ...filter, placementSchools: counts.schools }
}

/** At most this many learners left out are listed by `placementCounts` (`outside`). */
export const MAX_OUTSIDE_LISTED = 1000

/**
 * Learners of the tenant, those placed inside the filter's scope, kecamatan and school, the keys
 * of those outside when there are at most `MAX_OUTSIDE_LISTED` of them, and the schools of those
 * inside, read from the stored school (`competence_learner.school_id`): one small query per
 * report, which tells whether the filter narrows anything (`placementHoldsTenant`), which learners
 * to subtract from roll-ups, and which schools `placed` keeps (`placementSchools`). A learner is
 * inside or outside by its school alone, so "school among `schools`" selects the same learners.
 */
export async function placementCounts(knex: Knex, filter: ReportFilter): Promise<PlacementCounts> {
  const place = schoolCondition(filter)
  const inside = place.text === '' ? sql`true` : sql`coalesce(${place}, false)`
  const [row] = await queryRows<PlacementCounts>(knex, sql`
    select (count(*) filter (where ${inside}))::int as inside, count(*)::int as total,
           case when count(*) filter (where not ${inside}) <= ${MAX_OUTSIDE_LISTED}
                then coalesce(json_agg(l.learner_key) filter (where not ${inside}), '[]'::json) end as outside,
           coalesce(json_agg(distinct l.school_id) filter (where ${inside} and l.school_id is not null), '[]'::json) as schools
      from competence_learner l left join org_node s on s.id = l.school_id where l.tenant_id = ${filter.tenantId}`)
  return row ?? { inside: 0, total: 0, outside: [], schools: [] }
}

/**
 * Which columns `placed` needs: `full` (learner_key, name, kecamatan_id, kecamatan_name,
 * kecamatan_code, school_id, school_name, through `learner_placement`), `kecamatan` (learner_key,
 * kecamatan_id: the learner's stored school and its parent, no person or name joins) or `keys`
 * (learner_key; without a placement filter every learner of the tenant, no org joins at all).
 */
export type PlacedColumns = 'full' | 'kecamatan' | 'keys'

/**
 * `placed` and `active` as CTEs (without the leading `with`), with the columns `columns` names.
 * The lighter forms read the learner's stored school (`competence_learner.school_id`, kept by
 * triggers), so PostgreSQL estimates them well and no person rows are read.
 */
export function learnerCtes(filter: ZonedFilter, columns: PlacedColumns = 'full'): Sql {
  const placed = columns === 'keys' && !hasPlacementFilter(filter)
    ? sql`placed as materialized (select l.learner_key from competence_learner l where l.tenant_id = ${filter.tenantId})`
    : columns !== 'full'
      ? sql`placed as materialized (
      select l.learner_key, s.parent_id as kecamatan_id
        from competence_learner l left join org_node s on s.id = l.school_id where ${schoolConditions(filter)})`
      : sql`placed as materialized (
      select lp.learner_key, lp.name, lp.kecamatan_id, lp.kecamatan_name, lp.kecamatan_code, lp.school_id, lp.school_name
        from learner_placement lp where ${placementConditions(filter)})`
  const activity = activityCondition(filter)
  // Without a period, program or tier every placed learner is active: read `placed` itself
  // rather than a second materialised copy of it (10,000 rows at the dashboard's scale).
  return sql`${placed},
    active as ${activity.text === '' ? sql`not materialized` : sql`materialized`} (select p.* from placed p${activity})`
}

/**
 * How a query over facts keeps to the filter's learners: a fact that matches `factConditions`
 * makes its learner active, so only a placement filter needs a join (with `placed`); without one
 * every fact of the tenant is a placed learner's or an unplaced learner's, and both count.
 */
export function factScope(filter: ZonedFilter, alias: string): { ctes: Sql[]; join: Sql } {
  if (!hasPlacementFilter(filter)) return { ctes: [], join: EMPTY }
  return { ctes: [learnerCtes(filter, 'kecamatan')], join: { text: ` join placed p on p.learner_key = ${alias}.learner_key`, values: [] } }
}

/** `with a, b, …` of the non-empty CTEs, or nothing. */
export function withCtes(ctes: readonly Sql[]): Sql {
  const list = ctes.filter((c) => c.text !== '')
  return list.length === 0 ? EMPTY : sql`with ${joinSql(list, ',\n')} `
}

/**
 * The kecamatan rows a district report lists: the tenant's kecamatan nodes inside the viewer's
 * scope (or containing it, for a school-level viewer), narrowed by the kecamatan/school filters.
 * CTE `kec` (id, name, code).
 */
export function kecamatanCte(filter: ReportFilter): Sql {
  const parts: Sql[] = [sql`k.tenant_id = ${filter.tenantId}`, sql` k.kind = 'kecamatan'`]
  if (filter.scopePath !== undefined) parts.push(sql` (starts_with(k.path, ${filter.scopePath}) or starts_with(${filter.scopePath}, k.path))`)
  if (filter.kecamatanId !== undefined) parts.push(sql` k.id = ${filter.kecamatanId}::uuid`)
  if (filter.schoolId !== undefined) {
    parts.push(sql` k.id = (select s.parent_id from org_node s where s.tenant_id = ${filter.tenantId} and s.id = ${filter.schoolId}::uuid)`)
  }
  return sql`kec as materialized (select k.id, k.name, k.code from org_node k where ${joinSql(parts, ' and')})`
}
