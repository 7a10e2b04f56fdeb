import { LtiError } from '../errors.ts'

/** The two fields of the launch form post the validation needs. */
export interface LaunchForm {
  readonly idToken: string
  readonly state: string
}

/**
 * Read the authentication response posted to the redirect URI (Security Framework 1.0 §5.1.1.3;
 * OIDC Core 1.0 §3.2.2.5 form_post). A platform that cannot authenticate the user answers with
 * `error` instead (OIDC Core 1.0 §3.1.2.6), surfaced as `ERR_LTI_PLATFORM_ERROR_RESPONSE`.
 */
export function readLaunchForm(body: Readonly<Record<string, unknown>> | undefined): LaunchForm {
  const form = body ?? {}
  if (typeof form.error === 'string') {
    throw new LtiError('ERR_LTI_PLATFORM_ERROR_RESPONSE', 'the platform answered the authentication request with an error', {
      error: form.error,
      errorDescription: typeof form.error_description === 'string' ? form.error_description : undefined,
    })
  }
  if (typeof form.id_token !== 'string' || form.id_token === '') {
    throw new LtiError('ERR_LTI_MISSING_ID_TOKEN', 'the launch carries no id_token (Security Framework 1.0 §5.1.1.3)')
  }
  if (typeof form.state !== 'string' || form.state === '') {
    throw new LtiError('ERR_LTI_STATE_MISSING', 'the launch carries no state (Security Framework 1.0 §5.1.1.3)')
  }
  return { idToken: form.id_token, state: form.state }
}
