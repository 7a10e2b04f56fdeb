import { LtiServiceError } from '../errors.ts'
import type { FetchLike } from '../fetch-like.ts'
import { isObject, stringOf } from '../launch/id-token-claims.ts'
import type { Platform } from '../platform.ts'
import { createGuardedFetch, type ResolveHost } from '../outbound/guarded-fetch.ts'
import { readJson, send } from '../services/http.ts'
import { checkPlatformUrl, parsePlatformConfiguration, type PlatformConfiguration, type PlatformUrlPolicy } from './platform-configuration.ts'
import { buildClientRegistration, type ToolConfiguration } from './tool-registration.ts'

export interface StartRegistrationInput extends PlatformUrlPolicy {
  /** `openid_configuration` query parameter of the registration initiation (untrusted). */
  readonly openidConfigurationUrl: string
  /** `registration_token` query parameter, if the platform sent one. */
  readonly registrationToken?: string
  readonly tool: ToolConfiguration
  /**
   * Outgoing HTTP. Default: `createGuardedFetch` under this policy, which refuses hosts that
   * resolve to special-purpose addresses and pins the connection to the checked address. An
   * injected fetch (a test's platform double) is the network itself: only `checkPlatformUrl` runs.
   */
  readonly fetch?: FetchLike
  /** Host name resolution of the default fetch; tests inject it. */
  readonly resolve?: ResolveHost
}

export interface Registration {
  /** The platform record to save (under the tenant of the admin who registered). */
  readonly platform: Platform
  /** Deployment created by the platform, if it said (Moodle does). */
  readonly deploymentId?: string
  readonly configuration: PlatformConfiguration
  /** The platform's full answer, for the audit log. */
  readonly response: Readonly<Record<string, unknown>>
}

/**
 * LTI Dynamic Registration 1.0 §3: fetch the platform's openid-configuration, validate it, POST
 * the client registration with the registration token as bearer (§3.5.2), and return what to
 * save. Both URLs come from whoever called the open initiation URL: each is checked
 * (`checkPlatformUrl`) and requested through the guarded fetch (no special-purpose addresses,
 * OWASP SSRF Prevention Cheat Sheet) unless the caller injects its own. The `jwks_uri` is only
 * saved, not fetched, here. The app then renders `renderRegistrationClosePage` (§3.6 `org.imsglobal.lti.close`).
 */
export async function startRegistration(input: StartRegistrationInput): Promise<Registration> {
  // Anyone may call the tool's /register: the URL is checked before the tool requests it.
  const configUrl = input.openidConfigurationUrl
  checkPlatformUrl(configUrl, 'openid_configuration', input)
  const doFetch = input.fetch ?? createGuardedFetch({
    allowLoopback: input.allowHttpLoopback === true,
    ...(input.allowPrivate !== undefined && { allowPrivate: input.allowPrivate }), ...(input.resolve !== undefined && { resolve: input.resolve }),
  })
  const auth: Record<string, string> = input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {}
  // Dynamic Registration 1.0 §3.4: the registration token MAY be sent to fetch the configuration too.
  // Redirects are not followed: a checked https URL could otherwise lead to an internal one.
  const configResponse = await send(doFetch, configUrl, { headers: { accept: 'application/json', ...auth }, redirect: 'manual' })
  const configuration = parsePlatformConfiguration(await readJson(configResponse, configUrl), configUrl, input)

  const registrationUrl = configuration.registrationEndpoint
  const response = await send(doFetch, registrationUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...auth },
    body: JSON.stringify(buildClientRegistration(input.tool, configuration.scopesSupported)),
  })
  const answer = await readJson(response, registrationUrl)
  const clientId = isObject(answer) ? stringOf(answer.client_id) : undefined
  if (!isObject(answer) || clientId === undefined) {
    throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', 'registration answer has no client_id', registrationUrl, response.status)
  }
  const toolConfig = answer['https://purl.imsglobal.org/spec/lti-tool-configuration']
  const deploymentId = isObject(toolConfig) ? stringOf(toolConfig.deployment_id) : undefined
  return {
    platform: {
      issuer: configuration.issuer,
      clientId,
      authorizationEndpoint: configuration.authorizationEndpoint,
      tokenEndpoint: configuration.tokenEndpoint,
      jwksUri: configuration.jwksUri,
      ...(configuration.authorizationServer && { authorizationServer: configuration.authorizationServer }),
    },
    ...(deploymentId && { deploymentId }),
    configuration,
    response: answer,
  }
}
