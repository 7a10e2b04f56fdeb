import { CLAIM, type LtiMessageType } from '../claims.ts'
import type { Platform } from '../platform.ts'
import { normaliseRoles } from '../roles.ts'
import { isObject, stringOf, stringsOf, type VerifiedClaims } from './id-token-claims.ts'

/** A launch that passed every check (LTI Core 1.3 §5; Deep Linking 2.0 §4.4; AGS 2.0 §3.1; NRPS 2.0 §3.6.1). */
export interface LtiLaunch {
  readonly messageType: LtiMessageType
  readonly platform: Platform
  readonly deploymentId: string
  /** Absent for an anonymous launch (LTI Core 1.3 §5.3.6). */
  readonly user: LtiUser
  /** Full role URIs (short names normalised, LTI Core 1.3 §A.2). */
  readonly roles: readonly string[]
  readonly targetLinkUri?: string
  readonly context?: { readonly id: string; readonly label?: string; readonly title?: string; readonly type: readonly string[] }
  readonly resourceLink?: { readonly id: string; readonly title?: string; readonly description?: string }
  readonly launchPresentation?: { readonly documentTarget?: string; readonly returnUrl?: string; readonly locale?: string }
  /** Custom parameters (LTI Core 1.3 §5.4.6); non-string values are dropped. */
  readonly custom: Readonly<Record<string, string>>
  /** AGS endpoint claim (AGS 2.0 §3.1). */
  readonly ags?: { readonly scope: readonly string[]; readonly lineItems?: string; readonly lineItem?: string }
  /** NRPS claim (NRPS 2.0 §3.6.1). */
  readonly nrps?: { readonly contextMembershipsUrl: string; readonly serviceVersions: readonly string[] }
  readonly deepLinking?: DeepLinkingSettings
  /** The whole verified payload, for claims this type does not name. */
  readonly claims: Readonly<Record<string, unknown>>
}

export interface LtiUser {
  readonly sub?: string
  readonly name?: string
  readonly givenName?: string
  readonly familyName?: string
  readonly email?: string
  readonly locale?: string
}

/** Deep Linking 2.0 §4.4.1 `deep_linking_settings`. */
export interface DeepLinkingSettings {
  readonly deepLinkReturnUrl: string
  readonly acceptTypes: readonly string[]
  readonly acceptPresentationDocumentTargets: readonly string[]
  readonly acceptMediaTypes?: string
  readonly acceptMultiple?: boolean
  readonly acceptLineItem?: boolean
  readonly autoCreate?: boolean
  readonly title?: string
  readonly text?: string
  /**
   * Opaque value to echo back unchanged, only if present (Deep Linking 2.0 §4.4.1 `data`). The
   * spec's value is a string; a platform that sends another JSON value gets that back as it was,
   * since dropping it would break the platform's own check of the answer.
   */
  readonly data?: unknown
}

/** Map verified claims to an `LtiLaunch`. Pure; run only after every check passed. */
export function toLaunch(claims: VerifiedClaims, messageType: LtiMessageType, platform: Platform, deploymentId: string): LtiLaunch {
  const obj = (name: string) => (isObject(claims[name]) ? (claims[name] as Readonly<Record<string, unknown>>) : undefined)
  const context = obj(CLAIM.context)
  const link = obj(CLAIM.resourceLink)
  const presentation = obj(CLAIM.launchPresentation)
  const ags = obj(CLAIM.agsEndpoint)
  const nrps = obj(CLAIM.nrpsService)
  const dl = obj(CLAIM.deepLinkingSettings)
  const custom = Object.fromEntries(Object.entries(obj(CLAIM.custom) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'))
  const contextId = stringOf(context?.id)
  const linkId = stringOf(link?.id)
  const membershipsUrl = stringOf(nrps?.context_memberships_url)
  const returnUrl = stringOf(dl?.deep_link_return_url)
  // Deep Linking 2.0 §4.4.1 types these as booleans; an LMS that sends "false" as a string
  // (Moodle 3.x form values) must not be read as "absent", which would mean "several items allowed".
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined)

  return {
    messageType,
    platform,
    deploymentId,
    user: {
      sub: stringOf(claims.sub), name: stringOf(claims.name), givenName: stringOf(claims.given_name),
      familyName: stringOf(claims.family_name), email: stringOf(claims.email), locale: stringOf(claims.locale),
    },
    roles: normaliseRoles(Array.isArray(claims[CLAIM.roles]) ? (claims[CLAIM.roles] as unknown[]) : []),
    targetLinkUri: stringOf(claims[CLAIM.targetLinkUri]),
    ...(contextId && { context: { id: contextId, label: stringOf(context?.label), title: stringOf(context?.title), type: stringsOf(context?.type) ?? [] } }),
    ...(linkId && { resourceLink: { id: linkId, title: stringOf(link?.title), description: stringOf(link?.description) } }),
    ...(presentation && { launchPresentation: { documentTarget: stringOf(presentation.document_target), returnUrl: stringOf(presentation.return_url), locale: stringOf(presentation.locale) } }),
    custom,
    ...(ags && { ags: { scope: stringsOf(ags.scope) ?? [], lineItems: stringOf(ags.lineitems), lineItem: stringOf(ags.lineitem) } }),
    ...(membershipsUrl && { nrps: { contextMembershipsUrl: membershipsUrl, serviceVersions: stringsOf(nrps?.service_versions) ?? [] } }),
    ...(dl && returnUrl && {
      deepLinking: {
        deepLinkReturnUrl: returnUrl,
        acceptTypes: stringsOf(dl.accept_types) ?? [],
        acceptPresentationDocumentTargets: stringsOf(dl.accept_presentation_document_targets) ?? [],
        acceptMediaTypes: stringOf(dl.accept_media_types), acceptMultiple: bool(dl.accept_multiple), acceptLineItem: bool(dl.accept_lineitem),
        autoCreate: bool(dl.auto_create), title: stringOf(dl.title), text: stringOf(dl.text),
        ...(dl.data !== undefined && { data: dl.data }),
      },
    }),
    claims,
  }
}
