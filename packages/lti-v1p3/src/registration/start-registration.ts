import { LtiServiceError } from '../errors.ts'
import type { FetchLike } from '../fetch-like.ts'
import { isObject, stringOf } from '../launch/id-token-claims.ts'
import type { Platform } from '../platform.ts'
import { readJson, send } from '../services/http.ts'
import { checkPlatformUrl, parsePlatformConfiguration, type PlatformConfiguration, type PlatformUrlPolicy } from './platform-configuration.ts'
import { buildClientRegistration, type ToolConfiguration } from './tool-registration.ts'

export interface StartRegistrationInput extends PlatformUrlPolicy {
  /** `openid_configuration` query parameter of the registration initiation (untrusted). */
  readonly openidConfigurationUrl: string
  /** `registration_token` query parameter, if the platform sent one. */
  readonly registrationToken?: string
  readonly tool: ToolConfiguration
  readonly fetch?: FetchLike
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
 * save. The app then renders `renderRegistrationClosePage` (§3.6 `org.imsglobal.lti.close`).
 */
export async function startRegistration(input: StartRegistrationInput): Promise<Registration> {
  // Anyone may call the tool's /register: the URL is checked before the tool requests it.
  const configUrl = input.openidConfigurationUrl
  checkPlatformUrl(configUrl, 'openid_configuration', input)
  const auth: Record<string, string> = input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {}
  // Dynamic Registration 1.0 §3.4: the registration token MAY be sent to fetch the configuration too.
  // Redirects are not followed: a checked https URL could otherwise lead to an internal one.
  const configResponse = await send(input.fetch, configUrl, { headers: { accept: 'application/json', ...auth }, redirect: 'manual' })
  const configuration = parsePlatformConfiguration(await readJson(configResponse, configUrl), configUrl, input)

  const registrationUrl = configuration.registrationEndpoint
  const response = await send(input.fetch, registrationUrl, {
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
