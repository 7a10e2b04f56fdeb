/**
 * The OpenBadgeCredential of a completed tier, property by property against 1EdTech Open Badges 3.0
 * (https://www.imsglobal.org/spec/ob/v3p0/, spec document 1.4.1, Appendix "Data Models"). The
 * official JSON schema (`ob_v3p0_achievementcredential_schema.json`) is not reachable from here, so
 * each required property is asserted with its section instead.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { achievementId } from '../../src/badges/achievement.ts'
import { hashedIdentity, identityMatches } from '../../src/badges/identity-hash.ts'
import { caseIds } from '../../src/case/case-ids.ts'
import { SMALL } from '../fixtures/small-framework.ts'
import { BADGE_ID, fixtureCredential, ISSUER, LEARNER, PUBLIC_URL, SALT, TIER } from './badge-fixtures.ts'

const credential = fixtureCredential()
const subject = credential.credentialSubject
const achievement = subject.achievement

describe('OpenBadgeCredential (OB 3.0 AchievementCredential)', () => {
  it('starts @context with the VC 2.0 context, then the OB 3.0 context 3.0.3 (VC DM 2.0 §4.3 "Contexts"; OB 3.0 "Context")', () => {
    expect(credential['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'])
  })

  it('has type VerifiableCredential and OpenBadgeCredential (OB 3.0 AchievementCredential.type: "MUST include the IRIs VerifiableCredential and OpenBadgeCredential")', () => {
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential'])
  })

  it('has an id, a URI: the public badge URL (OB 3.0 AchievementCredential.id, required)', () => {
    expect(credential.id).toBe(`${PUBLIC_URL}/badges/${BADGE_ID}`)
    expect(() => new URL(credential.id)).not.toThrow()
  })

  it('has an issuer Profile with id and type Profile, named after the tenant (OB 3.0 AchievementCredential.issuer; Profile.id and Profile.type required)', () => {
    expect(credential.issuer).toMatchObject({ id: `${PUBLIC_URL}/badges/issuer/lombok-tengah`, type: ['Profile'], name: ISSUER.name })
  })

  it('has validFrom, a dateTime with a time zone (OB 3.0 AchievementCredential.validFrom, required; VC DM 2.0 §4.9)', () => {
    expect(credential.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
  })

  it('has a name (OB 3.0 AchievementCredential.name, required)', () => {
    expect(credential.name).toBe('Lulus Diklat Berjenjang Tingkat Dasar')
  })

  it('has a credentialSubject of type AchievementSubject holding the achievement (OB 3.0 AchievementSubject.type and .achievement, required)', () => {
    expect(subject.type).toEqual(['AchievementSubject'])
    expect(subject.achievement.type).toEqual(['Achievement'])
  })

  it('identifies the subject by a hashed IdentityObject and a URN id, never the e-mail in clear (OB 3.0 AchievementSubject: "Either id or at least one identifier MUST be supplied"; IdentityObject)', () => {
    expect(subject.identifier).toEqual([{ type: 'IdentityObject', hashed: true, identityHash: expect.stringMatching(/^sha256\$[0-9a-f]{64}$/), identityType: 'emailAddress', salt: SALT }])
    expect(subject.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
    expect(JSON.stringify(credential)).not.toContain('siti@example.org')
  })

  it('gives the Achievement an id, type, name, description and criteria with a narrative (OB 3.0 Achievement: id, type, name, description, criteria required; Criteria: id or narrative)', () => {
    expect(achievement.id).toBe(achievementId(ISSUER.tenantId, TIER.id))
    expect(achievement.name).toBe('Lulus Diklat Berjenjang Tingkat Dasar')
    expect(achievement.description).toContain('Diklat Berjenjang Tingkat Dasar')
    expect(achievement.criteria.narrative.length).toBeGreaterThan(0)
    expect(achievement.inLanguage).toBe('id')
  })

  it('names the same Achievement in every badge of a tier and tenant (OB 3.0 Achievement.id: a URI; urn:uuid allowed)', () => {
    expect(achievementId(ISSUER.tenantId, TIER.id)).toBe(fixtureCredential({ statusIndex: 9 }).credentialSubject.achievement.id)
    expect(achievementId(ISSUER.tenantId, `${TIER.id}-lanjut`)).not.toBe(achievement.id)
  })

  it('aligns the Achievement to the CASE items the tier covers: targetType CFItem, targetUrl the CASE 1.0 item URI (OB 3.0 Alignment: type, targetName, targetUrl required)', () => {
    expect(achievement.alignment).toEqual([
      {
        type: ['Alignment'], targetName: 'Kompetensi Pedagogik', targetUrl: `${PUBLIC_URL}/ims/case/v1p0/CFItems/${caseIds.item(SMALL.id, 'PED')}`,
        targetCode: 'PED', targetDescription: 'Pedagogical competence', targetFramework: SMALL.title.id, targetType: 'CFItem',
      },
      {
        type: ['Alignment'], targetName: 'Membuat rancangan kegiatan bermain\nharian', targetUrl: `${PUBLIC_URL}/ims/case/v1p0/CFItems/${caseIds.item(SMALL.id, 'PED.C.2')}`,
        targetCode: 'PED.C.2', targetDescription: 'Drafts play plans', targetFramework: SMALL.title.id, targetType: 'CFItem',
      },
    ])
  })

  it('aligns to every competence of the framework when no evidence rule names the tier (a tier trains the four competences)', () => {
    const codes = fixtureCredential({ rules: [] }).credentialSubject.achievement.alignment.map((a) => a.targetCode)
    expect(codes).toEqual(['PED', 'SOS'])
  })

  it('points credentialStatus at the tenant revocation list as a BitstringStatusListEntry, index a base-10 string (VC Bitstring Status List §2.1; OB 3.0 1.3 deprecates VCRL for it)', () => {
    expect(credential.credentialStatus).toEqual({
      id: `${PUBLIC_URL}/badges/revocations/lombok-tengah#7`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
      statusListIndex: '7', statusListCredential: `${PUBLIC_URL}/badges/revocations/lombok-tengah`,
    })
  })

  it('names the OB 3.0 credential schema with the 1EdTech validator (OB 3.0 "CredentialSchema")', () => {
    expect(credential.credentialSchema).toEqual([{ id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json', type: '1EdTechJsonSchemaValidator2019' }])
  })
})

describe('IdentityObject (OB 3.0 IdentityObject, IdentityHash)', () => {
  it('hashes as sha256$ + hex SHA-256 of the UTF-8 identifier with the salt appended (OB 3.0 IdentityHash)', () => {
    const expected = createHash('sha256').update(`siti@example.org${SALT}`, 'utf8').digest('hex')
    expect(hashedIdentity(LEARNER, SALT).identityHash).toBe(`sha256$${expected}`)
  })

  it('matches the learner e-mail and no other identifier', () => {
    const identity = hashedIdentity(LEARNER)
    expect(identityMatches(identity, 'siti@example.org')).toBe(true)
    expect(identityMatches(identity, 'sita@example.org')).toBe(false)
  })

  it('salts every badge afresh, so two badges of one teacher cannot be linked by hash', () => {
    const a = hashedIdentity(LEARNER)
    const b = hashedIdentity(LEARNER)
    expect(a.salt).not.toBe(b.salt)
    expect(a.identityHash).not.toBe(b.identityHash)
  })

  it('hashes an xAPI account by its name with identityType accountId (OB 3.0 IdentifierTypeEnum)', () => {
    const identity = hashedIdentity(`account:${JSON.stringify(['https://lms.example', 'u-42'])}`, SALT)
    expect(identity.identityType).toBe('accountId')
    expect(identityMatches(identity, 'u-42')).toBe(true)
  })
})
