/**
 * The district dashboard's mentoring reach (issue 6, "mentoring network graph (who mentored whom,
 * depth)"; DOMAIN.md, peer mentoring): mentors, mentees, sessions and the longest mentor → mentee
 * chain, per kecamatan of the mentor and in all. The graph itself (every node and edge) is its own
 * page (`mentoring-network.ts`): serialising thousands of nodes made the dashboard miss its
 * 200 ms target (docs/performance-notes.md).
 *
 * Edges come from the `mentoring_edge` roll-up (kept by triggers on `learning_fact`) when the
 * filter has no period, program or tier, else from the `mentored` facts that match it; a mentor
 * counts where `placed` puts them (the viewer's scope and the kecamatan/school filters).
 */
import { rollupsAnswer } from './district-rollups.ts'
import { factConditions, type ZonedFilter } from './report-scope.ts'
import { sql, type Sql } from './sql.ts'

/** Longest chain considered: a guard, far above any real chain of mentoring. */
export const MAX_CHAIN_DEPTH = 64

/** Mentor → mentee edges with sessions, as a query with columns mentor, mentee, sessions. */
export function mentoringEdges(filter: ZonedFilter): Sql {
  return rollupsAnswer(filter)
    ? sql`select m.mentor_key as mentor, m.mentee_key as mentee, m.sessions from mentoring_edge m where m.tenant_id = ${filter.tenantId}`
    : sql`select f.learner_key as mentor, f.related_key as mentee, count(*)::int as sessions
            from learning_fact f
           where ${factConditions('f', filter)} and f.kind = 'mentored' and f.related_key is not null
           group by f.learner_key, f.related_key`
}

/**
 * CTEs (to follow `learnerCtes(filter)`): `reach_edges` (mentor, mentee, sessions, kecamatan_id
 * of the mentor; only mentors in `placed`) and `reach_kecamatan` (kecamatan_id, mentors,
 * mentees, sessions).
 */
export function mentoringReachCtes(filter: ZonedFilter): Sql {
  return sql`reach_edges as materialized (
      select e.mentor, e.mentee, e.sessions, p.kecamatan_id from (${mentoringEdges(filter)}) e join placed p on p.learner_key = e.mentor),
    reach_kecamatan as (
      -- Distinct counts as hashed subqueries: count(distinct …) would sort every edge.
      select s.kecamatan_id, m.mentors, e.mentees, s.sessions
        from (select kecamatan_id, sum(sessions)::int as sessions from reach_edges group by kecamatan_id) s
        join (select kecamatan_id, count(*)::int as mentors from (select distinct kecamatan_id, mentor from reach_edges) d group by kecamatan_id) m
          on m.kecamatan_id is not distinct from s.kecamatan_id
        join (select kecamatan_id, count(*)::int as mentees from (select distinct kecamatan_id, mentee from reach_edges) d group by kecamatan_id) e
          on e.kecamatan_id is not distinct from s.kecamatan_id)`
}

/**
 * Columns `reach_rows` (JSON per kecamatan), `reach_total` (JSON: distinct mentees in all; a
 * mentor has one placement, so mentors and sessions in all are the rows' sums) and
 * `chain_edges`: the edges that can be part of a chain of two or more (the mentee mentors someone,
 * or the mentor was mentored), usually a handful, for `chainDepths`. Depth is walked in code, not
 * in a recursive query, whose row estimate (every path of every edge) made PostgreSQL JIT-compile
 * the dashboard query for seconds (docs/performance-notes.md).
 */
export const MENTORING_REACH_COLUMNS: Sql = sql`
    (select json_agg(r) from reach_kecamatan r) as reach_rows,
    json_build_object('mentees', (select count(*) from (select distinct mentee from reach_edges) d)) as reach_total,
    (select json_agg(json_build_object('mentor', e.mentor, 'mentee', e.mentee, 'kecamatan_id', e.kecamatan_id)) from reach_edges e
      where e.mentee in (select mentor from reach_edges) or e.mentor in (select mentee from reach_edges)) as chain_edges`

export interface ReachRow { kecamatan_id: string | null; mentors: number; mentees: number; sessions: number }
export interface ReachTotal { mentees: number }
export interface ChainEdge { mentor: string; mentee: string; kecamatan_id: string | null }

/** Steps the chain walk may take in all: a guard against a pathological graph (many people all mentoring each other). */
const WALK_BUDGET = 1_000_000

/**
 * The longest mentor → mentee chain (in edges, two or more) starting at each mentor of `edges`
 * who starts one. A chain never visits a person twice, so a cycle (A mentors B, B mentors A) ends.
 * Should the walk exhaust its budget, the depths found so far are returned (a lower bound).
 */
export function chainDepths(edges: readonly Pick<ChainEdge, 'mentor' | 'mentee'>[]): Map<string, number> {
  const out = new Map<string, string[]>()
  for (const e of edges) out.set(e.mentor, [...(out.get(e.mentor) ?? []), e.mentee])
  let budget = WALK_BUDGET
  const longest = (node: string, onPath: Set<string>, depth: number): number => {
    if (depth >= MAX_CHAIN_DEPTH) return 0
    let best = 0
    for (const next of out.get(node) ?? []) {
      if (onPath.has(next) || --budget < 0) continue
      onPath.add(next)
      best = Math.max(best, 1 + longest(next, onPath, depth + 1))
      onPath.delete(next)
    }
    return best
  }
  const depths = new Map<string, number>()
  for (const root of out.keys()) {
    const depth = longest(root, new Set([root]), 0)
    if (depth >= 2) depths.set(root, depth)
  }
  return depths
}
