import { repeatedParameter } from '@tln/lti-v1p3'

/**
 * The most results one page of the demo LMS's result service holds, whatever `limit` asks: a
 * platform may answer fewer than asked and give the rest behind `Link: rel="next"` (AGS 2.0 §3.3).
 */
export const MAX_RESULTS_PAGE = 100

/** What a result service request asks for: one user's result, a page size, where the page starts. */
export interface ResultsQuery {
  /** AGS 2.0 §3.3 `user_id`: only this user's result. */
  readonly userId?: string
  /** AGS 2.0 §3.3 `limit`, at most `MAX_RESULTS_PAGE`; that maximum when absent. */
  readonly limit: number
  /** Whether the tool gave `limit` (a next link repeats it then). */
  readonly limited: boolean
  /** The demo LMS's own paging cursor, in its next links: the page starts after this user id. */
  readonly after?: string
}

export interface ResultsQueryProblem {
  readonly field: string
  readonly rule: string
  readonly message: string
}

const PARAMS = ['user_id', 'limit', 'after'] as const

/**
 * The query of a result service request (AGS 2.0 §3.3: "user_id" filters the results to one user,
 * "limit" restricts how many come per page), checked before anything is read: each parameter at
 * most once, `user_id` and `after` not empty, `limit` a positive integer in decimal digits (not
 * `0`, `-1`, `1.5`, `1e2`, ` 1`). Other parameters are ignored, as platforms ignore them.
 */
export function readResultsQuery(params: URLSearchParams): { ok: true; query: ResultsQuery } | { ok: false; problem: ResultsQueryProblem } {
  const repeated = repeatedParameter(params, PARAMS)
  if (repeated !== undefined) return refuse(repeated, `${repeated} must be given at most once`)
  const userId = params.get('user_id') ?? undefined
  if (userId === '') return refuse('user_id', 'user_id must name a user (the LTI user id); leave it out for every user')
  const limit = params.get('limit') ?? undefined
  if (limit !== undefined && !/^[1-9]\d*$/u.test(limit)) return refuse('limit', `limit must be a positive integer, not "${limit.slice(0, 40)}"`)
  const after = params.get('after') ?? undefined
  if (after === '') return refuse('after', 'after must be the user id a next link named')
  return {
    ok: true,
    query: {
      limit: limit === undefined ? MAX_RESULTS_PAGE : Math.min(Number(limit), MAX_RESULTS_PAGE), limited: limit !== undefined,
      ...(userId !== undefined && { userId }), ...(after !== undefined && { after }),
    },
  }
}

function refuse(field: string, message: string): { ok: false; problem: ResultsQueryProblem } {
  return { ok: false, problem: { field, rule: 'AGS 2.0 §3.3 (result service)', message } }
}
