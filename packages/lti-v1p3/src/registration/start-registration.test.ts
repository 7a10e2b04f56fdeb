import { describe, expect, it } from 'vitest'
import { SCOPE } from '../claims.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { renderRegistrationClosePage } from './close-page.ts'
import { parsePlatformConfiguration } from './platform-configuration.ts'
import { startRegistration } from './start-registration.ts'
import type { ToolConfiguration } from './tool-registration.ts'

const tool: ToolConfiguration = {
  clientName: 'TLN',
  initiateLoginUri: 'https://tln.example/lti/login',
  redirectUris: ['https://tln.example/lti/launch'],
  jwksUri: 'https://tln.example/lti/jwks',
  targetLinkUri: 'https://tln.example/lti/launch',
  deepLinkingLabel: 'Modul TLN',
}

describe('startRegistration (LTI Dynamic Registration 1.0 §3)', () => {
  it('registers with the platform and returns the platform record and deployment to save', async () => {
    const double = await createPlatformDouble()
    const result = await startRegistration({ openidConfigurationUrl: double.services.openidConfigurationUrl, registrationToken: double.services.registrationToken, tool, fetch: double.fetch })
    expect(result.platform).toEqual(double.platform)
    expect(result.deploymentId).toBe('deployment-1')
  })
  it('sends the registration Moodle requires (§3.3; OIDC Registration §2)', async () => {
    const double = await createPlatformDouble()
    await startRegistration({ openidConfigurationUrl: double.services.openidConfigurationUrl, registrationToken: double.services.registrationToken, tool, fetch: double.fetch })
    const [sent] = double.services.registrations
    expect(sent).toMatchObject({
      application_type: 'web', response_types: ['id_token'], grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: tool.initiateLoginUri, redirect_uris: tool.redirectUris, jwks_uri: tool.jwksUri,
      token_endpoint_auth_method: 'private_key_jwt',
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        domain: 'tln.example', target_link_uri: tool.targetLinkUri,
        messages: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', label: 'Modul TLN' }],
      },
    })
    // lineitem.readonly is not in the double's scopes_supported: only supported scopes are asked for.
    expect(String(sent?.scope).split(' ').sort()).toEqual([SCOPE.lineItem, SCOPE.resultReadOnly, SCOPE.score, SCOPE.membershipReadOnly].sort())
  })
  it('fails with the platform status when the registration token is refused', async () => {
    const double = await createPlatformDouble()
    await expect(startRegistration({ openidConfigurationUrl: double.services.openidConfigurationUrl, registrationToken: 'wrong', tool, fetch: double.fetch }))
      .rejects.toMatchObject({ code: 'ERR_LTI_SERVICE_HTTP', status: 401 })
  })
  it('rejects a configuration whose issuer is not a prefix of its URL (§3.5.1)', () => {
    const config = { issuer: 'https://other.example', authorization_endpoint: 'https://other.example/a', token_endpoint: 'https://other.example/t', jwks_uri: 'https://other.example/j', registration_endpoint: 'https://other.example/r' }
    expect(() => parsePlatformConfiguration(config, 'https://lms.example.org/.well-known/openid-configuration'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH' }))
    expect(() => parsePlatformConfiguration({ ...config, issuer: 'https://lms.example.org/moodle' }, 'https://lms.example.org/.well-known/openid-configuration'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH' }))
  })
  it('rejects a configuration without the endpoints or without RS256', () => {
    const base = { issuer: 'https://lms.example.org', authorization_endpoint: 'https://lms.example.org/a', token_endpoint: 'https://lms.example.org/t', jwks_uri: 'https://lms.example.org/j', registration_endpoint: 'https://lms.example.org/r' }
    const url = 'https://lms.example.org/mod/lti/openid-configuration.php'
    expect(parsePlatformConfiguration(base, url).issuer).toBe('https://lms.example.org')
    expect(() => parsePlatformConfiguration({ ...base, jwks_uri: undefined }, url)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
    expect(() => parsePlatformConfiguration({ ...base, token_endpoint: 'http://lms.example.org/t' }, url)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
    expect(() => parsePlatformConfiguration({ ...base, id_token_signing_alg_values_supported: ['HS256'] }, url)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
  })
  it('renders a close page that loads the close script and escapes the message (§3.6)', () => {
    const html = renderRegistrationClosePage({ message: 'Pending <activation>', scriptSrc: '/lti/close.js' })
    expect(html).toContain('Pending &#60;activation&#62;')
    expect(html).toContain('<script src="/lti/close.js"></script>')
  })
})
