import { describe, expect, it } from 'vitest'
import { SCOPE } from '../claims.ts'
import { parsePlatformConfiguration } from './platform-configuration.ts'
import { startRegistration } from './start-registration.ts'
import { buildClientRegistration } from './tool-registration.ts'
import { canvasConfiguration, CANVAS_CONFIGURATION_URL, moodle4Configuration, MOODLE_4_CONFIGURATION_URL, PLATFORM_CONFIGURATION, TEST_TOOL_CONFIGURATION } from '../testing/platform-configurations.ts'

/**
 * LTI Dynamic Registration 1.0 as the platforms TLN meets send it. The configurations follow the
 * platforms' own code: Moodle's `mod/lti/openid-configuration.php` and `openid-registration.php`
 * (4.x: `messages_supported` as objects; 3.10–4.0: as strings), Canvas's registration controller
 * and model (`Lti::IMS::Registration#placements`), Sakai's `LTI13Servlet` (its `scopes_supported`
 * lists only `openid`).
 */
const tool = TEST_TOOL_CONFIGURATION
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration'
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/scope'

const MOODLE_CONFIG_URL = MOODLE_4_CONFIGURATION_URL
const moodle4 = moodle4Configuration
/** Moodle 3.10 to 4.0: `messages_supported` as bare strings, `placements` beside them. */
const moodleStrings = (): Record<string, unknown> => ({
  ...moodle4(),
  [PLATFORM_CONFIGURATION]: {
    product_family_code: 'moodle', version: '4.0.4 (Build: 20220912)',
    messages_supported: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'], placements: ['AddContentMenu'], variables: ['User.id'],
  },
})

const CANVAS_CONFIG_URL = CANVAS_CONFIGURATION_URL
const canvas = canvasConfiguration

const SAKAI_CONFIG_URL = 'https://sakai.paud.example.id/imsblis/lti13/well_known?key=7&clientId=c7&issuerURL=https%3A%2F%2Fsakai.paud.example.id&deploymentId=1'
/** Sakai's `LTI13Servlet`: the defaults of tsugi's `PlatformConfiguration`, `scopes_supported` only `openid`. */
const sakai = (): Record<string, unknown> => ({
  issuer: 'https://sakai.paud.example.id',
  authorization_endpoint: 'https://sakai.paud.example.id/imsoidc/lti13/oidc_auth',
  token_endpoint: 'https://sakai.paud.example.id/imsblis/lti13/token/7',
  jwks_uri: 'https://sakai.paud.example.id/imsblis/lti13/keyset/7',
  registration_endpoint: 'https://sakai.paud.example.id/imsblis/lti13/registration_endpoint/7',
  token_endpoint_auth_methods_supported: ['private_key_jwt'],
  token_endpoint_auth_signing_alg_values_supported: ['RS256'],
  scopes_supported: ['openid'],
  response_types_supported: ['id_token'],
  subject_types_supported: ['public', 'pairwise'],
  id_token_signing_alg_values_supported: ['RS256'],
  claims_supported: ['iss', 'aud'],
  [PLATFORM_CONFIGURATION]: {
    product_family_code: 'sakailms.org', version: '23.3',
    messages_supported: [{ type: 'LtiResourceLinkRequest', placements: [] }, { type: 'LtiDeepLinkingRequest', placements: [] }],
    variables: ['User.id', 'Person.email.primary'],
  },
})

/** A platform double for one configuration: records what the tool sends, answers the registration. */
function platformAt(configUrl: string, configuration: Record<string, unknown>, options: {
  configAnswer?: () => Response
  registrationAnswer?: (body: Record<string, unknown>) => Response
} = {}) {
  const requests: Array<{ url: string; method: string; headers: Headers; body?: Record<string, unknown> }> = []
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers)
    const method = init?.method ?? 'GET'
    if (url === configUrl && method === 'GET') {
      requests.push({ url, method, headers })
      return options.configAnswer?.() ?? Response.json(configuration)
    }
    if (url === configuration.registration_endpoint && method === 'POST') {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>
      requests.push({ url, method, headers, body })
      return options.registrationAnswer?.(body) ?? Response.json({ ...body, client_id: '10000000000042' })
    }
    return new Response('not found', { status: 404 })
  }
  return { fetch, requests }
}

