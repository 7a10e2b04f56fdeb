import { describe, expect, it } from 'vitest'
import { SCOPE } from '../claims.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { renderRegistrationClosePage } from './close-page.ts'
import { parsePlatformConfiguration } from './platform-configuration.ts'
import { startRegistration } from './start-registration.ts'
import { TEST_TOOL_CONFIGURATION } from '../testing/platform-configurations.ts'

/** What a configuration needs besides its URLs (LTI DR 1.0 §3.4; OpenID Connect Discovery 1.0 §3). */
const members = {
  token_endpoint_auth_methods_supported: ['private_key_jwt'], id_token_signing_alg_values_supported: ['RS256'],
  response_types_supported: ['id_token'], subject_types_supported: ['public'],
  'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '4.5', messages_supported: [{ type: 'LtiResourceLinkRequest' }] },
}

const tool = TEST_TOOL_CONFIGURATION

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
        messages: [{ type: 'LtiDeepLinkingRequest', label: 'Modul TLN' }, { type: 'LtiResourceLinkRequest' }],
      },
    })
    // lineitem.readonly is not in the double's scopes_supported: only supported scopes are asked for.
    expect(String(sent?.scope).split(' ').sort()).toEqual([SCOPE.lineItem, SCOPE.resultReadOnly, SCOPE.score, SCOPE.membershipReadOnly].sort())
  })
  it('fails with the platform status when the registration token is refused', async () => {
    const double = await createPlatformDouble()
    await expect(startRegistration({ openidConfigurationUrl: double.services.openidConfigurationUrl, registrationToken: 'wrong', tool, fetch: double.fetch }))
      .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_FAILED', detail: { step: 'registration', status: 401, platformError: 'invalid registration token' } })
  })
  it('names a configuration URL it could not reach without its query, where Canvas puts the registration token (a credential, never in a page or a log)', async () => {
    const unreachable = async (): Promise<Response> => { throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 203.0.113.9:443') }) }
    const refusal = (await startRegistration({ openidConfigurationUrl: 'https://canvas.example.edu/api/lti/security/openid-configuration?registration_token=token-sekali-pakai-123', tool, fetch: unreachable })
      .catch((error: unknown) => error)) as { code: string; message: string; detail: unknown; url: string }
    expect(refusal).toMatchObject({ code: 'ERR_LTI_SERVICE_NETWORK', url: 'https://canvas.example.edu/api/lti/security/openid-configuration' })
    expect(JSON.stringify([refusal.message, refusal.detail, refusal.url])).not.toContain('token-sekali-pakai-123')
  })

  it('rejects a configuration whose issuer is not a prefix of its URL (§3.5.1)', () => {
    const config = { issuer: 'https://other.example', authorization_endpoint: 'https://other.example/a', token_endpoint: 'https://other.example/t', jwks_uri: 'https://other.example/j', registration_endpoint: 'https://other.example/r' }
    expect(() => parsePlatformConfiguration(config, 'https://lms.example.org/.well-known/openid-configuration'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH' }))
    expect(() => parsePlatformConfiguration({ ...config, issuer: 'https://lms.example.org/moodle' }, 'https://lms.example.org/.well-known/openid-configuration'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH' }))
  })
  it('rejects a configuration without the endpoints or without RS256', () => {
    const base = { ...members, issuer: 'https://lms.example.org', authorization_endpoint: 'https://lms.example.org/a', token_endpoint: 'https://lms.example.org/t', jwks_uri: 'https://lms.example.org/j', registration_endpoint: 'https://lms.example.org/r' }
    const url = 'https://lms.example.org/mod/lti/openid-configuration.php'
    expect(parsePlatformConfiguration(base, url).issuer).toBe('https://lms.example.org')
    expect(() => parsePlatformConfiguration({ ...base, jwks_uri: undefined }, url)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
    expect(() => parsePlatformConfiguration({ ...base, token_endpoint: 'http://lms.example.org/t' }, url)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
    expect(() => parsePlatformConfiguration({ ...base, id_token_signing_alg_values_supported: ['HS256'] }, url)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
  })
  it('refuses an openid_configuration that is not an https URL before fetching anything (Dynamic Registration 1.0 §3.5.1: platform URLs are https; no SSRF from the open /register)', async () => {
    const asked: string[] = []
    const spy = async (url: string) => { asked.push(url); return new Response('{}') }
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:5432/', 'http://localhost/admin', 'file:///etc/passwd', 'ftp://lms.example.org/x']) {
      await expect(startRegistration({ openidConfigurationUrl: url, tool, fetch: spy }))
        .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' })
    }
    expect(asked).toEqual([])
  })
  it('does not follow a redirect of the openid-configuration (an https URL must not lead the tool to an internal one)', async () => {
    const asked: Array<{ url: string; redirect: RequestRedirect | undefined }> = []
    const redirecting = async (url: string, init?: RequestInit) => {
      asked.push({ url, redirect: init?.redirect })
      return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } })
    }
    await expect(startRegistration({ openidConfigurationUrl: 'https://lms.example.org/mod/lti/openid-configuration.php', tool, fetch: redirecting }))
      .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_FAILED', detail: { step: 'openid-configuration', status: 302 } })
    expect(asked).toEqual([{ url: 'https://lms.example.org/mod/lti/openid-configuration.php', redirect: 'manual' }])
  })
  it('accepts plain-http loopback platform URLs only when the caller allows them (development)', async () => {
    const base = { ...members, issuer: 'http://127.0.0.1:8080', authorization_endpoint: 'http://127.0.0.1:8080/a', token_endpoint: 'http://127.0.0.1:8080/t', jwks_uri: 'http://127.0.0.1:8080/j', registration_endpoint: 'http://127.0.0.1:8080/r' }
    const url = 'http://127.0.0.1:8080/mod/lti/openid-configuration.php'
    expect(() => parsePlatformConfiguration(base, url)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
    expect(parsePlatformConfiguration(base, url, { allowHttpLoopback: true }).registrationEndpoint).toBe('http://127.0.0.1:8080/r')
    // A public https configuration may not send the registration to loopback either.
    const https = { issuer: 'https://lms.example.org', authorization_endpoint: 'https://lms.example.org/a', token_endpoint: 'https://lms.example.org/t', jwks_uri: 'https://lms.example.org/j', registration_endpoint: 'http://localhost:9000/r' }
    expect(() => parsePlatformConfiguration(https, 'https://lms.example.org/mod/lti/openid-configuration.php')).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' }))
  })
  it.each([
    ['credentials', 'https://admin:secret@lms.example.org/j'],
    ['fragment', 'https://lms.example.org/j#keys'],
    ['too-long', `https://lms.example.org/${'j'.repeat(2000)}`],
  ] as const)('refuses a configuration endpoint that breaks the %s rule, as an operator\'s URL would be (RFC 9110 §4.2.4; RFC 6749 §3.1)', (rule, jwksUri) => {
    const base = { ...members, issuer: 'https://lms.example.org', authorization_endpoint: 'https://lms.example.org/a', token_endpoint: 'https://lms.example.org/t', jwks_uri: jwksUri, registration_endpoint: 'https://lms.example.org/r' }
    expect(() => parsePlatformConfiguration(base, 'https://lms.example.org/mod/lti/openid-configuration.php'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION', detail: expect.objectContaining({ field: 'openid-configuration jwks_uri', rule }) }))
  })
  it('renders a close page that loads the close script and escapes the message (§3.6)', () => {
    const html = renderRegistrationClosePage({ message: 'Pending <activation>', scriptSrc: '/lti/close.js' })
    expect(html).toContain('Pending &#60;activation&#62;')
    expect(html).toContain('<script src="/lti/close.js"></script>')
  })
})
