import { LtiError, LtiServiceError } from '../errors.ts'
import type { FetchLike } from '../fetch-like.ts'
import { isObject, stringOf } from '../launch/id-token-claims.ts'
import type { Platform } from '../platform.ts'
import { createGuardedFetch, type ResolveHost } from '../outbound/guarded-fetch.ts'
import { MAX_SERVICE_RESPONSE_BYTES, parseJson, readBoundedText, send } from '../services/http.ts'
import { checkPlatformUrl, parsePlatformConfiguration, withoutQuery, type PlatformConfiguration, type PlatformUrlPolicy } from './platform-configuration.ts'
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
 * save. The platform's error answers, or an answer without client_id, are
 * `ERR_LTI_REGISTRATION_FAILED` naming the step and what the platform said (`platformErrorOf`). Both URLs come from whoever called the open initiation URL: each is checked
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
  // Dynamic Registration 1.0 §3.4: the registration token MAY be sent to fetch the configuration too (Canvas requires it).
  // Redirects are not followed: a checked https URL could otherwise lead to an internal one.
  const configResponse = await platformStep('openid-configuration', configUrl, () => send(doFetch, configUrl, { headers: { accept: 'application/json', ...auth }, redirect: 'manual' }))
  const configuration = parsePlatformConfiguration(await readConfiguration(configResponse, configUrl), configUrl, input)

  const registrationUrl = configuration.registrationEndpoint
  const response = await platformStep('registration', registrationUrl, () => send(doFetch, registrationUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...auth },
    body: JSON.stringify(buildClientRegistration(input.tool, configuration)),
  }))
  const answer = await platformStep('registration', registrationUrl, async () => parseJson(await readBoundedText(response, registrationUrl, MAX_SERVICE_RESPONSE_BYTES), registrationUrl, response.status))
  const clientId = isObject(answer) ? stringOf(answer.client_id) : undefined
  if (!isObject(answer) || clientId === undefined) {
    throw registrationFailed('registration', registrationUrl, { status: response.status, problem: 'the answer has no client_id' })
  }
  const toolConfig = answer['https://purl.imsglobal.org/spec/lti-tool-configuration']
  // A string (LTI DR 1.0 §3.6.1; Moodle's); a platform that sends a whole number means the same id.
  const rawDeployment = isObject(toolConfig) ? toolConfig.deployment_id : undefined
  const deploymentId = Number.isSafeInteger(rawDeployment) ? String(rawDeployment) : stringOf(rawDeployment)
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

/** Which request of the registration failed: the configuration's GET or the registration's POST. */
type RegistrationStep = 'openid-configuration' | 'registration'

/**
 * The platform's own answer failed the registration: an HTTP error (Moodle's 400 "missing required
 * attribute …", 401 "token_already_used"; an RFC 7591 §3.2.2 error), an answer that is not JSON, or
 * one without client_id. `detail` says which step, the URL (without its query, which may hold the
 * registration token), the status and what the platform said (`platformError`), for the page.
 */
function registrationFailed(step: RegistrationStep, url: string, detail: { status?: number; platformError?: string; problem?: string }, cause?: unknown): LtiError {
  const shown = withoutQuery(url)
  const said = detail.platformError ?? detail.problem
  return new LtiError('ERR_LTI_REGISTRATION_FAILED', `${step} request to ${shown} failed${detail.status === undefined ? '' : ` with ${detail.status}`}${said === undefined ? '' : `: ${said}`}`,
    { step, url: shown, ...detail }, cause === undefined ? undefined : { cause })
}

/**
 * Run one request of the registration; an HTTP error or an answer that is not JSON becomes
 * `registrationFailed`. A network failure stays one, named by the URL without its query: Canvas's
 * configuration URL carries the registration token, a credential that must not reach a page or a log.
 */
async function platformStep<T>(step: RegistrationStep, url: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    if (error instanceof LtiServiceError && error.code === 'ERR_LTI_SERVICE_NETWORK') {
      const shown = withoutQuery(url)
      throw new LtiServiceError('ERR_LTI_SERVICE_NETWORK', `${step} request to ${shown} failed: the platform could not be reached`, shown, undefined, undefined, { cause: error.cause })
    }
    if (!(error instanceof LtiServiceError)) throw error
    const platformError = error.code === 'ERR_LTI_SERVICE_HTTP' ? platformErrorOf(error.body ?? '') : undefined
    const problem = error.code === 'ERR_LTI_SERVICE_INVALID_RESPONSE' ? 'the answer is not JSON' : undefined
    throw registrationFailed(step, url, { ...(error.status !== undefined && { status: error.status }), ...(platformError !== undefined && { platformError }), ...(problem !== undefined && { problem }) }, error)
  }
}

/** The longest platform message repeated to the administrator. */
const MAX_PLATFORM_ERROR = 300

/**
 * What a platform's error answer says, in one line: RFC 7591 §3.2.2 `error` and `error_description`,
 * Canvas's `errorMessage` or `errors[].message`, or a short plain text (Moodle's). An HTML page
 * says nothing useful: undefined.
 */
export function platformErrorOf(body: string): string | undefined {
  const text = body.trim()
  if (text === '' || text.startsWith('<')) return undefined
  let said: string | undefined = text
  if (text.startsWith('{')) {
    let json: unknown
    try { json = JSON.parse(text) } catch { json = undefined }
    if (!isObject(json)) return undefined
    const errors = Array.isArray(json.errors) ? json.errors.map((e: unknown) => (isObject(e) ? stringOf(e.message) : undefined)).filter((m) => m !== undefined) : []
    const error = stringOf(json.error)
    const description = stringOf(json.error_description)
    said = error !== undefined ? (description !== undefined ? `${error}: ${description}` : error) : stringOf(json.errorMessage) ?? errors[0]
  }
  // One line of printable text: a platform's message ends up on a page and in a log line.
  const line = said?.replace(/[\u0000-\u001f\u007f]+/gu, ' ').trim()
  if (line === undefined || line === '') return undefined
  return line.length > MAX_PLATFORM_ERROR ? `${line.slice(0, MAX_PLATFORM_ERROR)}…` : line
}

/**
 * The configuration's JSON (OpenID Connect Discovery 1.0 §4.2: "a JSON object using the
 * application/json content type"), at most `MAX_SERVICE_RESPONSE_BYTES`. A body of another type (a
 * portal's HTML page answered 200), too big or not JSON is an invalid configuration, named.
 */
async function readConfiguration(response: Response, url: string): Promise<unknown> {
  const invalid = (problem: string): never => {
    throw new LtiError('ERR_LTI_REGISTRATION_INVALID_CONFIGURATION', `openid-configuration refused: ${problem}`, { field: 'openid-configuration', problem })
  }
  const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
  if (type !== undefined && type !== '' && type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/u.test(type)) {
    await response.body?.cancel().catch(() => undefined)
    invalid(`the answer is ${type}, not application/json`)
  }
  let text: string
  try {
    text = await readBoundedText(response, url, MAX_SERVICE_RESPONSE_BYTES)
  } catch (error) {
    if (error instanceof LtiServiceError && error.code === 'ERR_LTI_SERVICE_INVALID_RESPONSE') invalid(`the answer is larger than ${MAX_SERVICE_RESPONSE_BYTES} bytes`)
    throw error
  }
  try {
    return JSON.parse(text)
  } catch {
    return invalid('the answer is not JSON')
  }
}
