/** A credential built from fixed inputs, for the badge tests. */
import { buildAchievement } from '../../src/badges/achievement.ts'
import { buildCredential, issuerProfile } from '../../src/badges/credential.ts'
import { hashedIdentity } from '../../src/badges/identity-hash.ts'
import type { IssuerInfo, OpenBadgeCredential } from '../../src/badges/types.ts'
import type { EvidenceRule } from '../../src/rules/types.ts'
import { SMALL } from '../fixtures/small-framework.ts'

export const PUBLIC_URL = 'https://tln.example'
export const ISSUER: IssuerInfo = { tenantId: '6f1c1f0e-7d0a-4c55-9d0c-6f8a3e1b2c3d', slug: 'lombok-tengah', name: 'Kabupaten Lombok Tengah' }
export const TIER = { id: 'https://tln.example/activities/tier/diklat-berjenjang-dasar', name: 'Diklat Berjenjang Tingkat Dasar' }
export const LEARNER = 'mbox:mailto:siti@example.org'
export const SALT = '0123456789abcdef0123456789abcdef'
export const BADGE_ID = '3b241101-e2bb-4255-8caf-4136c566a962'

/** A rule that ties PED.C.2 to the tier, so the tier covers PED and PED.C.2. */
export const TIER_RULE: EvidenceRule = {
  id: 'tier-post-test', version: '1.0.0', indicator: 'PED.C.2', match: { within: TIER.id }, source: 'e-training-test', weight: 1,
}

export function fixtureCredential(overrides: { validFrom?: string; rules?: readonly EvidenceRule[]; statusIndex?: number } = {}): OpenBadgeCredential {
  const creator = issuerProfile(ISSUER, PUBLIC_URL)
  const achievement = buildAchievement({ tenantId: ISSUER.tenantId, tier: TIER, framework: SMALL, rules: overrides.rules ?? [TIER_RULE], publicUrl: PUBLIC_URL, creator })
  return buildCredential({
    id: BADGE_ID, publicUrl: PUBLIC_URL, issuer: ISSUER, achievement, identity: hashedIdentity(LEARNER, SALT),
    validFrom: overrides.validFrom ?? '2026-05-04T03:02:01Z', statusIndex: overrides.statusIndex ?? 7,
  })
}
