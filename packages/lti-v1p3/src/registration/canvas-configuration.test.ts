import { describe, expect, it } from 'vitest'
import { parsePlatformConfiguration } from './platform-configuration.ts'
import { canvasConfiguration, CANVAS_CONFIGURATION_URL } from '../testing/platform-configurations.ts'

/**
 * Canvas Cloud's openid-configuration, in the shape its SecurityController#openid_configuration
 * renders it: every Instructure-hosted Canvas shares the issuer `https://canvas.instructure.com`,
 * serves the configuration from that host, keeps the OIDC endpoints on `sso.canvaslms.com`, the
 * registration endpoint on the school's own domain, and names a bare host as `authorization_server`.
 */
const canvas = canvasConfiguration()

describe('a Canvas Cloud openid-configuration (Dynamic Registration 1.0 §3.4–3.5.1)', () => {
  it('is accepted: the issuer is a prefix of the configuration URL on the same origin, the endpoints may live elsewhere (§3.5.1)', () => {
    const parsed = parsePlatformConfiguration(canvas, CANVAS_CONFIGURATION_URL)
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
    expect(() => parsePlatformConfiguration(canvas, 'https://paud-lombok.instructure.com/api/lti/security/openid-configuration'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH' }))
  })
})
