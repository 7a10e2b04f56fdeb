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

/** GET the results of a line item, optionally for one user, following paging (AGS 2.0 §3.3). */
export async function getResults(ctx: ServiceContext, lineItemUrl: string, options: { userId?: string } = {}): Promise<Result[]> {
  const url = withQuery(lineItemSubUrl(lineItemUrl, 'results'), { user_id: options.userId })
  const pages = await getAllPages(ctx, [SCOPE.resultReadOnly], url, MEDIA_TYPE.resultContainer)
  return pages.flatMap((page) => (Array.isArray(page) ? page : []))
    .filter((r): r is Result => isObject(r) && typeof r.id === 'string' && typeof r.userId === 'string')
}
