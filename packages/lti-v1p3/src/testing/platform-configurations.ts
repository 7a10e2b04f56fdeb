import type { ToolConfiguration } from '../registration/tool-registration.ts'

/** The key of the LMS's part of an openid-configuration (LTI Dynamic Registration 1.0 §3.4). */
export const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration'

const AGS = 'https://purl.imsglobal.org/spec/lti-ags/scope'

/** A Moodle 4.x on a sub-path, as the registration tests meet it: the issuer is `$CFG->wwwroot`. */
export const MOODLE_4_ISSUER = 'https://elearning.paud.example.id/moodle'
export const MOODLE_4_CONFIGURATION_URL = `${MOODLE_4_ISSUER}/mod/lti/openid-configuration.php`
export const MOODLE_4_REGISTRATION_URL = `${MOODLE_4_ISSUER}/mod/lti/openid-registration.php`

/** Moodle 4.x's openid-configuration, as `mod/lti/openid-configuration.php` renders it. A fresh object each call. */
export function moodle4Configuration(): Record<string, unknown> {
  return {
    issuer: MOODLE_4_ISSUER,
    token_endpoint: `${MOODLE_4_ISSUER}/mod/lti/token.php`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: `${MOODLE_4_ISSUER}/mod/lti/certs.php`,
    authorization_endpoint: `${MOODLE_4_ISSUER}/mod/lti/auth.php`,
    registration_endpoint: MOODLE_4_REGISTRATION_URL,
    scopes_supported: [`${AGS}/lineitem`, `${AGS}/lineitem.readonly`, `${AGS}/result.readonly`, `${AGS}/score`,
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly', 'https://purl.imsglobal.org/spec/lti-ts/scope/toolsetting', 'openid'],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    [PLATFORM_CONFIGURATION]: {
      product_family_code: 'moodle', version: '4.5.2 (Build: 20250210)',
      messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] }],
      variables: ['basic-lti-launch-request', 'ContentItemSelectionRequest', 'ResourceLink.id', 'User.id'],
    },
  }
}

export const CANVAS_CONFIGURATION_URL = 'https://canvas.instructure.com/api/lti/security/openid-configuration?registration_token=eyJhbGciOi.e30.sig'
/** Canvas Cloud's openid-configuration, as its documentation and `SecurityController#openid_configuration` render it. */
export function canvasConfiguration(): Record<string, unknown> {
  return {
    issuer: 'https://canvas.instructure.com',
    authorization_endpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
    registration_endpoint: 'https://paud-lombok.instructure.com/api/lti/registrations',
    jwks_uri: 'https://sso.canvaslms.com/api/lti/security/jwks',
    token_endpoint: 'https://sso.canvaslms.com/login/oauth2/token',
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    scopes_supported: [`${AGS}/lineitem`, `${AGS}/lineitem.readonly`, `${AGS}/result.readonly`, `${AGS}/score`,
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly', 'https://canvas.instructure.com/lti/public_jwk/scope/update'],
    response_types_supported: ['id_token'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'picture', 'email', 'name', 'given_name', 'family_name', 'locale'],
    subject_types_supported: ['public'],
    authorization_server: 'sso.canvaslms.com',
    [PLATFORM_CONFIGURATION]: {
      product_family_code: 'canvas', version: 'vCloud',
      messages_supported: [
        { type: 'LtiResourceLinkRequest', placements: ['account_navigation', 'course_navigation', 'link_selection'] },
        { type: 'LtiDeepLinkingRequest', placements: ['assignment_selection', 'editor_button', 'link_selection', 'submission_type_selection'] },
      ],
      variables: ['ResourceLink.id', 'Canvas.environment.test'],
      'https://canvas.instructure.com/lti/account_name': 'PAUD Lombok',
    },
  }
}

/** The tool as the registration tests describe it (`ToolConfiguration`). */
export const TEST_TOOL_CONFIGURATION: ToolConfiguration = {
  clientName: 'TLN',
  initiateLoginUri: 'https://tln.example/lti/login',
  redirectUris: ['https://tln.example/lti/launch'],
  jwksUri: 'https://tln.example/lti/jwks',
  targetLinkUri: 'https://tln.example/lti/launch',
  deepLinkingLabel: 'Modul TLN',
}
