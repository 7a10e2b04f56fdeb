import { CompactSign, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { createPlatformJwks } from '../keys/platform-jwks.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { T0 } from '../testing/launch-harness.ts'
import { verifySignature } from './verify-signature.ts'

const double = await createPlatformDouble({ now: () => T0 })
const header = { kid: double.kid, alg: 'RS256' } as const
const jwks = () => createPlatformJwks({ fetch: double.fetch, now: () => T0 })

describe('verifySignature (Security Framework 1.0 §5.1.3 step 1)', () => {
  it('returns the payload of a token signed by the platform key', async () => {
    const claims = await verifySignature(await double.sign({ iss: double.issuer, n: 1 }), header, double.platform, jwks())
    expect(claims).toEqual({ iss: double.issuer, n: 1 })
  })
  it('names the platform whose token it is to the JWKS, so an app can fetch per platform (a guarded fetch for a dynamically registered one)', async () => {
    const base = jwks()
    const asked: unknown[] = []
    const platform = { ...double.platform, dynamicallyRegistered: true }
    await verifySignature(await double.sign({ iss: double.issuer }), header, platform, { getKey: (uri, h, p) => { asked.push(p); return base.getKey(uri, h) } })
    expect(asked).toEqual([platform])
  })
  it('rejects a token signed with another RSA key under the platform kid', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    await expect(verifySignature(await double.sign({ a: 1 }, { key: privateKey }), header, double.platform, jwks())).rejects.toMatchObject({ code: 'ERR_LTI_SIGNATURE_INVALID' })
  })
  it('rejects a tampered payload', async () => {
    const [h, , s] = (await double.sign({ role: 'Learner' })).split('.')
    const forged = `${h}.${Buffer.from(JSON.stringify({ role: 'Instructor' })).toString('base64url')}.${s}`
    await expect(verifySignature(forged, header, double.platform, jwks())).rejects.toMatchObject({ code: 'ERR_LTI_SIGNATURE_INVALID' })
  })
  it('rejects HS256 with the public key as secret even if the header check were bypassed', async () => {
    const token = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'HS256', kid: double.kid }).sign(new TextEncoder().encode(double.publicKeyPem))
    await expect(verifySignature(token, header, double.platform, jwks())).rejects.toMatchObject({ code: 'ERR_LTI_ALG_NOT_ALLOWED' })
  })
  it('rejects a payload that is not a JSON object', async () => {
    const token = await new CompactSign(new TextEncoder().encode('[1]')).setProtectedHeader({ alg: 'RS256', kid: double.kid }).sign(double.privateKey)
    await expect(verifySignature(token, header, double.platform, jwks())).rejects.toMatchObject({ code: 'ERR_LTI_MALFORMED_TOKEN' })
  })
})
