import { MEDIA_TYPE, SCOPE } from '../claims.ts'
import { isObject } from '../launch/id-token-claims.ts'
import { getAllPages } from './authorized-request.ts'
import type { ServiceContext } from './service-context.ts'
import { lineItemSubUrl, withQuery } from './service-url.ts'

/** A result (AGS 2.0 §3.3). */
export interface Result {
  readonly id: string
  readonly userId: string
  readonly resultScore?: number
  readonly resultMaximum?: number
  readonly comment?: string
  readonly scoreOf?: string
}

/**
 * GET the results of a line item (AGS 2.0 §3.3, the result service): only `userId`'s with
 * `user_id`, in pages of `limit` when given (a hint: the platform may page otherwise), following
 * every `Link: rel="next"` (§3.2.3), since platforms page results (Canvas does, by default) and a
 * tool that read one page would miss the rest.
 * @throws TypeError for a `limit` that is not a positive integer (the platform would refuse it)
 */
export async function getResults(ctx: ServiceContext, lineItemUrl: string, options: { userId?: string; limit?: number } = {}): Promise<Result[]> {
  if (options.limit !== undefined && !(Number.isSafeInteger(options.limit) && options.limit > 0)) throw new TypeError('limit must be a positive integer (AGS 2.0 §3.3)')
  const url = withQuery(lineItemSubUrl(lineItemUrl, 'results'), { user_id: options.userId, limit: options.limit })
  const pages = await getAllPages(ctx, [SCOPE.resultReadOnly], url, MEDIA_TYPE.resultContainer)
  return pages.flatMap((page) => (Array.isArray(page) ? page : []))
    .filter((r): r is Result => isObject(r) && typeof r.id === 'string' && typeof r.userId === 'string')
}
