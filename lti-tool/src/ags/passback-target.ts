import { SCOPE, type LtiLaunch } from '@tln/lti-v1p3'
import type { PassbackTarget } from './passback-store.ts'

/**
 * Where a launch's grades go (AGS 2.0 §3.1 endpoint claim): the link's own line item when the
 * platform sent `lineitem` (a graded link made by Deep Linking), else the `lineitems` container
 * with the resource link id (and the catalogue item as `resourceId`) to find or create one. It
 * keeps the claim's `scope`, so the passback asks only for what was granted. Undefined when the
 * launch has no AGS claim or grants no score scope. Pure.
 */
export function passbackTargetOf(launch: Pick<LtiLaunch, 'ags' | 'resourceLink'>, options: { label: string; resourceId?: string }): PassbackTarget | undefined {
  const ags = launch.ags
  if (ags === undefined || !ags.scope.includes(SCOPE.score)) return undefined
  const grantedScopes = [...ags.scope]
  if (ags.lineItem !== undefined) return { lineItemUrl: ags.lineItem, grantedScopes }
  if (ags.lineItems === undefined || launch.resourceLink === undefined) return undefined
  return { lineItemsUrl: ags.lineItems, label: options.label, resourceLinkId: launch.resourceLink.id, ...(options.resourceId !== undefined && { resourceId: options.resourceId }), grantedScopes }
}
