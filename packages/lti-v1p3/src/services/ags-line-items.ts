import { MEDIA_TYPE, SCOPE } from '../claims.ts'
import { LtiServiceError } from '../errors.ts'
import { isObject } from '../launch/id-token-claims.ts'
import { authorizedRequest, getAllPages } from './authorized-request.ts'
import { readJson } from './http.ts'
import type { ServiceContext } from './service-context.ts'
import { withQuery } from './service-url.ts'

/** A line item (AGS 2.0 §3.2). */
export interface LineItem {
  readonly id: string
  readonly label: string
  readonly scoreMaximum: number
  readonly resourceId?: string
  readonly tag?: string
  readonly resourceLinkId?: string
  readonly startDateTime?: string
  readonly endDateTime?: string
  readonly gradesReleased?: boolean
}

export type LineItemSpec = Omit<LineItem, 'id'>


/** What the platform let the tool ask for: the AGS endpoint claim's `scope` (AGS 2.0 §3.1). */
export interface LineItemGrants {
  /** Undefined when not known (a registration made before grants were kept): reads ask for `lineitem`, as a manage grant covers them. */
  readonly grantedScopes?: readonly string[]
}

/**
 * The scope a line-item read asks for. AGS 2.0 §3.1: `lineitem.readonly` lets a tool only read
 * line items, `lineitem` lets it manage them (reading included), and the claim's `scope` lists
 * what the tool may ask a token for. A read asks for `lineitem.readonly` when it is granted (a
 * platform that granted only it refuses a token for `lineitem`); with unknown grants, `lineitem`,
 * which every platform that lets the tool create line items accepts.
 */
export function lineItemReadScope(grants: LineItemGrants = {}): string {
  const granted = grants.grantedScopes
  return granted !== undefined && granted.includes(SCOPE.lineItemReadOnly) ? SCOPE.lineItemReadOnly : SCOPE.lineItem
}

/**
 * Line items of a container, filtered by `resource_id`, `tag` and `resource_link_id` (AGS 2.0
 * §3.2.4), following `Link: rel="next"` (§3.2.3). Filters are also applied locally, since some
 * platforms ignore them. The token asks for the read scope `lineItemReadScope` picks.
 */
export async function listLineItems(ctx: ServiceContext, lineItemsUrl: string, filter: Pick<LineItemSpec, 'resourceId' | 'tag' | 'resourceLinkId'> = {}, grants: LineItemGrants = {}): Promise<LineItem[]> {
  return readLineItems(ctx, lineItemsUrl, filter, lineItemReadScope(grants))
}

async function readLineItems(ctx: ServiceContext, lineItemsUrl: string, filter: Pick<LineItemSpec, 'resourceId' | 'tag' | 'resourceLinkId'>, scope: string): Promise<LineItem[]> {
  const url = withQuery(lineItemsUrl, { resource_id: filter.resourceId, tag: filter.tag, resource_link_id: filter.resourceLinkId })
  const pages = await getAllPages(ctx, [scope], url, MEDIA_TYPE.lineItemContainer)
  return pages.flatMap((page) => (Array.isArray(page) ? page : [])).filter(isLineItem).map((item) => sameOrigin(item, lineItemsUrl)).filter((item) =>
    (filter.resourceId === undefined || item.resourceId === filter.resourceId) &&
    (filter.tag === undefined || item.tag === filter.tag) &&
    (filter.resourceLinkId === undefined || item.resourceLinkId === filter.resourceLinkId))
}

/**
 * The line item matching `spec`'s `resourceId`/`tag`/`resourceLinkId`, created with a POST to the
 * container if none exists (AGS 2.0 §3.2.5). Needs at least one of the three to match on. The
 * search asks for `lineitem` when it is granted (or grants are unknown), so the search and a
 * creation share one token; a platform that granted only `lineitem.readonly` is searched with it,
 * and a creation there asks for `lineitem`, which such a platform refuses (AGS 2.0 §3.1).
 */
export async function findOrCreateLineItem(ctx: ServiceContext, lineItemsUrl: string, spec: LineItemSpec, grants: LineItemGrants = {}): Promise<LineItem> {
  if (spec.resourceId === undefined && spec.tag === undefined && spec.resourceLinkId === undefined) {
    throw new TypeError('findOrCreateLineItem needs resourceId, tag or resourceLinkId to find an existing line item')
  }
  if (!(spec.scoreMaximum > 0)) throw new TypeError('scoreMaximum must be a positive number (AGS 2.0 §3.2.7)')
  const manage = grants.grantedScopes === undefined || grants.grantedScopes.includes(SCOPE.lineItem)
  const [found] = await readLineItems(ctx, lineItemsUrl, spec, manage ? SCOPE.lineItem : lineItemReadScope(grants))
  if (found) return found
  const response = await authorizedRequest(ctx, [SCOPE.lineItem], lineItemsUrl, {
    method: 'POST',
    headers: { 'content-type': MEDIA_TYPE.lineItem, accept: MEDIA_TYPE.lineItem },
    body: JSON.stringify(spec),
  })
  const created = await readJson(response, lineItemsUrl)
  if (!isLineItem(created)) throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', 'platform answered no line item', lineItemsUrl, response.status)
  return sameOrigin(created, lineItemsUrl)
}

/**
 * A line item's `id` is the URL its scores are posted to with the tool's bearer token (AGS 2.0
 * §3.2.3, §3.4): it must be an absolute URL on the origin of the container that listed it, or the
 * token would go to whoever the answer names (RFC 6750 §5.3).
 */
function sameOrigin(item: LineItem, lineItemsUrl: string): LineItem {
  if (!URL.canParse(item.id) || new URL(item.id).origin !== new URL(lineItemsUrl).origin) {
    throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', `platform named a line item outside ${new URL(lineItemsUrl).origin}: ${item.id.slice(0, 200)}`, lineItemsUrl)
  }
  return item
}

function isLineItem(value: unknown): value is LineItem {
  return isObject(value) && typeof value.id === 'string' && typeof value.scoreMaximum === 'number'
}
