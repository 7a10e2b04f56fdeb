import { CompactSign } from 'jose'
import { CLAIM, LTI_VERSION } from '../claims.ts'
import { importSigningKey } from '../keys/tool-key.ts'
import type { ToolKey } from '../stores/key-store.ts'

/** Who launches, from where, into what: the parts of an LTI message a platform fills in. */
export interface PlatformMessageInput {
  readonly issuer: string
  readonly clientId: string
  readonly deploymentId: string
  readonly nonce: string
  readonly user: { readonly sub: string; readonly name: string; readonly givenName?: string; readonly familyName?: string; readonly email?: string }
  /** LIS role URIs (LTI Core 1.3 §A.2), e.g. `http://purl.imsglobal.org/vocab/lis/v2/membership#Learner`. */
  readonly roles: readonly string[]
  readonly context: { readonly id: string; readonly label: string; readonly title: string }
  readonly targetLinkUri: string
  readonly platform: { readonly guid: string; readonly name: string; readonly productFamilyCode: string }
  readonly returnUrl?: string
  /** Epoch milliseconds. */
  readonly now: number
  /** Seconds the id_token is valid; 60 unless given. */
  readonly ttlS?: number
}

/**
 * The claims of an `LtiResourceLinkRequest` as Moodle sends them (LTI Core 1.3 §5.3–5.4): the
 * required ones, context (course), platform, names and e-mail, launch presentation and custom.
 */
export function resourceLinkClaims(input: PlatformMessageInput, link: { readonly id: string; readonly title: string; readonly custom?: Readonly<Record<string, string>> }, services: PlatformServices = {}): Record<string, unknown> {
  return {
    ...commonClaims(input, 'LtiResourceLinkRequest'),
    [CLAIM.resourceLink]: { id: link.id, title: link.title },
    ...(link.custom !== undefined && { [CLAIM.custom]: link.custom }),
    ...(services.ags !== undefined && {
      [CLAIM.agsEndpoint]: { scope: [...services.ags.scope], lineitems: services.ags.lineItems, ...(services.ags.lineItem !== undefined && { lineitem: services.ags.lineItem }) },
    }),
    ...(services.nrps !== undefined && {
      [CLAIM.nrpsService]: { context_memberships_url: services.nrps.contextMembershipsUrl, service_versions: ['2.0'] },
    }),
  }
}

/**
 * The LTI Advantage services a launch offers: the AGS endpoint claim (AGS 2.0 §3.1: `scope`,
 * `lineitems`, and `lineitem` for a link with its own line item) and the NRPS claim (NRPS 2.0 §3.6.1:
 * `context_memberships_url`, `service_versions`).
 */
export interface PlatformServices {
  readonly ags?: { readonly scope: readonly string[]; readonly lineItems: string; readonly lineItem?: string }
  readonly nrps?: { readonly contextMembershipsUrl: string }
}

/** The claims of an `LtiDeepLinkingRequest` (Deep Linking 2.0 §4.4): `deep_link_return_url` and what the platform accepts. */
export function deepLinkingRequestClaims(input: PlatformMessageInput, settings: { readonly returnUrl: string; readonly data?: string }): Record<string, unknown> {
  return {
    ...commonClaims(input, 'LtiDeepLinkingRequest'),
    [CLAIM.deepLinkingSettings]: {
      deep_link_return_url: settings.returnUrl, accept_types: ['ltiResourceLink'], accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true, accept_lineitem: true, ...(settings.data !== undefined && { data: settings.data }),
    },
  }
}

function commonClaims(input: PlatformMessageInput, messageType: string): Record<string, unknown> {
  const iat = Math.floor(input.now / 1000)
  const { user } = input
  return {
    iss: input.issuer, aud: input.clientId, azp: input.clientId, sub: user.sub, iat, exp: iat + (input.ttlS ?? 60), nonce: input.nonce,
    name: user.name, ...(user.givenName !== undefined && { given_name: user.givenName }), ...(user.familyName !== undefined && { family_name: user.familyName }),
    ...(user.email !== undefined && { email: user.email }),
    [CLAIM.messageType]: messageType, [CLAIM.version]: LTI_VERSION, [CLAIM.deploymentId]: input.deploymentId,
    [CLAIM.targetLinkUri]: input.targetLinkUri, [CLAIM.roles]: [...input.roles],
    [CLAIM.context]: { id: input.context.id, label: input.context.label, title: input.context.title, type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
    [CLAIM.toolPlatform]: { guid: input.platform.guid, name: input.platform.name, product_family_code: input.platform.productFamilyCode, version: LTI_VERSION },
    [CLAIM.launchPresentation]: { document_target: 'window', locale: 'id', ...(input.returnUrl !== undefined && { return_url: input.returnUrl }) },
  }
}

/** Signs claims as a platform's id_token: RS256 with the key's `kid` (LTI Core 1.3 §5.1.2, Security Framework 1.0 §5.1.3). */
export async function signPlatformMessage(claims: Readonly<Record<string, unknown>>, key: ToolKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .sign(await importSigningKey(key))
}
