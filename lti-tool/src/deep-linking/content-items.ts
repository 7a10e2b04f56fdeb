import type { LtiResourceLinkItem } from '@tln/lti-v1p3'
import type { CatalogueItem } from '../catalogue.ts'

/** Custom parameter names TLN puts on its links (LTI Core 1.3 §5.4.6), read back at launch. */
export const CUSTOM = { item: 'tln_item', kind: 'tln_kind', taskType: 'tln_task_type' } as const

/** The launch target of an item: below `/lti`, on the tool's origin, so the login accepts it as `target_link_uri`. */
export function itemUrl(publicUrl: string, itemId: string): string {
  return `${publicUrl}/lti/items/${encodeURIComponent(itemId)}`
}

/**
 * Catalogue items → Deep Linking 2.0 `ltiResourceLink` content items (§3.2): `url` the item's
 * launch target, `custom` naming the item, and for a graded task a declarative `lineItem`
 * (AGS 2.0 §3.2.7 via Deep Linking: "scoreMaximum" required) whose `resourceId` is the item id and
 * `tag` the task type — unless the platform said it takes no line items (`accept_lineitem: false`).
 * Pure.
 */
export function contentItemsFor(items: readonly CatalogueItem[], options: { publicUrl: string; acceptLineItem?: boolean }): LtiResourceLinkItem[] {
  return items.map((item) => ({
    type: 'ltiResourceLink',
    title: item.title.id,
    text: `${item.description.id} / ${item.description.en}`,
    url: itemUrl(options.publicUrl, item.id),
    custom: {
      [CUSTOM.item]: item.id,
      [CUSTOM.kind]: item.kind,
      ...(item.kind === 'task' && { [CUSTOM.taskType]: item.taskType }),
    },
    ...(item.kind === 'task' && options.acceptLineItem !== false && {
      lineItem: { scoreMaximum: item.scoreMaximum, label: item.title.id, resourceId: item.id, tag: item.taskType },
    }),
  }))
}
