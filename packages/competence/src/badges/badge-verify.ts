import type { JWK } from 'jose'
import type { BadgeRecord } from './badge-store.ts'
import { badgeUrls } from './badge-urls.ts'
import { publishedJwk } from './issuer-keys.ts'
import type { PublicIssuerKey } from './issuer-key-store.ts'
import { verifyCredentialJwt, type Check } from './vc-jwt.ts'

export interface BadgeVerification {
  /** True when every check passed. */
  readonly valid: boolean
  readonly checks: readonly Check[]
  readonly revokedAt: string | null
  readonly revocationReason: string | null
}

/** The issuer's JWKS as published at `/badges/issuer/<slug>/jwks`: every key, `kid` the full URI. */
export function issuerJwks(publicUrl: string, slug: string, keys: readonly PublicIssuerKey[]): { keys: JWK[] } {
  const urls = badgeUrls(publicUrl, slug)
  return { keys: keys.map((k) => publishedJwk(k.publicJwk, urls.kid(k.thumbprint))) }
}

/**
 * Verifies a stored badge as an outside verifier would (OB 3.0 "Verification and Validation"): its
 * VC-JWT against the issuer's published JWKS (#jwt-verify, #jwt-verify-credential), then its status
 * (`not-revoked`: the badge's bit in the tenant's revocation list, i.e. `revoked_at`).
 */
export async function verifyBadge(badge: BadgeRecord, jwks: { keys: readonly JWK[] }, now: Date): Promise<BadgeVerification> {
  const { checks } = await verifyCredentialJwt(badge.jwt, jwks.keys, now)
  const earlierFailed = checks.some((c) => c.status !== 'passed')
  const revocation: Check = earlierFailed
    ? { name: 'not-revoked', status: 'skipped' }
    : badge.revokedAt === null
      ? { name: 'not-revoked', status: 'passed' }
      : { name: 'not-revoked', status: 'failed', detail: `revoked ${badge.revokedAt.toISOString()}: ${badge.revocationReason ?? ''}` }
  const all = [...checks, revocation]
  return {
    valid: all.every((c) => c.status === 'passed'),
    checks: all,
    revokedAt: badge.revokedAt?.toISOString() ?? null,
    revocationReason: badge.revocationReason,
  }
}
