/**
 * The district's mentoring network (issue 6, "mentoring network graph (who mentored whom,
 * depth)"; DOMAIN.md, peer mentoring: the 15-day challenge has participants mentor colleagues who
 * may mentor others), for its own page: the dashboard shows only reach and depth
 * (mentoring-reach.ts). Edges come from `mentored` facts (mentor = the actor, mentee =
 * `related_key`), through the `mentoring_edge` roll-up when no period, program or tier narrows them.
 */
import type { Knex } from '@tln/db'
import { chainDepths, mentoringEdges } from './mentoring-reach.ts'
import { factScope, hasPlacementFilter, learnerCtes, placementCounts, withPlacement, type ZonedFilter } from './report-scope.ts'
import { joinSql, queryRows, sql } from './sql.ts'
import type { MentoringNetwork } from './types.ts'

interface NetworkRow {
  edges: Array<{ mentor: string; mentee: string; sessions: number }> | null
  nodes: Array<{ key: string; name: string; kecamatan_id: string | null; participant: boolean }> | null
}

/**
 * Nodes (mentors of the scope and their mentees, with names from `learner_placement`, or for a
 * mentee who is no learner yet from their TLN person), edges
 * with session counts, reach (distinct mentees) and the longest mentor → mentee chain (walked in
 * code, `chainDepths`: never revisiting a person, so a cycle ends). A placement filter keeps the
 * learners of the schools inside (`withPlacement`): selected by the learners' stored school, a
 * district admin's 10,020 learners were estimated at 63 from the never analysed org tree, and the
 * edges read by 10,020 index probes instead of one hash join.
 */
export async function mentoringNetwork(knex: Knex, requested: ZonedFilter): Promise<MentoringNetwork> {
  const filter = withPlacement(requested, hasPlacementFilter(requested) ? await placementCounts(knex, requested) : undefined)
  const scope = factScope(filter, 'f')
  const ctes = [
    ...scope.ctes,
    // Mentors are active by their mentored fact; `participant` asks whether a node is active at all.
    ...(scope.ctes.length === 0 ? [learnerCtes(filter, 'keys')] : []),
    sql`edges as materialized (
      select e.mentor, e.mentee, e.sessions from (${mentoringEdges(filter)}) e${hasPlacementFilter(filter) ? sql` join placed p on p.learner_key = e.mentor` : sql``})`,
    sql`keys as (select mentor as key from edges union select mentee from edges)`,
  ]
  const [row] = await queryRows<NetworkRow>(knex, sql`
    with ${joinSql(ctes, ',\n')}
    select (select json_agg(e order by e.mentor, e.mentee) from edges e) as edges,
           (select json_agg(n order by n.key) from (
              select k.key, coalesce(lp.name, p.name, k.key) as name, lp.kecamatan_id, k.key in (select learner_key from active) as participant
                from keys k left join lateral (
                  select lp.name, lp.kecamatan_id from learner_placement lp where lp.tenant_id = ${filter.tenantId} and lp.learner_key = k.key) lp on true
                  -- A mentee who has sent no statement is no learner; the mentoring form made them a person.
                  left join person_identity pi on pi.tenant_id = ${filter.tenantId} and pi.ifi_key = k.key
                  left join person p on p.id = pi.person_id) n) as nodes`)
  const edges = row?.edges ?? []
  return {
    nodes: (row?.nodes ?? []).map((n) => ({ key: n.key, name: n.name, kecamatanId: n.kecamatan_id, participant: n.participant })),
    edges: edges.map((e) => ({ mentor: e.mentor, mentee: e.mentee, sessions: e.sessions })),
    reach: new Set(edges.map((e) => e.mentee)).size,
    maxDepth: Math.max(edges.length > 0 ? 1 : 0, ...chainDepths(edges).values()),
  }
}
