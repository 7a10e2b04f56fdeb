import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { SCOPE } from '../claims.ts'
import { generateToolKey, importSigningKey, publicJwkOf } from '../keys/tool-key.ts'
import type { ToolKey } from '../stores/key-store.ts'
import { checkTokenRequest, JWT_BEARER, type ExpectedTokenRequest } from './token-request.ts'

const TOKEN_URL = 'https://lms.example/token'
const NOW = Date.UTC(2026, 10, 30, 6, 0, 0)
const tool = await generateToolKey(NOW)
const stranger = await generateToolKey(NOW)

function expected(seen = new Set<string>()): ExpectedTokenRequest {
  return {
    clientId: 'tool-1', tokenEndpoint: TOKEN_URL, toolJwks: { keys: [publicJwkOf(tool)] }, scopes: [SCOPE.score, SCOPE.lineItem], now: NOW,
    consumeJti: async (jti) => (seen.has(jti) ? false : (seen.add(jti), true)),
  }
}
async function assertion(over: { aud?: string; iss?: string; sub?: string; jti?: string | null; exp?: number | null; key?: ToolKey } = {}): Promise<string> {
  const iat = Math.floor(NOW / 1000)
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: (over.key ?? tool).kid }).setIssuer(over.iss ?? 'tool-1').setSubject(over.sub ?? 'tool-1')
    .setAudience(over.aud ?? TOKEN_URL).setIssuedAt(iat)
  if (over.exp !== null) jwt.setExpirationTime(over.exp ?? iat + 300)
  if (over.jti !== null) jwt.setJti(over.jti ?? 'jti-1')
  return jwt.sign(await importSigningKey(over.key ?? tool))
}
const form = (clientAssertion: string, changes: Record<string, string> = {}) =>
  new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: clientAssertion, scope: SCOPE.score, ...changes })
const errorOf = async (f: URLSearchParams, e = expected()) => {
  const r = await checkTokenRequest(f, e)
  return r.ok ? undefined : `${r.problem.status} ${r.problem.error}`
}

describe('checkTokenRequest (Security Framework 1.0 §4.1; RFC 7523 §3; errors per RFC 6749 §5.2)', () => {
  it('grants the scopes asked for to a valid assertion', async () => {
    expect(await checkTokenRequest(form(await assertion()), expected())).toEqual({ ok: true, scopes: [SCOPE.score] })
  })
  it('refuses a grant other than client_credentials: 400 unsupported_grant_type (RFC 6749 §5.2)', async () => {
    expect(await errorOf(form(await assertion(), { grant_type: 'password' }))).toBe('400 unsupported_grant_type')
  })
  it('refuses another client_assertion_type or none: 400 invalid_request (RFC 7523 §2.2)', async () => {
    expect(await errorOf(form(await assertion(), { client_assertion_type: 'x' }))).toBe('400 invalid_request')
    expect(await errorOf(form(''))).toBe('400 invalid_request')
  })
  it('refuses an aud other than the token endpoint: 401 invalid_client (RFC 7523 §3, item 3)', async () => {
    expect(await errorOf(form(await assertion({ aud: 'https://lms.example/auth' })))).toBe('401 invalid_client')
  })
  it('refuses iss or sub other than the client id: 401 invalid_client (RFC 7523 §3, items 1–2)', async () => {
    expect(await errorOf(form(await assertion({ iss: 'tool-2' })))).toBe('401 invalid_client')
    expect(await errorOf(form(await assertion({ sub: 'someone' })))).toBe('401 invalid_client')
  })
  it('refuses an assertion without exp or expired: 401 invalid_client (RFC 7523 §3, item 4)', async () => {
    expect(await errorOf(form(await assertion({ exp: null })))).toBe('401 invalid_client')
    expect(await errorOf(form(await assertion({ exp: Math.floor(NOW / 1000) - 60 })))).toBe('401 invalid_client')
  })
  it('refuses a key not in the tool\'s JWKS (unknown kid): 401 invalid_client', async () => {
    expect(await errorOf(form(await assertion({ key: stranger })))).toBe('401 invalid_client')
  })
  it('refuses a reused jti, and an assertion without one: 401 invalid_client (RFC 7523 §3, item 7)', async () => {
    const e = expected()
    const once = await assertion({ jti: 'once' })
    expect(await errorOf(form(once), e)).toBeUndefined()
    expect(await errorOf(form(once), e)).toBe('401 invalid_client')
    expect(await errorOf(form(await assertion({ jti: null })))).toBe('401 invalid_client')
  })
  it('refuses a parameter given twice: 400 invalid_request naming it (RFC 6749 §3.2: "MUST NOT be included more than once")', async () => {
    const twice = form(await assertion({ jti: 'twice' }))
    twice.append('client_assertion', await assertion({ jti: 'other' }))
    const r = await checkTokenRequest(twice, expected())
    expect(r).toMatchObject({ ok: false, problem: { status: 400, error: 'invalid_request', errorDescription: expect.stringContaining('client_assertion is repeated') } })
  })
  it('refuses an exp more than an hour ahead, which would keep its jti for ages or past any date: 401 invalid_client (RFC 7523 §3, item 4)', async () => {
    const seen = new Set<string>()
    for (const exp of [Math.floor(NOW / 1000) + 7200, 1e20]) expect(await errorOf(form(await assertion({ exp, jti: `far-${exp}` })), expected(seen))).toBe('401 invalid_client')
    expect(seen.size).toBe(0)
  })
  it('refuses a jti longer than 255 characters or with control characters, which the platform could not keep: 401 invalid_client (RFC 7523 §3, item 7)', async () => {
    const seen = new Set<string>()
    expect(await errorOf(form(await assertion({ jti: 'j'.repeat(256) })), expected(seen))).toBe('401 invalid_client')
    expect(await errorOf(form(await assertion({ jti: 'a\u0000b' })), expected(seen))).toBe('401 invalid_client')
    expect(seen.size).toBe(0)
  })
  it('refuses a scope not granted or none: 400 invalid_scope, and burns no jti', async () => {
    const seen = new Set<string>()
    expect(await errorOf(form(await assertion({ jti: 'keep' }), { scope: SCOPE.membershipReadOnly }), expected(seen))).toBe('400 invalid_scope')
    expect(await errorOf(form(await assertion({ jti: 'keep' }), { scope: '' }), expected(seen))).toBe('400 invalid_scope')
    expect(seen.size).toBe(0)
  })
})
