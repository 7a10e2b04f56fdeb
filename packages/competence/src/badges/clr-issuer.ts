import { randomUUID } from 'node:crypto'
import { decodeProtectedHeader } from 'jose'
import type { ActiveFrameworks } from './active-framework.ts'
import { BadgeError } from './badge-error.ts'
import type { BadgeStore } from './badge-store.ts'
import { badgeUrls, isBadgeId } from './badge-urls.ts'
import { issuerJwks } from './badge-verify.ts'
import { buildClrCredential } from './clr.ts'
import { hashedIdentity, identifierOf } from './identity-hash.ts'
import type { IssuerKeyStore } from './issuer-key-store.ts'
import type { ClrCredential, IssuerInfo } from './types.ts'
import { signCredential, verifyCredentialJwt, type Check } from './vc-jwt.ts'

export interface ClrIssuerOptions {
  readonly badges: BadgeStore
  readonly keys: IssuerKeyStore
  readonly frameworks: ActiveFrameworks
  readonly publicUrl: string
  readonly clock?: () => Date
}

export interface ClrVerification {
  /** True when every check passed. */
  readonly valid: boolean
  readonly checks: readonly Check[]
  /** The ClrCredential's id, once its signature verified. */
  readonly id?: string
}

/** VC DM 2.0 dateTime to the second: `nbf` (NumericDate) MUST equal `validFrom`. */
function toSecond(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/**
 * Makes a learner's CLR 2.0 transcript when asked (a snapshot: nothing stored) and signs it as a
 * VC-JWT with the tenant's current badge key; verifies a CLR with the badges' own checks, plus
 * `badges-not-revoked`.
 */
export class ClrIssuer {
  private readonly clock: () => Date

  constructor(private readonly options: ClrIssuerOptions) {
    this.clock = options.clock ?? (() => new Date())
  }

  /**
   * The learner's ClrCredential and its VC-JWT. The caller has checked that the viewer may read
   * this learner.
   * @throws BadgeError `ERR_BADGE_INVALID_ID` (not an xAPI actor key), `ERR_BADGE_ISSUER_NOT_FOUND`,
   *   `ERR_BADGE_CLR_EMPTY` (no badge and no proficient competence yet)
   */
  async issue(tenantId: string, learnerKey: string): Promise<{ credential: ClrCredential; jwt: string }> {
    this.checkLearnerKey(learnerKey)
    const { badges, keys, frameworks, publicUrl } = this.options
    const issuer = await badges.issuer(tenantId)
    if (issuer === undefined) throw new BadgeError('ERR_BADGE_ISSUER_NOT_FOUND', 'this tenant issues no badges', 'tenant')
    const records = await badges.currentBadgesOf(tenantId, learnerKey)
    const active = await frameworks.of(tenantId)
    const credential = buildClrCredential({
      id: randomUUID(), publicUrl, issuer, identity: hashedIdentity(learnerKey),
      badges: records.map((r) => r.credential), ratings: await badges.proficientRatings(tenantId, learnerKey),
      framework: active.framework, rules: active.rules,
      tierOfAchievement: new Map(records.map((r) => [r.credential.credentialSubject.achievement.id, r.achievement])),
      validFrom: toSecond(this.clock()),
    })
    if (credential === undefined) {
      throw new BadgeError('ERR_BADGE_CLR_EMPTY', 'no badge and no competence rated proficient yet: there is nothing to record in a CLR', 'learnerKey')
    }
    const key = await keys.signingKey(tenantId)
    return { credential, jwt: await signCredential(credential, key.privateJwk, badgeUrls(publicUrl, issuer.slug).kid(key.thumbprint)) }
  }

  /**
   * Verifies a CLR's VC-JWT as an outside verifier would: the issuer is the one whose JWKS the
   * `kid` names (`/badges/issuer/<slug>/jwks#…`), then the checks of `verifyCredentialJwt`
   * (CLR 2.0 #jwt-proof is OB 3.0's), then `badges-not-revoked`: each embedded OpenBadgeCredential
   * is a badge of that issuer and is not revoked now.
   * @throws BadgeError `ERR_BADGE_INVALID_JWT` when `jwt` is not a compact JWS at all
   */
  async verify(jwt: string): Promise<ClrVerification> {
    const issuer = await this.issuerOfKid(jwt)
    const jwks = issuer === undefined ? { keys: [] } : issuerJwks(this.options.publicUrl, issuer.slug, await this.options.keys.publicKeys(issuer.tenantId))
    const expectedIssuer = issuer === undefined ? undefined : badgeUrls(this.options.publicUrl, issuer.slug).issuer
    const { checks, credential } = await verifyCredentialJwt(jwt, jwks.keys, this.clock(), expectedIssuer)
    const earlierFailed = checks.some((c) => c.status !== 'passed')
    const embedded: Check = earlierFailed || issuer === undefined
      ? { name: 'badges-not-revoked', status: 'skipped' }
      : await this.checkEmbeddedBadges(credential!, issuer)
    const all = [...checks, embedded]
    return { valid: all.every((c) => c.status === 'passed'), checks: all, ...(credential !== undefined && typeof credential.id === 'string' ? { id: credential.id } : {}) }
  }

  /** @throws BadgeError `ERR_BADGE_INVALID_ID` for what is not an xAPI actor key (`ifiKey` form), before any access check. */
  checkLearnerKey(learnerKey: string): void {
    try {
      identifierOf(learnerKey)
    } catch {
      throw new BadgeError('ERR_BADGE_INVALID_ID', 'learnerKey must be an xAPI actor key such as mbox:mailto:guru@example.org or account:["https://lms.example","u-1"], URL-encoded', 'learnerKey')
    }
  }

  private async checkEmbeddedBadges(credential: Record<string, unknown>, issuer: IssuerInfo): Promise<Check> {
    const subject = credential.credentialSubject as { verifiableCredential?: Array<{ id?: unknown; type?: unknown }> }
    const prefix = `${badgeUrls(this.options.publicUrl, '').badge('')}`
    for (const vc of subject.verifiableCredential ?? []) {
      if (!Array.isArray(vc.type) || !vc.type.includes('OpenBadgeCredential')) continue
      const id = typeof vc.id === 'string' && vc.id.startsWith(prefix) ? vc.id.slice(prefix.length) : ''
      const badge = isBadgeId(id) ? await this.options.badges.find(id) : undefined
      if (badge === undefined || badge.tenantId !== issuer.tenantId) return { name: 'badges-not-revoked', status: 'failed', detail: `${String(vc.id)} is not a badge of ${issuer.name}` }
      if (badge.revokedAt !== null) return { name: 'badges-not-revoked', status: 'failed', detail: `${String(vc.id)} revoked ${badge.revokedAt.toISOString()}: ${badge.revocationReason ?? ''}` }
    }
    return { name: 'badges-not-revoked', status: 'passed' }
  }

  /** The issuer whose JWKS the JOSE header's `kid` dereferences to, when it is one of this server's. */
  private async issuerOfKid(jwt: string): Promise<IssuerInfo | undefined> {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u.test(jwt)) throw new BadgeError('ERR_BADGE_INVALID_JWT', 'the body must be a ClrCredential as a compact JWS (VC-JWT: three base64url parts)', 'body')
    let kid: unknown
    try {
      kid = decodeProtectedHeader(jwt).kid
    } catch {
      return undefined // the `format` check names what is wrong
    }
    const issuers = `${badgeUrls(this.options.publicUrl, '').issuer.replace(/\/$/u, '')}/`
    if (typeof kid !== 'string' || !kid.startsWith(issuers)) return undefined
    const slug = decodeURIComponent(kid.slice(issuers.length).split('/')[0] ?? '')
    return this.options.badges.issuerBySlug(slug)
  }
}

