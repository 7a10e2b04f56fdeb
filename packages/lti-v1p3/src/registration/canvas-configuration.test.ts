import { describe, expect, it } from 'vitest'
import { parsePlatformConfiguration } from './platform-configuration.ts'

/**
 * Canvas Cloud's openid-configuration, in the shape its SecurityController#openid_configuration
 * renders it: every Instructure-hosted Canvas shares the issuer `https://canvas.instructure.com`,
 * serves the configuration from that host, keeps the OIDC endpoints on `sso.canvaslms.com`, the
 * registration endpoint on the school's own domain, and names a bare host as `authorization_server`.
 */
const CANVAS_CONFIGURATION_URL = 'https://canvas.instructure.com/api/lti/security/openid-configuration?registration_token=eyJhbGciOi.e30.sig'
const canvasConfiguration = {
  issuer: 'https://canvas.instructure.com',
  authorization_endpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  registration_endpoint: 'https://paud-lombok.instructure.com/api/lti/registrations',
  jwks_uri: 'https://sso.canvaslms.com/api/lti/security/jwks',
  token_endpoint: 'https://sso.canvaslms.com/login/oauth2/token',
  token_endpoint_auth_methods_supported: ['private_key_jwt'],
  token_endpoint_auth_signing_alg_values_supported: ['RS256'],
  scopes_supported: ['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'],
  response_types_supported: ['id_token'],
  id_token_signing_alg_values_supported: ['RS256'],
  claims_supported: ['sub', 'picture', 'email', 'name', 'given_name', 'family_name', 'locale'],
  subject_types_supported: ['public'],
  authorization_server: 'sso.canvaslms.com',
  'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'canvas', version: 'OpenSource', messages_supported: [{ type: 'LtiResourceLinkRequest' }] },
}

describe('a Canvas Cloud openid-configuration (Dynamic Registration 1.0 §3.4–3.5.1)', () => {
  it('is accepted: the issuer is a prefix of the configuration URL on the same origin, the endpoints may live elsewhere (§3.5.1)', () => {
    const parsed = parsePlatformConfiguration(canvasConfiguration, CANVAS_CONFIGURATION_URL)
    expect(parsed).toMatchObject({
      issuer: 'https://canvas.instructure.com',
      authorizationEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      tokenEndpoint: 'https://sso.canvaslms.com/login/oauth2/token',
      registrationEndpoint: 'https://paud-lombok.instructure.com/api/lti/registrations',
      authorizationServer: 'sso.canvaslms.com',
      productFamilyCode: 'canvas',
    })
  })
  it('is refused when served from a school domain while claiming the shared Canvas issuer (§3.5.1: a platform cannot claim another\'s issuer)', () => {
    expect(() => parsePlatformConfiguration(canvasConfiguration, 'https://paud-lombok.instructure.com/api/lti/security/openid-configuration'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH' }))
  })
})
