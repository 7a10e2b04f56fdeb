import { SCOPE } from '../claims.ts'

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
}

export const DEFAULT_SCOPES = [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score, SCOPE.membershipReadOnly] as const

/**
 * The client registration request body (Dynamic Registration 1.0 §3.3; OIDC Dynamic Client
 * Registration 1.0 §2): `application_type: web`, `response_types: ['id_token']`, `grant_types:
 * ['implicit', 'client_credentials']`, `token_endpoint_auth_method: private_key_jwt`, and the
 * `lti-tool-configuration` whose `domain` is the host of `target_link_uri` (§3.3.2). Pure.
 *
 * @param supportedScopes - the platform's `scopes_supported`, if it published them.
 */
export function buildClientRegistration(tool: ToolConfiguration, supportedScopes?: readonly string[]): Record<string, unknown> {
  const wanted = tool.scopes ?? DEFAULT_SCOPES
  const scopes = supportedScopes ? wanted.filter((s) => supportedScopes.includes(s)) : wanted
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
        { type: 'LtiResourceLinkRequest', target_link_uri: tool.targetLinkUri },
        { type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUri ?? tool.targetLinkUri, ...optional('label', tool.deepLinkingLabel) },
      ],
    },
  }
}

