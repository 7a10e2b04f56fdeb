import { describe, expect, it } from 'vitest'
import { checkAuthenticationRequest, type ExpectedAuthentication } from './authentication-request.ts'

const expected: ExpectedAuthentication = {
  clientId: 'tln-demo-lms', redirectUris: ['https://tln.example/lti/launch'],
  hintIssued: (loginHint, messageHint) => loginHint === 'user-1' && messageHint === 'hint-1',
}
const valid = {
  scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: 'tln-demo-lms',
  redirect_uri: 'https://tln.example/lti/launch', login_hint: 'user-1', lti_message_hint: 'hint-1', state: 'state-1', nonce: 'nonce-1',
}
const check = (changes: Record<string, string | undefined>) => {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...valid, ...changes })) if (v !== undefined) params.set(k, v)
  return checkAuthenticationRequest(params, expected)
}
const fieldOf = (changes: Record<string, string | undefined>) => {
  const result = check(changes)
  return result.ok ? undefined : result.problem.field
}

describe('checkAuthenticationRequest (the platform side of Security Framework 1.0 §5.1.1.2)', () => {
  it('accepts the request the tool sends, and returns its state, nonce and hints', () => {
    expect(check({})).toEqual({ ok: true, request: { clientId: 'tln-demo-lms', redirectUri: 'https://tln.example/lti/launch', loginHint: 'user-1', ltiMessageHint: 'hint-1', state: 'state-1', nonce: 'nonce-1' } })
  })

  it('refuses a redirect_uri that is not registered for the client (Security Framework 1.0 §5.1.1.2: the platform MUST validate it)', () => {
    expect(fieldOf({ redirect_uri: 'https://attacker.example/lti/launch' })).toBe('redirect_uri')
    expect(fieldOf({ redirect_uri: 'https://tln.example/lti/launch?x=1' })).toBe('redirect_uri')
  })

  it('refuses another client_id (Security Framework 1.0 §5.1.1.2)', () => {
    expect(fieldOf({ client_id: 'other' })).toBe('client_id')
  })

  it('refuses a response_mode other than form_post and a response_type other than id_token (Security Framework 1.0 §5.1.1.2)', () => {
    expect(fieldOf({ response_mode: 'query' })).toBe('response_mode')
    expect(fieldOf({ response_type: 'code' })).toBe('response_type')
    expect(fieldOf({ scope: 'profile' })).toBe('scope')
    expect(fieldOf({ prompt: 'login' })).toBe('prompt')
  })

  it('refuses a login_hint or lti_message_hint the platform did not issue (Security Framework 1.0 §5.1.1.2)', () => {
    expect(fieldOf({ login_hint: 'user-2' })).toBe('login_hint')
    expect(fieldOf({ lti_message_hint: 'forged' })).toBe('login_hint')
    expect(fieldOf({ login_hint: undefined })).toBe('login_hint')
  })

  it('refuses a request without state or nonce (OIDC Core 1.0 §3.1.2.1; Security Framework 1.0 §5.1.1.2)', () => {
    expect(fieldOf({ state: undefined })).toBe('state')
    expect(fieldOf({ nonce: '' })).toBe('nonce')
  })

  it('refuses a parameter given twice, naming it, before anything is compared (RFC 6749 §3.1: "MUST NOT be included more than once")', () => {
    const params = new URLSearchParams(valid)
    params.append('redirect_uri', 'https://attacker.example/lti/launch')
    expect(checkAuthenticationRequest(params, expected)).toMatchObject({ ok: false, problem: { field: 'redirect_uri', rule: 'RFC 6749 §3.1' } })
  })
})
