import { createDeepLinkingResponse, currentToolKey, type DeepLinkingResponse, type KeyStore, type LtiLaunch } from '@tln/lti-v1p3'
import type { CatalogueItem } from '../catalogue.ts'
import { LtiToolError } from '../errors.ts'
import type { DbPlatformStore } from '../stores/platform-store.ts'
import { contentItemsFor } from './content-items.ts'
import type { PendingDeepLinking } from './deep-linking-store.ts'

/**
 * The Deep Linking response for the items the user chose (Deep Linking 2.0 §4.5), signed by the
 * library with the tool's current key: `ltiResourceLink` items only, `data` echoed only when the
 * request carried it, a `lineItem` on graded tasks. An empty choice (cancel) is a valid answer
 * with no items.
 */
export async function answerDeepLinking(
  pending: PendingDeepLinking,
  chosen: readonly CatalogueItem[],
  deps: { platforms: DbPlatformStore; keys: KeyStore; publicUrl: string; now: () => number },
): Promise<DeepLinkingResponse> {
  const record = await deps.platforms.byId(pending.platformId)
  if (record === undefined || record.status !== 'active') throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'the registration of this deep-linking request is gone or inactive', { platformId: pending.platformId })
  const { issuer, clientId, authorizationEndpoint, tokenEndpoint, jwksUri, authorizationServer } = record
  // The library answers a verified launch; the parts it reads were verified at launch and kept server-side.
  const launch: LtiLaunch = {
    messageType: 'LtiDeepLinkingRequest', deploymentId: pending.deploymentId, deepLinking: pending.settings,
    platform: { issuer, clientId, authorizationEndpoint, tokenEndpoint, jwksUri, ...(authorizationServer !== undefined && { authorizationServer }) },
    user: {}, roles: [], custom: {}, claims: {},
  }
  const items = contentItemsFor(chosen, { publicUrl: deps.publicUrl, ...(pending.settings.acceptLineItem !== undefined && { acceptLineItem: pending.settings.acceptLineItem }) })
  const now = deps.now()
  return createDeepLinkingResponse(launch, items, {
    key: await currentToolKey(deps.keys, now), now, scriptSrc: '/lti/static/auto-submit.js',
    ...(items.length > 0 && { message: `${items.length} item TLN ditambahkan / ${items.length} TLN item(s) added`, log: `TLN items: ${chosen.map((i) => i.id).join(', ')}` }),
  })
}
