import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openPrivateKey, sealPrivateKey } from './sealed-private-key.ts'

const jwk = { kty: 'RSA', n: 'n', e: 'AQAB', d: 'secret-d', kid: 'k1' }
const secret = randomBytes(32)

describe('sealPrivateKey / openPrivateKey (AES-256-GCM, NIST SP 800-38D)', () => {
  it('round-trips a private JWK, and the sealed text does not contain it', () => {
    const sealed = sealPrivateKey(jwk, 'k1', secret)
    expect(sealed).not.toContain('secret-d')
    expect(openPrivateKey(sealed, 'k1', secret)).toEqual(jwk)
  })
  it('uses a fresh IV each time', () => expect(sealPrivateKey(jwk, 'k1', secret)).not.toBe(sealPrivateKey(jwk, 'k1', secret)))
  it('fails with another secret', () =>
    expect(() => openPrivateKey(sealPrivateKey(jwk, 'k1', secret), 'k1', randomBytes(32))).toThrow(expect.objectContaining({ code: 'ERR_LTI_SEALED_KEY_INVALID' })))
  it('fails when moved to another kid (kid is authenticated data)', () =>
    expect(() => openPrivateKey(sealPrivateKey(jwk, 'k1', secret), 'k2', secret)).toThrow(expect.objectContaining({ code: 'ERR_LTI_SEALED_KEY_INVALID' })))
  it('fails when tampered', () => {
    const parts = sealPrivateKey(jwk, 'k1', secret).split('.')
    parts[2] = Buffer.from('tampered').toString('base64url')
    expect(() => openPrivateKey(parts.join('.'), 'k1', secret)).toThrow(expect.objectContaining({ code: 'ERR_LTI_SEALED_KEY_INVALID' }))
  })
  it('throws TypeError for a secret that is not 32 bytes (a configuration mistake)', () =>
    expect(() => sealPrivateKey(jwk, 'k1', randomBytes(16))).toThrow(TypeError))
})
