import { SCOPE } from '../claims.ts'
import type { PlatformConfiguration } from './platform-configuration.ts'

/** What the tool says about itself at registration (LTI Dynamic Registration 1.0 §3.1, §3.3.2). */
export interface ToolConfiguration {
  readonly clientName: string
  /** e.g. `https://tln.example/lti/login`. */
  readonly initiateLoginUri: string
  /** e.g. `['https://tln.example/lti/launch']`; matched exactly by platforms. */
  readonly redirectUris: readonly string[]
  /** e.g. `https://tln.example/lti/jwks`. */
  readonly jwksUri: string
  /** Default launch URL; its host becomes `domain`. */
  readonly targetLinkUri: string
  /** Launch URL of deep-linking requests; default `targetLinkUri`. */
  readonly deepLinkingUri?: string
  readonly logoUri?: string
  readonly clientUri?: string
  readonly policyUri?: string
  readonly tosUri?: string
  readonly description?: string
  /** Default: AGS (line items, results, scores) and NRPS. Only those the platform lists are asked for. */
  readonly scopes?: readonly string[]
  /** Identity claims wanted in launches; default iss, sub, name, given_name, family_name, email. */
  readonly claims?: readonly string[]
  readonly customParameters?: Readonly<Record<string, string>>
  /** Label of the deep-linking placement shown in the platform. */
  readonly deepLinkingLabel?: string
  /**
   * Where deep linking may be offered, by the spec's and the platforms' names; those the platform
   * lists for `LtiDeepLinkingRequest` are asked for. Default `DEFAULT_DEEP_LINKING_PLACEMENTS`.
   */
  readonly deepLinkingPlacements?: readonly string[]
}

export const DEFAULT_SCOPES = [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score, SCOPE.membershipReadOnly] as const

/**
 * `ContentArea` (the spec's name; Moodle 4.x lists it, Canvas reads it as `link_selection`), and
 * Canvas's `assignment_selection` (a graded assignment) and `link_selection` (a module item).
 */
export const DEFAULT_DEEP_LINKING_PLACEMENTS = ['ContentArea', 'assignment_selection', 'link_selection'] as const

/** The spec's placement for a content picker: asked for when the platform names no placement TLN wants. */
const CONTENT_AREA = 'ContentArea'
/** Scopes of LTI services: a `scopes_supported` without any lists OpenID scopes only (Sakai: `openid`). */
const LTI_SCOPE_PREFIX = 'https://purl.imsglobal.org/spec/lti-'

/**
 * The client registration request body (Dynamic Registration 1.0 §3.5.2; OIDC Dynamic Client
 * Registration 1.0 §2): `application_type: web`, `response_types: ['id_token']`, `grant_types:
 * ['implicit', 'client_credentials']`, `token_endpoint_auth_method: private_key_jwt`, and the
 * `lti-tool-configuration` whose `domain` is the host of `target_link_uri`. Pure.
 * - `scope`: the wanted scopes the platform lists in `scopes_supported`. A list that names no LTI
 *   service (Sakai's `openid`) says nothing about them (OpenID Connect Discovery 1.0 §3: a server
 *   "MAY choose not to advertise some supported scope values"): then all wanted scopes are asked.
 * - `messages`: deep linking first, with the placements the platform lists for it among those TLN
 *   wants, else `ContentArea`. Canvas gives a message without placements `link_selection` and keeps
 *   the first message of each placement: deep linking first makes its `link_selection` the picker.
 *
 * @param platform - what the platform's configuration said (`parsePlatformConfiguration`), if known.
 */
export function buildClientRegistration(tool: ToolConfiguration, platform: Pick<PlatformConfiguration, 'scopesSupported' | 'messagesSupported'> = {}): Record<string, unknown> {
  const wanted = tool.scopes ?? DEFAULT_SCOPES
  const supported = platform.scopesSupported
  const scopes = supported?.some((s) => s.startsWith(LTI_SCOPE_PREFIX)) ? wanted.filter((s) => supported.includes(s)) : wanted
  const optional = (name: string, value: string | undefined) => (value === undefined ? {} : { [name]: value })
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: tool.initiateLoginUri,
    redirect_uris: [...tool.redirectUris],
    client_name: tool.clientName,
    jwks_uri: tool.jwksUri,
    token_endpoint_auth_method: 'private_key_jwt',
    id_token_signed_response_alg: 'RS256',
    scope: scopes.join(' '),
    ...optional('logo_uri', tool.logoUri),
    ...optional('client_uri', tool.clientUri),
    ...optional('policy_uri', tool.policyUri),
    ...optional('tos_uri', tool.tosUri),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': {
      domain: new URL(tool.targetLinkUri).host,
      target_link_uri: tool.targetLinkUri,
      ...optional('description', tool.description),
      ...(tool.customParameters && { custom_parameters: tool.customParameters }),
      claims: [...(tool.claims ?? ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'])],
      messages: [
        {
          type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUri ?? tool.targetLinkUri, ...optional('label', tool.deepLinkingLabel),
          placements: deepLinkingPlacements(tool.deepLinkingPlacements ?? DEFAULT_DEEP_LINKING_PLACEMENTS, platform.messagesSupported),
        },
        { type: 'LtiResourceLinkRequest', target_link_uri: tool.targetLinkUri },
      ],
    },
  }
}

/** The wanted placements the platform lists for deep linking; `ContentArea` when it lists none of them. */
function deepLinkingPlacements(wanted: readonly string[], messages: PlatformConfiguration['messagesSupported']): string[] {
  const offered = messages?.find((m) => m.type === 'LtiDeepLinkingRequest')?.placements ?? []
  const chosen = wanted.filter((p) => offered.includes(p))
  return chosen.length > 0 ? chosen : [CONTENT_AREA]
}
