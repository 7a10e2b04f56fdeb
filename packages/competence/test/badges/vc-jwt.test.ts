/**
 * The VC-JWT proof of a badge: OB 3.0 "JSON Web Token Proof Format" (#jwt-proof: #joseheader,
 * "JWT Payload Format", #jwt-verify, #jwt-verify-credential), checked with jose as a verifier would.
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, SignJWT, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { badgeUrls } from '../../src/badges/badge-urls.ts'
import { issuerJwks } from '../../src/badges/badge-verify.ts'
import { generateIssuerKey, openPrivateJwk, publishedJwk, sealPrivateJwk, type IssuerKey } from '../../src/badges/issuer-keys.ts'
import { signCredential, verifyCredentialJwt } from '../../src/badges/vc-jwt.ts'
import { BadgeError } from '../../src/badges/badge-error.ts'
import { fixtureCredential, ISSUER, PUBLIC_URL } from './badge-fixtures.ts'

const NOW = new Date('2026-06-01T00:00:00Z')
const credential = fixtureCredential()
let key: IssuerKey
let kid: string
let jwt: string
let jwks: { keys: JWK[] }

beforeAll(async () => {
  key = await generateIssuerKey()
  kid = badgeUrls(PUBLIC_URL, ISSUER.slug).kid(key.thumbprint)
  jwt = await signCredential(credential, key.privateJwk, kid)
  jwks = issuerJwks(PUBLIC_URL, ISSUER.slug, [{ thumbprint: key.thumbprint, publicJwk: key.publicJwk, current: true }])
})

/** Sign an arbitrary payload with the issuer key, for the negative cases. */
async function signRaw(payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(await importJWK(key.privateJwk, 'RS256'))
}

function statuses(result: Awaited<ReturnType<typeof verifyCredentialJwt>>): Record<string, string> {
  return Object.fromEntries(result.checks.map((c) => [c.name, c.status]))
}

describe('signing (OB 3.0 #joseheader, "JWT Payload Format")', () => {
  it('writes a JOSE header of alg RS256, kid a URI dereferencing to the JWK, typ JWT and no other header (OB 3.0 #joseheader: "Additional JOSE Headers are NOT allowed")', () => {
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', kid: `${PUBLIC_URL}/badges/issuer/lombok-tengah/jwks#${key.thumbprint}`, typ: 'JWT' })
  })

  it('carries the credential with iss = issuer.id, jti = id, sub = credentialSubject.id, nbf = validFrom (OB 3.0 "JWT Payload Format")', () => {
    const payload = decodeJwt(jwt)
    expect(payload).toMatchObject({ iss: credential.issuer.id, jti: credential.id, sub: credential.credentialSubject.id, nbf: Date.parse(credential.validFrom) / 1000 })
    expect(payload.exp).toBeUndefined()
    const { iss: _i, jti: _j, sub: _s, nbf: _n, ...vc } = payload
    expect(vc).toEqual(JSON.parse(JSON.stringify(credential)))
  })

  it('verifies with jose against the published JWKS, the key picked by kid (OB 3.0 #jwt-verify; #dereference)', async () => {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['RS256'], issuer: credential.issuer.id, currentDate: NOW })
    expect(payload.jti).toBe(credential.id)
  })

  it('publishes only the public members of the key: "The JWK MUST never contain d" (OB 3.0 #joseheader)', () => {
    expect(Object.keys(jwks.keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
    expect(publishedJwk(key.privateJwk, kid)).not.toHaveProperty('d')
  })
})

