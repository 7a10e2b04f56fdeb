import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import { generateToolKey, importSigningKey, publicJwkOf } from '../keys/tool-key.ts'
import type { ToolKey } from '../stores/key-store.ts'
import { checkDeepLinkingResponse, type ExpectedDeepLinkingResponse } from './deep-linking-response.ts'

const ISSUER = 'https://lms.example'
const NOW = Date.UTC(2026, 10, 30, 6, 0, 0)
const IAT = Math.floor(NOW / 1000)
const tool = await generateToolKey(NOW)

function expected(seen = new Set<string>()): ExpectedDeepLinkingResponse {
  return {
    clientId: 'tool-1', issuer: ISSUER, deploymentId: 'dep-1', toolJwks: { keys: [publicJwkOf(tool)] }, now: NOW,
    consumeNonce: async (nonce) => (seen.has(nonce) ? false : (seen.add(nonce), true)),
  }
}
/** A Deep Linking response as the tool signs it (Deep Linking 2.0 §4.5), with `changes` (undefined deletes a claim). */
async function response(changes: Record<string, unknown> = {}, key: ToolKey = tool): Promise<string> {
  const claims: Record<string, unknown> = {
    iss: 'tool-1', aud: ISSUER, iat: IAT, exp: IAT + 300, nonce: 'nonce-1',
    [CLAIM.messageType]: 'LtiDeepLinkingResponse', [CLAIM.version]: '1.3.0', [CLAIM.deploymentId]: 'dep-1', [CLAIM.contentItems]: [],
  }
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete claims[k]; else claims[k] = v
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(await importSigningKey(key))
}
const fieldOf = async (jwt: string, e = expected()) => {
  const r = await checkDeepLinkingResponse(jwt, e)
  return r.ok ? undefined : r.problem.field
}

describe('checkDeepLinkingResponse (Deep Linking 2.0 §4.5; Security Framework 1.0 §5.2.3)', () => {
  it('accepts the tool\'s signed response and returns its claims', async () => {
    const r = await checkDeepLinkingResponse(await response(), expected())
    expect(r).toMatchObject({ ok: true, payload: { nonce: 'nonce-1', [CLAIM.deploymentId]: 'dep-1' } })
  })

  it('accepts a response once: the same nonce again is refused (Security Framework 1.0 §5.2.3, item 9)', async () => {
    const e = expected()
    const jwt = await response()
    expect(await fieldOf(jwt, e)).toBeUndefined()
    const again = await checkDeepLinkingResponse(jwt, e)
    expect(again).toMatchObject({ ok: false, problem: { field: 'nonce', rule: 'Security Framework 1.0 §5.2.3, item 9' } })
  })

  it('requires exp, iat and nonce (Security Framework 1.0 §5.2.2)', async () => {
    for (const claim of ['exp', 'iat', 'nonce']) expect(await fieldOf(await response({ [claim]: undefined })), claim).toBe('JWT')
  })

  it('refuses an expired response, one whose lifetime is over an hour, and one issued in the future (Security Framework 1.0 §5.2.3, items 7–8)', async () => {
    expect(await fieldOf(await response({ exp: IAT - 60 }))).toBe('JWT')
    expect(await fieldOf(await response({ exp: IAT + 7200 }))).toBe('exp')
    expect(await fieldOf(await response({ exp: 1e20 }))).toBe('exp')
    expect(await fieldOf(await response({ iat: IAT + 600, exp: IAT + 900 }))).not.toBeUndefined()
  })

  it('refuses an iss other than the client id and an aud other than the platform, or with another audience (Security Framework 1.0 §5.2.3, items 2–3, 5)', async () => {
    expect(await fieldOf(await response({ iss: 'tool-2' }))).toBe('JWT')
    expect(await fieldOf(await response({ aud: 'https://other.example' }))).toBe('JWT')
    expect(await fieldOf(await response({ aud: [ISSUER, 'https://other.example'] }))).toBe('aud')
    expect(await fieldOf(await response({ azp: 'https://other.example' }))).toBe('azp')
  })

  it('refuses another message type, version or deployment (Deep Linking 2.0 §4.5)', async () => {
    expect(await fieldOf(await response({ [CLAIM.messageType]: 'LtiResourceLinkRequest' }))).toBe(CLAIM.messageType)
    expect(await fieldOf(await response({ [CLAIM.version]: '1.1' }))).toBe(CLAIM.version)
    expect(await fieldOf(await response({ [CLAIM.deploymentId]: 'dep-2' }))).toBe(CLAIM.deploymentId)
    expect(await fieldOf(await response({ [CLAIM.deploymentId]: undefined }))).toBe(CLAIM.deploymentId)
  })

  it('refuses a nonce it could not keep (over 255 characters, control characters), and burns no nonce for a refused response', async () => {
    const seen = new Set<string>()
    expect(await fieldOf(await response({ nonce: 'n'.repeat(256) }), expected(seen))).toBe('nonce')
    expect(await fieldOf(await response({ nonce: 'a\u0000b' }), expected(seen))).toBe('nonce')
    expect(await fieldOf(await response({ nonce: 'kept', [CLAIM.deploymentId]: 'dep-2' }), expected(seen))).toBe(CLAIM.deploymentId)
    expect(seen.size).toBe(0)
  })

  it('refuses a response signed by a key not in the tool\'s JWKS, or with alg none', async () => {
    expect(await fieldOf(await response({}, await generateToolKey(NOW)))).toBe('JWT')
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${(await response()).split('.')[1]}.`
    expect(await fieldOf(unsigned)).toBe('JWT')
  })
})
