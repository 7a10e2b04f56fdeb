/**
 * A teacher's transcript as a 1EdTech Comprehensive Learner Record 2.0 ClrCredential (CLR 2.0,
 * Appendix "Data Models": #clrcredential, #clrsubject, #association; proof: #jwt-proof, the
 * VC-JWT of OB 3.0), built from fixed inputs and checked one rule per test.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { achievementId } from '../../src/badges/achievement.ts'
import { badgeUrls, CLR_CREDENTIAL_SCHEMA, CLR_V2_CONTEXT, OB_V3_CONTEXT, VC_V2_CONTEXT } from '../../src/badges/badge-urls.ts'
import { issuerJwks } from '../../src/badges/badge-verify.ts'
import { buildClrCredential, competenceAchievementId, type ClrInput, type ProficientRating } from '../../src/badges/clr.ts'
import { subjectId } from '../../src/badges/credential.ts'
import { hashedIdentity, identityMatches } from '../../src/badges/identity-hash.ts'
import { generateIssuerKey, type IssuerKey } from '../../src/badges/issuer-keys.ts'
import type { ClrCredential, CompetenceCredential } from '../../src/badges/types.ts'
import { signCredential, verifyCredentialJwt } from '../../src/badges/vc-jwt.ts'
import { SMALL } from '../fixtures/small-framework.ts'
import { fixtureCredential, ISSUER, LEARNER, PUBLIC_URL, TIER, TIER_RULE } from './badge-fixtures.ts'

const NOW = new Date('2026-06-01T00:00:00Z')
const rating = (code: string, value = 0.8): ProficientRating => ({ code, rating: value, method: 'decayingAverage(w=0.65)', configVersion: 3, ratedAt: new Date('2026-05-20T08:30:15.400Z') })
const badge = fixtureCredential()
const identity = hashedIdentity(LEARNER, 'fedcba9876543210fedcba9876543210')
let ids = 0

function input(overrides: Partial<ClrInput> = {}): ClrInput {
  return {
    id: '0a0b0c0d-0000-4000-8000-000000000001', publicUrl: PUBLIC_URL, issuer: ISSUER, identity,
    badges: [badge], ratings: [rating('PED'), rating('PED.C'), rating('PED.C.2', 0.9), rating('SOS.B.2')],
    framework: SMALL, rules: [TIER_RULE],
    tierOfAchievement: new Map([[badge.credentialSubject.achievement.id, TIER.id]]),
    validFrom: '2026-06-01T00:00:00Z', newId: () => `0a0b0c0d-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    ...overrides,
  }
}

const clr = buildClrCredential(input())!
const competence = (code: string) => clr.credentialSubject.verifiableCredential.find((vc) => 'result' in vc.credentialSubject && vc.credentialSubject.achievement.humanCode === code) as CompetenceCredential

describe('ClrCredential (CLR 2.0 #clrcredential)', () => {
  it('@context: the VC 2.0 context first, the CLR 2.0 context second (then OB 3.0\'s, whose terms the embedded credentials use)', () => {
    expect(clr['@context']).toEqual([VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT])
  })

  it('type: includes VerifiableCredential and ClrCredential', () => {
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential'])
  })

  it('id, name, issuer (a Profile), validFrom: present; issuer is the tenant\'s badge issuer', () => {
    expect(clr.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/u)
    expect(clr.name).toContain('Comprehensive Learner Record')
    expect(clr.issuer).toMatchObject({ id: badgeUrls(PUBLIC_URL, ISSUER.slug).issuer, type: ['Profile'], name: ISSUER.name })
    expect(clr.validFrom).toBe('2026-06-01T00:00:00Z')
  })

  it('credentialSchema names the CLR 2.0 JSON schema (1EdTechJsonSchemaValidator2019); partial is false', () => {
    expect(clr.credentialSchema).toEqual([{ id: CLR_CREDENTIAL_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }])
    expect(clr.partial).toBe(false)
  })
})

describe('ClrSubject (CLR 2.0 #clrsubject)', () => {
  it('type includes ClrSubject; the learner is a hashed IdentityObject, never in clear', () => {
    const subject = clr.credentialSubject
    expect(subject.type).toEqual(['ClrSubject'])
    expect(subject.id).toBe(subjectId(identity))
    expect(identityMatches(subject.identifier[0]!, 'siti@example.org')).toBe(true)
    expect(JSON.stringify(clr)).not.toContain('siti@example.org')
  })

  it('verifiableCredential [1..*]: the OpenBadgeCredentials as issued, then an AchievementCredential per proficient competence', () => {
    const vcs = clr.credentialSubject.verifiableCredential
    expect(vcs[0]).toEqual(badge)
    expect(vcs.slice(1).map((vc) => vc.type)).toEqual(Array(4).fill(['VerifiableCredential', 'AchievementCredential']))
    expect(vcs.slice(1).map((vc) => (vc as CompetenceCredential).credentialSubject.achievement.humanCode)).toEqual(['PED', 'PED.C', 'PED.C.2', 'SOS.B.2'])
  })

  it('a competence credential: Competency achievement aligned to its CASE item, the rating as a ScaledScore result, validFrom when it was rated', () => {
    const vc = competence('PED.C.2')
    const achievement = vc.credentialSubject.achievement
    expect(achievement).toMatchObject({ id: competenceAchievementId(ISSUER.tenantId, SMALL.id, 'PED.C.2'), type: ['Achievement'], achievementType: 'Competency', inLanguage: 'id' })
    expect(achievement.alignment).toEqual([expect.objectContaining({ targetType: 'CFItem', targetCode: 'PED.C.2', targetUrl: expect.stringMatching(`^${PUBLIC_URL}/ims/case/v1p0/CFItems/`) })])
    expect(achievement.resultDescription).toEqual([expect.objectContaining({ resultType: 'ScaledScore', valueMin: '0', valueMax: '1' })])
    expect(vc.credentialSubject.result).toEqual([{ type: ['Result'], resultDescription: achievement.resultDescription![0]!.id, value: '0.90' }])
    expect(vc.validFrom).toBe('2026-05-20T08:30:15Z')
    expect(vc['@context']).toEqual([VC_V2_CONTEXT, OB_V3_CONTEXT])
  })

  it('achievement: every achievement the credentials name, each once', () => {
    const listed = clr.credentialSubject.achievement.map((a) => a.id)
    const named = clr.credentialSubject.verifiableCredential.map((vc) => vc.credentialSubject.achievement.id)
    expect(new Set(listed)).toEqual(new Set(named))
    expect(listed).toHaveLength(new Set(listed).size)
    expect(listed[0]).toBe(achievementId(ISSUER.tenantId, TIER.id))
  })

  it('leaves out a rating whose code the framework in force no longer has', () => {
    const out = buildClrCredential(input({ ratings: [rating('PED.C.2'), rating('GONE.A.1')] }))!
    expect(out.credentialSubject.verifiableCredential).toHaveLength(2)
  })

  it('is not made when there is nothing to record (verifiableCredential is [1..*])', () => {
    expect(buildClrCredential(input({ badges: [], ratings: [rating('GONE.A.1')] }))).toBeUndefined()
  })
})

describe('Association (CLR 2.0 #association)', () => {
  const id = (code: string) => competenceAchievementId(ISSUER.tenantId, SMALL.id, code)

  it('type Association; sourceId and targetId are ids of achievements in the ClrSubject', () => {
    const known = new Set(clr.credentialSubject.achievement.map((a) => a.id))
    expect(clr.credentialSubject.association.length).toBeGreaterThan(0)
    for (const a of clr.credentialSubject.association) {
      expect(a.type).toBe('Association')
      expect(known.has(a.sourceId) && known.has(a.targetId)).toBe(true)
    }
  })

  it('a framework parent isParentOf each rated child; no association to what is not rated (SOS.B.2 without SOS.B)', () => {
    const parents = clr.credentialSubject.association.filter((a) => a.associationType === 'isParentOf').map((a) => [a.sourceId, a.targetId])
    expect(parents).toEqual([[id('PED'), id('PED.C')], [id('PED.C'), id('PED.C.2')]])
  })

  it('a completed tier isRelatedTo each rated competence it trains (the evidence rules tie PED.C.2 to the tier)', () => {
    const related = clr.credentialSubject.association.filter((a) => a.associationType === 'isRelatedTo').map((a) => [a.sourceId, a.targetId])
    expect(related).toEqual([[achievementId(ISSUER.tenantId, TIER.id), id('PED')], [achievementId(ISSUER.tenantId, TIER.id), id('PED.C.2')]])
  })
})

describe('VC-JWT proof of a CLR (CLR 2.0 #jwt-proof: OB 3.0 "JSON Web Token Proof Format")', () => {
  let key: IssuerKey
  let jwks: { keys: JWK[] }
  let jwt: string
  const issuerId = badgeUrls(PUBLIC_URL, ISSUER.slug).issuer

  beforeAll(async () => {
    key = await generateIssuerKey()
    jwks = issuerJwks(PUBLIC_URL, ISSUER.slug, [{ thumbprint: key.thumbprint, publicJwk: key.publicJwk, current: true }])
    jwt = await signCredential(clr, key.privateJwk, badgeUrls(PUBLIC_URL, ISSUER.slug).kid(key.thumbprint))
  })

  it('the payload is the ClrCredential with iss = issuer.id, jti = id, sub = credentialSubject.id, nbf = validFrom; jose verifies it against the JWKS', async () => {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['RS256'], issuer: issuerId })
    expect(payload).toMatchObject({ iss: issuerId, jti: clr.id, sub: clr.credentialSubject.id, nbf: Date.parse(clr.validFrom) / 1000, type: ['VerifiableCredential', 'ClrCredential'] })
  })

  it('passes the badges\' named verification checks, every one', async () => {
    const result = await verifyCredentialJwt(jwt, jwks.keys, NOW, issuerId)
    expect(result.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['format', 'issuer-key-known', 'signature', 'credential', 'claims', 'valid-from', 'not-expired'].map((n) => `${n}:passed`))
  })

  it('the credential check fails a ClrCredential whose @context does not put the CLR 2.0 context second', async () => {
    const bad = { ...clr, '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT, CLR_V2_CONTEXT] } as unknown as ClrCredential
    const signed = await signCredential(bad, key.privateJwk, badgeUrls(PUBLIC_URL, ISSUER.slug).kid(key.thumbprint))
    const result = await verifyCredentialJwt(signed, jwks.keys, NOW, issuerId)
    expect(result.checks.find((c) => c.name === 'credential')).toMatchObject({ status: 'failed', detail: expect.stringContaining(CLR_V2_CONTEXT) })
  })

  it('the credential check fails a ClrSubject without verifiableCredential', async () => {
    const bad = { ...clr, credentialSubject: { ...clr.credentialSubject, verifiableCredential: [] } }
    const signed = await signCredential(bad, key.privateJwk, badgeUrls(PUBLIC_URL, ISSUER.slug).kid(key.thumbprint))
    expect((await verifyCredentialJwt(signed, jwks.keys, NOW, issuerId)).checks.find((c) => c.name === 'credential')?.status).toBe('failed')
  })

  it('the claims check fails when iss is not the issuer whose key signed it', async () => {
    const result = await verifyCredentialJwt(jwt, jwks.keys, NOW, badgeUrls(PUBLIC_URL, 'other-tenant').issuer)
    expect(result.checks.find((c) => c.name === 'claims')).toMatchObject({ status: 'failed', detail: expect.stringContaining('other-tenant') })
  })

  it('a changed byte of the payload fails the signature check', async () => {
    const [header, payload, signature] = jwt.split('.')
    const claims = decodeJwt(jwt)
    const forged = Buffer.from(JSON.stringify({ ...claims, name: 'Palsu' })).toString('base64url')
    expect(forged).not.toBe(payload)
    const result = await verifyCredentialJwt(`${header}.${forged}.${signature}`, jwks.keys, NOW, issuerId)
    expect(result.checks.find((c) => c.name === 'signature')?.status).toBe('failed')
  })
})
