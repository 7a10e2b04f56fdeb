/**
 * A Deep Linking content item of type `ltiResourceLink` (Deep Linking 2.0 §3.2; AGS 2.0 §3.4
 * "Declarative" line item creation via the `lineItem` property).
 */
export interface LtiResourceLinkItem {
  readonly type: 'ltiResourceLink'
  readonly title?: string
  readonly text?: string
  /** Launch URL of the link; defaults at the platform to the tool's target_link_uri. */
  readonly url?: string
  readonly custom?: Readonly<Record<string, string>>
  readonly lineItem?: {
    readonly scoreMaximum: number
    readonly label?: string
    readonly resourceId?: string
    readonly tag?: string
    readonly gradesReleased?: boolean
  }
  readonly available?: { readonly startDateTime?: string; readonly endDateTime?: string }
  readonly submission?: { readonly startDateTime?: string; readonly endDateTime?: string }
  readonly iframe?: { readonly width?: number; readonly height?: number }
  readonly window?: { readonly targetName?: string; readonly width?: number; readonly height?: number }
}

/** Other content item types (link, file, html, image) pass through as the app builds them. */
export interface OtherContentItem {
  readonly type: 'link' | 'file' | 'html' | 'image'
  readonly [property: string]: unknown
}

export type ContentItem = LtiResourceLinkItem | OtherContentItem