describe('the initiation and the platform configuration (LTI DR 1.0 §3.3, §3.4)', () => {
  it('sends the registration token as the bearer of the configuration request and of the registration, and no Authorization without one (LTI DR 1.0 §3.3; §3.5.2)', async () => {
    const withToken = platformAt(CANVAS_CONFIG_URL, canvas())
    await startRegistration({ openidConfigurationUrl: CANVAS_CONFIG_URL, registrationToken: 'eyJhbGciOi.e30.sig', tool, fetch: withToken.fetch })
    expect(withToken.requests.map((r) => [r.method, r.headers.get('authorization')])).toEqual([['GET', 'Bearer eyJhbGciOi.e30.sig'], ['POST', 'Bearer eyJhbGciOi.e30.sig']])

    const without = platformAt(MOODLE_CONFIG_URL, moodle4())
    await startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, tool, fetch: without.fetch })
    expect(without.requests.map((r) => r.headers.has('authorization'))).toEqual([false, false])
  })

  it.each([
    ['Moodle 4.x (messages_supported as objects)', MOODLE_CONFIG_URL, moodle4],
    ['Moodle 3.10–4.0 (messages_supported as strings)', MOODLE_CONFIG_URL, moodleStrings],
    ['Canvas Cloud (shared issuer, endpoints on other hosts)', CANVAS_CONFIG_URL, canvas],
    ['Sakai (scopes_supported: openid only)', SAKAI_CONFIG_URL, sakai],
  ])('accepts the configuration of %s (LTI DR 1.0 §3.4)', (_name, url, configuration) => {
    expect(parsePlatformConfiguration(configuration(), url).issuer).toBe(configuration().issuer)
  })

  it('accepts a Moodle on a sub-path, whose configuration URL starts with the issuer (LTI DR 1.0 §3.5.1)', () => {
    expect(parsePlatformConfiguration(moodle4(), MOODLE_CONFIG_URL).registrationEndpoint).toBe('https://elearning.paud.example.id/moodle/mod/lti/openid-registration.php')
  })

  it('refuses an issuer that is a prefix of the configuration URL only within a path segment: /moodle is not /moodle2 (LTI DR 1.0 §3.5.1)', () => {
    // Another site on the same host (/moodle2) must not register itself under /moodle's issuer and sign its users' launches.
    const other = 'https://elearning.paud.example.id/moodle2/mod/lti/openid-configuration.php'
    const claimed = { ...moodle4(), registration_endpoint: 'https://elearning.paud.example.id/moodle2/mod/lti/openid-registration.php' }
    expect(() => parsePlatformConfiguration(claimed, other)).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH' }))
    // The issuer may end with "/" and the configuration URL may be the issuer itself with a query.
    expect(parsePlatformConfiguration({ ...moodle4(), issuer: 'https://elearning.paud.example.id/moodle/' }, MOODLE_CONFIG_URL).issuer).toBe('https://elearning.paud.example.id/moodle/')
    expect(parsePlatformConfiguration(canvas(), 'https://canvas.instructure.com?registration_token=x').issuer).toBe('https://canvas.instructure.com')
    // Host names are case-insensitive (RFC 3986 §6.2.2.1); the issuer is kept as the platform wrote it.
    const upper = { ...moodle4(), issuer: 'https://ELearning.PAUD.example.id/moodle' }
    expect(parsePlatformConfiguration(upper, MOODLE_CONFIG_URL).issuer).toBe('https://ELearning.PAUD.example.id/moodle')
  })

  it.each([
    ['token_endpoint_auth_methods_supported', ['client_secret_basic'], 'private_key_jwt'],
    ['token_endpoint_auth_methods_supported', 'private_key_jwt', 'private_key_jwt'],
    ['id_token_signing_alg_values_supported', ['HS256'], 'RS256'],
    ['response_types_supported', ['code'], 'id_token'],
  ])('refuses a configuration whose %s is %j, naming the member (LTI DR 1.0 §3.4; OpenID Connect Discovery 1.0 §3)', (member, value, named) => {
    let refusal: unknown
    try { parsePlatformConfiguration({ ...moodle4(), [member]: value }, MOODLE_CONFIG_URL) } catch (error) { refusal = error }
    expect(refusal).toMatchObject({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION', detail: { field: member } })
    expect((refusal as { detail: { problem: string } }).detail.problem).toContain(named)
  })

  it.each([
    'token_endpoint_auth_methods_supported', 'id_token_signing_alg_values_supported', 'response_types_supported', 'subject_types_supported', PLATFORM_CONFIGURATION,
  ])('accepts a configuration that leaves out %s: an omission is no contradiction, and LTI Security Framework 1.0 requires private_key_jwt, RS256 and id_token of every platform', (member) => {
    const configuration: Record<string, unknown> = moodle4()
    delete configuration[member]
    expect(parsePlatformConfiguration(configuration, MOODLE_CONFIG_URL).issuer).toBe(moodle4().issuer)
  })

  it('reads an lti-platform-configuration without product_family_code, version or messages_supported, and skips message entries without a type (LTI DR 1.0 §3.4)', () => {
    const bare = parsePlatformConfiguration({ ...moodle4(), [PLATFORM_CONFIGURATION]: {} }, MOODLE_CONFIG_URL)
    expect(bare.productFamilyCode).toBeUndefined()
    expect(bare.messagesSupported).toBeUndefined()
    const messy = parsePlatformConfiguration({ ...moodle4(), [PLATFORM_CONFIGURATION]: { messages_supported: [{ placements: ['ContentArea'] }, 'LtiResourceLinkRequest', 7] } }, MOODLE_CONFIG_URL)
    expect(messy.messagesSupported).toEqual([{ type: 'LtiResourceLinkRequest', placements: [] }])
  })

  it.each([
    ['not JSON', () => new Response('<html>Maintenance</html>', { headers: { 'content-type': 'application/json' } }), 'not JSON'],
    ['served as HTML', () => new Response(JSON.stringify(moodle4()), { headers: { 'content-type': 'text/html; charset=utf-8' } }), 'text/html'],
    ['larger than 1 MiB', () => new Response(JSON.stringify({ ...moodle4(), padding: 'x'.repeat(1024 * 1024) }), { headers: { 'content-type': 'application/json' } }), 'larger than'],
    ['a JSON array', () => Response.json([moodle4()]), 'not a JSON object'],
  ])('refuses a configuration answer that is %s as an invalid configuration, naming the problem, registering nothing (LTI DR 1.0 §3.4; OpenID Connect Discovery 1.0 §4.2)', async (_name, configAnswer, named) => {
    const lms = platformAt(MOODLE_CONFIG_URL, moodle4(), { configAnswer })
    const refusal = await startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, tool, fetch: lms.fetch }).catch((error: unknown) => error)
    expect(refusal).toMatchObject({ code: 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION' })
    expect((refusal as { detail: { problem: string } }).detail.problem).toContain(named)
    expect(lms.requests.map((r) => r.method)).toEqual(['GET'])
  })

  it('accepts a configuration served as application/json with parameters or as +json, or without a type (OpenID Connect Discovery 1.0 §4.2)', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/ld+json', undefined]) {
      // A byte body: a string body would get text/plain.
      const configAnswer = () => new Response(new TextEncoder().encode(JSON.stringify(moodle4())), type === undefined ? {} : { headers: { 'content-type': type } })
      const lms = platformAt(MOODLE_CONFIG_URL, moodle4(), { configAnswer })
      await expect(startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, tool, fetch: lms.fetch })).resolves.toMatchObject({ platform: { clientId: '10000000000042' } })
    }
  })

  it('names the step and the status when the configuration URL answers with an error, without the registration token of its query (LTI DR 1.0 §3.4)', async () => {
    const lms = platformAt(CANVAS_CONFIG_URL, canvas(), { configAnswer: () => new Response('{"errors":[{"message":"Invalid access token"}]}', { status: 401, headers: { 'content-type': 'application/json' } }) })
    const refusal = await startRegistration({ openidConfigurationUrl: CANVAS_CONFIG_URL, registrationToken: 'eyJhbGciOi.e30.sig', tool, fetch: lms.fetch }).catch((error: unknown) => error)
    expect(refusal).toMatchObject({ code: 'ERR_LTI_REGISTRATION_FAILED', detail: { step: 'openid-configuration', status: 401, url: 'https://canvas.instructure.com/api/lti/security/openid-configuration', platformError: 'Invalid access token' } })
    expect(JSON.stringify(refusal)).not.toContain('eyJhbGciOi')
    expect((refusal as Error).message).not.toContain('eyJhbGciOi')
  })
})

