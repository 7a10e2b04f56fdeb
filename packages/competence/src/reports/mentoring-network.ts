/**
 * The district's mentoring network (issue 6, "mentoring network graph (who mentored whom,
 * depth)"; DOMAIN.md, peer mentoring: the 15-day challenge has participants mentor colleagues who
 * may mentor others). Edges come from `mentored` facts: mentor = the actor, mentee = `related_key`.
 */
import type { Knex } from '@tln/db'
import { factConditions, factScope, learnerCtes } from './report-scope.ts'
import { joinSql, queryRows, sql } from './sql.ts'
import type { MentoringNetwork, ReportFilter } from './types.ts'

/** Longest chain considered: a guard, far above any real chain of mentoring. */
const MAX_DEPTH = 64

interface NetworkRow {
  edges: Array<{ mentor: string; mentee: string; sessions: number }> | null
  nodes: Array<{ key: string; name: string; kecamatan_id: string | null; participant: boolean }> | null
  depth: number
}

/**
 * Nodes (mentors of the scope and their mentees, with names from `learner_placement`), edges
 * with session counts, reach (distinct mentees) and the longest mentor → mentee chain, in one
 * query. The depth walk never revisits a node on its path, so a cycle (A mentors B, B mentors A) ends.
 */
export async function mentoringNetwork(knex: Knex, filter: ReportFilter): Promise<MentoringNetwork> {
  const scope = factScope(filter, 'f')
  const ctes = [
    ...scope.ctes,
    // Mentors are active by their mentored fact; `participant` asks whether a node is active at all.
    ...(scope.ctes.length === 0 ? [learnerCtes(filter, true)] : []),
    sql`edges as materialized (
      select f.learner_key as mentor, f.related_key as mentee, count(*)::int as sessions
        from learning_fact f${scope.join}
       where ${factConditions('f', filter)} and f.kind = 'mentored' and f.related_key is not null
       group by f.learner_key, f.related_key)`,
    sql`keys as (select mentor as key from edges union select mentee from edges)`,
    sql`walk (node, depth, path) as (
      select e.mentee, 1, array[e.mentor, e.mentee] from edges e
      union all
      select e.mentee, w.depth + 1, w.path || e.mentee
        from walk w join edges e on e.mentor = w.node
       where e.mentee <> all (w.path) and w.depth < ${MAX_DEPTH})`,
  ]
  const [row] = await queryRows<NetworkRow>(knex, sql`
    with recursive ${joinSql(ctes, ',\n')}
    select (select json_agg(e order by e.mentor, e.mentee) from edges e) as edges,
           (select json_agg(n order by n.key) from (
              select k.key, coalesce(lp.name, k.key) as name, lp.kecamatan_id, k.key in (select learner_key from active) as participant
                from keys k left join lateral (
                  select lp.name, lp.kecamatan_id from learner_placement lp where lp.tenant_id = ${filter.tenantId} and lp.learner_key = k.key) lp on true) n) as nodes,
           (select coalesce(max(depth), 0) from walk)::int as depth`)
  const edges = row?.edges ?? []
  return {
    nodes: (row?.nodes ?? []).map((n) => ({ key: n.key, name: n.name, kecamatanId: n.kecamatan_id, participant: n.participant })),
    edges: edges.map((e) => ({ mentor: e.mentor, mentee: e.mentee, sessions: e.sessions })),
    reach: new Set(edges.map((e) => e.mentee)).size,
    maxDepth: row?.depth ?? 0,
  }
}
