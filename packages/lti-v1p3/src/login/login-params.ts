import { LtiError } from '../errors.ts'

/**
 * The longest login parameter taken, in characters. `login_hint` and `lti_message_hint` go back
 * into the authentication request's URL (Security Framework 1.0 §5.1.1.2), which the platform's
 * server must accept: RFC 9110 §4.1 asks only for 8,000 octets of request line, so two hints of
 * 4 KiB is the most that can work; and each is kept with the login state until the launch. Real
 * hints are far shorter (Moodle's a short JSON, Canvas's a JWT of about 1 KiB).
 */
export const MAX_LOGIN_PARAM_LENGTH = 4096

/** The parameters of a third-party initiated login (Security Framework 1.0 §5.1.1.1, LTI Core 1.3 §4.1). */
export interface LoginParams {
  readonly iss: string
  readonly loginHint: string
  readonly targetLinkUri: string
  /** Opaque to the tool; MUST be returned unaltered in the authentication request (LTI Core 1.3 §4.1.1). */
  readonly ltiMessageHint?: string
  readonly clientId?: string
  readonly ltiDeploymentId?: string
  /** Name of the frame offering platform storage (LTI Client Side postMessage storage, `lti_storage_target`). */
  readonly ltiStorageTarget?: string
}

/**
 * Read the login initiation from a GET query or a POST form body (Moodle POSTs it). Every
 * parameter is untrusted: each must be a single non-empty string, and `iss` and
 * `target_link_uri` absolute URLs.
 */
export function parseLoginParams(input: Readonly<Record<string, unknown>>): LoginParams {
  const required = (name: string): string => {
    const value = optional(name)
    if (value === undefined) throw new LtiError('ERR_LTI_INVALID_LOGIN_REQUEST', `login initiation lacks ${name} (Security Framework 1.0 §5.1.1.1)`, { param: name })
    return value
  }
  const optional = (name: string): string | undefined => {
    const value = input[name]
    if (value === undefined || value === '') return undefined
    if (typeof value !== 'string') throw new LtiError('ERR_LTI_INVALID_LOGIN_REQUEST', `login parameter ${name} must be a single string`, { param: name })
    if (value.length > MAX_LOGIN_PARAM_LENGTH) {
      throw new LtiError('ERR_LTI_INVALID_LOGIN_REQUEST', `login parameter ${name} is longer than ${MAX_LOGIN_PARAM_LENGTH} characters`, { param: name, length: value.length })
    }
    return value
  }
  const params: LoginParams = {
    iss: required('iss'),
    loginHint: required('login_hint'),
    targetLinkUri: required('target_link_uri'),
    ltiMessageHint: optional('lti_message_hint'),
    clientId: optional('client_id'),
    ltiDeploymentId: optional('lti_deployment_id'),
    ltiStorageTarget: optional('lti_storage_target'),
  }
  for (const name of ['iss', 'target_link_uri'] as const) {
    const value = name === 'iss' ? params.iss : params.targetLinkUri
    if (!URL.canParse(value)) throw new LtiError('ERR_LTI_INVALID_LOGIN_REQUEST', `login parameter ${name} must be an absolute URL`, { param: name })
  }
  return params
}