describe('the client registration request (LTI DR 1.0 §3.5.2)', () => {
  it('POSTs JSON with the members every platform requires (LTI DR 1.0 §3.5.2; OpenID Connect Registration 1.0 §2)', async () => {
    const lms = platformAt(MOODLE_CONFIG_URL, moodle4())
    await startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, registrationToken: 't', tool, fetch: lms.fetch })
    const post = lms.requests[1]!
    expect(post.headers.get('content-type')).toBe('application/json')
    expect(post.body).toMatchObject({
      application_type: 'web', response_types: ['id_token'], grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: tool.initiateLoginUri, redirect_uris: tool.redirectUris, client_name: 'TLN', jwks_uri: tool.jwksUri,
      token_endpoint_auth_method: 'private_key_jwt',
      [TOOL_CONFIGURATION]: { domain: 'tln.example', target_link_uri: tool.targetLinkUri, claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'] },
    })
  })

  it('asks Canvas only for scopes it lists, and for name and email claims, which Canvas reads as the "public" privacy level (LTI DR 1.0 §3.5.2)', () => {
    const body = buildClientRegistration(tool, parsePlatformConfiguration(canvas(), CANVAS_CONFIG_URL))
    expect(String(body.scope).split(' ').sort()).toEqual([SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score, SCOPE.membershipReadOnly].sort())
    expect((body[TOOL_CONFIGURATION] as { claims: string[] }).claims).toEqual(expect.arrayContaining(['name', 'email']))
  })

  it('puts deep linking where the platform offers it: Canvas\'s link_selection and assignment_selection, first, so Canvas\'s one link_selection opens the picker (LTI DR 1.0 §3.5.2 messages)', () => {
    // Canvas keeps one placement per name, the first message's, and gives a message without placements link_selection.
    const body = buildClientRegistration(tool, parsePlatformConfiguration(canvas(), CANVAS_CONFIG_URL))
    expect((body[TOOL_CONFIGURATION] as { messages: unknown[] }).messages).toEqual([
      { type: 'LtiDeepLinkingRequest', target_link_uri: tool.targetLinkUri, label: 'Modul TLN', placements: ['assignment_selection', 'link_selection'] },
      { type: 'LtiResourceLinkRequest', target_link_uri: tool.targetLinkUri },
    ])
  })

  it.each([
    ['Moodle 4.x, which lists ContentArea', MOODLE_CONFIG_URL, moodle4],
    ['Moodle 3.10–4.0, which lists messages as strings', MOODLE_CONFIG_URL, moodleStrings],
    ['Sakai, which lists no placements', SAKAI_CONFIG_URL, sakai],
  ])('asks %s for the ContentArea placement of deep linking (LTI DR 1.0 §3.5.2 messages)', (_name, url, configuration) => {
    const body = buildClientRegistration(tool, parsePlatformConfiguration(configuration(), url))
    const [deepLinking] = (body[TOOL_CONFIGURATION] as { messages: Array<Record<string, unknown>> }).messages
    expect(deepLinking).toMatchObject({ type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] })
  })

  it('still asks Sakai, whose scopes_supported names no LTI service, for the services: Sakai grants them by its own settings (LTI DR 1.0 §3.5.2 scope)', () => {
    const body = buildClientRegistration(tool, parsePlatformConfiguration(sakai(), SAKAI_CONFIG_URL))
    expect(String(body.scope).split(' ')).toContain(SCOPE.score)
  })
})