describe('verification (OB 3.0 #jwt-verify, #jwt-verify-credential), named checks in order', () => {
  it('passes every check for the badge as issued', async () => {
    const result = await verifyCredentialJwt(jwt, jwks.keys, NOW)
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      ['format', 'passed'], ['issuer-key-known', 'passed'], ['signature', 'passed'], ['credential', 'passed'], ['claims', 'passed'], ['valid-from', 'passed'], ['not-expired', 'passed'],
    ])
  })

  it('fails the signature when one payload character is changed, and trusts no claim after it (RFC 7515 §5.2)', async () => {
    const [h, p, s] = jwt.split('.') as [string, string, string]
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>
    payload.name = 'Lulus Diklat Berjenjang Tingkat Mahir'
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`
    const result = await verifyCredentialJwt(tampered, jwks.keys, NOW)
    expect(statuses(result)).toMatchObject({ signature: 'failed', credential: 'skipped', claims: 'skipped', 'not-expired': 'skipped' })
    expect(result.credential).toBeUndefined()
    await expect(jwtVerify(tampered, createLocalJWKSet(jwks), { algorithms: ['RS256'] })).rejects.toThrow()
  })

  it('fails issuer-key-known for a key the issuer never published (OB 3.0 #jwt-verify: dereference the kid)', async () => {
    const other = await generateIssuerKey()
    const foreign = await signCredential(credential, other.privateJwk, badgeUrls(PUBLIC_URL, ISSUER.slug).kid(other.thumbprint))
    expect(statuses(await verifyCredentialJwt(foreign, jwks.keys, NOW))).toMatchObject({ format: 'passed', 'issuer-key-known': 'failed', signature: 'skipped' })
  })

  it('fails format for a JOSE header beyond alg, kid, jwk, typ (OB 3.0 #joseheader: "Additional JOSE Headers are NOT allowed")', async () => {
    const withJku = await signRaw({ ...credential }, { jku: `${PUBLIC_URL}/badges/issuer/lombok-tengah/jwks` })
    const result = await verifyCredentialJwt(withJku, jwks.keys, NOW)
    expect(result.checks[0]).toMatchObject({ name: 'format', status: 'failed', detail: expect.stringContaining('jku') })
  })

  it('fails format for typ other than JWT (OB 3.0 #joseheader: typ "If present, MUST be set to JWT")', async () => {
    const vcTyp = await signRaw({ ...credential }, { typ: 'vc+ld+json+jwt' })
    expect((await verifyCredentialJwt(vcTyp, jwks.keys, NOW)).checks[0]).toMatchObject({ name: 'format', status: 'failed' })
  })

  it('fails claims when iss does not match issuer.id (OB 3.0 #jwt-verify-credential)', async () => {
    const token = await signRaw({ ...credential, iss: 'https://evil.example/issuer', jti: credential.id, sub: credential.credentialSubject.id, nbf: Date.parse(credential.validFrom) / 1000 })
    expect((await verifyCredentialJwt(token, jwks.keys, NOW)).checks.find((c) => c.name === 'claims')).toMatchObject({ status: 'failed', detail: 'iss MUST match issuer.id' })
  })

  it('fails claims when nbf does not equal validFrom (OB 3.0 #jwt-verify-credential: "MUST equal the validFrom")', async () => {
    const token = await signRaw({ ...credential, iss: credential.issuer.id, jti: credential.id, sub: credential.credentialSubject.id, nbf: Date.parse(credential.validFrom) / 1000 - 60 })
    expect((await verifyCredentialJwt(token, jwks.keys, NOW)).checks.find((c) => c.name === 'claims')).toMatchObject({ status: 'failed', detail: 'nbf MUST equal validFrom' })
  })

  it('fails valid-from while validFrom has not yet occurred (OB 3.0 #jwt-verify-credential)', async () => {
    const early = await signCredential(fixtureCredential({ validFrom: '2027-01-01T00:00:00Z' }), key.privateJwk, kid)
    expect(statuses(await verifyCredentialJwt(early, jwks.keys, NOW))).toMatchObject({ claims: 'passed', 'valid-from': 'failed', 'not-expired': 'skipped' })
  })

  it('fails not-expired once validUntil has passed, exp = validUntil (OB 3.0 #jwt-verify-credential)', async () => {
    const expiring = { ...credential, validUntil: '2026-05-31T00:00:00Z' }
    const token = await signCredential(expiring, key.privateJwk, kid)
    expect(decodeJwt(token).exp).toBe(Date.parse('2026-05-31T00:00:00Z') / 1000)
    expect(statuses(await verifyCredentialJwt(token, jwks.keys, NOW))).toMatchObject({ claims: 'passed', 'not-expired': 'failed' })
  })

  it('fails format for what is not a compact JWS', async () => {
    expect((await verifyCredentialJwt('not-a-jwt', jwks.keys, NOW)).checks[0]).toMatchObject({ name: 'format', status: 'failed' })
  })
})

describe('private key at rest (AES-256-GCM, kid bound)', () => {
  const secret = new Uint8Array(32).fill(7)

  it('opens with the same secret and kid, and holds no private member in clear', () => {
    const sealed = sealPrivateJwk(key.privateJwk, key.thumbprint, secret)
    expect(sealed).not.toContain(key.privateJwk.d!)
    expect(openPrivateJwk(sealed, key.thumbprint, secret)).toEqual(key.privateJwk)
  })

  it('refuses another secret or another kid with ERR_BADGE_SEALED_KEY_INVALID', () => {
    const sealed = sealPrivateJwk(key.privateJwk, key.thumbprint, secret)
    expect(() => openPrivateJwk(sealed, key.thumbprint, new Uint8Array(32).fill(8))).toThrow(expect.objectContaining({ code: 'ERR_BADGE_SEALED_KEY_INVALID' }) as BadgeError)
    expect(() => openPrivateJwk(sealed, 'other-kid', secret)).toThrow(expect.objectContaining({ code: 'ERR_BADGE_SEALED_KEY_INVALID' }) as BadgeError)
  })
})