describe('the registration response (LTI DR 1.0 §3.6)', () => {
  it('returns Canvas\'s client_id without a deployment: Canvas makes one when the tool is installed (LTI DR 1.0 §3.6.1)', async () => {
    const lms = platformAt(CANVAS_CONFIG_URL, canvas())
    const registration = await startRegistration({ openidConfigurationUrl: CANVAS_CONFIG_URL, registrationToken: 't', tool, fetch: lms.fetch })
    expect(registration.platform).toMatchObject({ issuer: 'https://canvas.instructure.com', clientId: '10000000000042', authorizationServer: 'sso.canvaslms.com' })
    expect(registration.deploymentId).toBeUndefined()
  })

  it('returns Moodle\'s deployment_id from the tool configuration of its answer (LTI DR 1.0 §3.6.1)', async () => {
    // Moodle answers application_type and token_endpoint_auth_method oddly; only client_id and deployment_id matter.
    const lms = platformAt(MOODLE_CONFIG_URL, moodle4(), { registrationAnswer: (body) => Response.json({
      client_id: 'Yq3pJf1ex0mZ2aV', application_type: ['web'], token_endpoint_auth_method: 'private_key_jwt',
      [TOOL_CONFIGURATION]: { ...(body[TOOL_CONFIGURATION] as object), deployment_id: '12' },
    }) })
    const registration = await startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, registrationToken: 't', tool, fetch: lms.fetch })
    expect(registration).toMatchObject({ platform: { clientId: 'Yq3pJf1ex0mZ2aV', issuer: 'https://elearning.paud.example.id/moodle' }, deploymentId: '12' })
  })

  it('reads a deployment_id sent as a whole number as that id, and drops one that is no id (LTI DR 1.0 §3.6.1)', async () => {
    for (const [sent, read] of [[12, '12'], [1.5, undefined], [true, undefined]] as const) {
      const lms = platformAt(MOODLE_CONFIG_URL, moodle4(), { registrationAnswer: (body) => Response.json({ client_id: 'c1', [TOOL_CONFIGURATION]: { ...(body[TOOL_CONFIGURATION] as object), deployment_id: sent } }) })
      const registration = await startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, registrationToken: 't', tool, fetch: lms.fetch })
      expect(registration.deploymentId).toBe(read)
    }
  })

  it.each([
    ['Moodle\'s plain-text refusal', new Response('missing required attribute jwks_uri', { status: 400 }), 400, 'missing required attribute jwks_uri'],
    ['Moodle\'s used token', new Response('token_already_used', { status: 401 }), 401, 'token_already_used'],
    ['an RFC 7591 error', Response.json({ error: 'invalid_client_metadata', error_description: 'redirect_uris must be https' }, { status: 400 }), 400, 'invalid_client_metadata: redirect_uris must be https'],
    ['Canvas\'s errorMessage', Response.json({ errorMessage: 'JWT did not include expected contents' }, { status: 401 }), 401, 'JWT did not include expected contents'],
    ['an HTML error page', new Response('<!doctype html><html><body><h1>Error</h1><script>x()</script></body></html>', { status: 500, headers: { 'content-type': 'text/html' } }), 500, undefined],
  ])('names the platform\'s refusal (%s) and its status (LTI DR 1.0 §3.6.2; RFC 7591 §3.2.2)', async (_name, answer, status, platformError) => {
    const lms = platformAt(MOODLE_CONFIG_URL, moodle4(), { registrationAnswer: () => answer })
    const refusal = await startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, registrationToken: 't', tool, fetch: lms.fetch }).catch((error: unknown) => error)
    expect(refusal).toMatchObject({ code: 'ERR_LTI_REGISTRATION_FAILED', detail: { step: 'registration', status, url: 'https://elearning.paud.example.id/moodle/mod/lti/openid-registration.php' } })
    expect((refusal as { detail: { platformError?: string } }).detail.platformError).toBe(platformError)
  })

  it('refuses an answer without client_id as a failed registration, naming the problem (LTI DR 1.0 §3.6.1)', async () => {
    const lms = platformAt(MOODLE_CONFIG_URL, moodle4(), { registrationAnswer: () => Response.json({ registration_status: 'ok' }) })
    await expect(startRegistration({ openidConfigurationUrl: MOODLE_CONFIG_URL, registrationToken: 't', tool, fetch: lms.fetch }))
      .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_FAILED', detail: { step: 'registration', status: 200, problem: 'the answer has no client_id' } })
  })
})
