/**
 * The Open Badges 3.0 data model as TLN issues it (1EdTech OB 3.0, Appendix "Data Models":
 * AchievementCredential, AchievementSubject, Achievement, Profile, Alignment, IdentityObject),
 * on the W3C VC Data Model 2.0 (`validFrom`, not `issuanceDate`). Only what TLN writes is typed.
 */

/** OB 3.0 Alignment: a link from an Achievement to a competency framework item. */
export interface Alignment {
  readonly type: readonly ['Alignment']
  readonly targetName: string
  readonly targetUrl: string
  readonly targetCode?: string
  readonly targetDescription?: string
  readonly targetFramework?: string
  /** AlignmentTargetType: `CFItem` for a CASE item. */
  readonly targetType?: string
}

/** OB 3.0 Criteria: at least one of `id` and `narrative` MUST be present. */
export interface Criteria {
  readonly narrative: string
}

/** OB 3.0 Achievement (what a completed tier means). */
export interface Achievement {
  readonly id: string
  readonly type: readonly ['Achievement']
  readonly name: string
  readonly description: string
  readonly criteria: Criteria
  readonly alignment: readonly Alignment[]
  readonly achievementType: string
  readonly inLanguage: string
  readonly creator: Profile
}

/** OB 3.0 IdentityObject: the learner's identifier, hashed with a salt. */
export interface IdentityObject {
  readonly type: 'IdentityObject'
  readonly hashed: true
  /** IdentityHash: `sha256$` + lowercase hex of SHA-256(identifier + salt). */
  readonly identityHash: string
  /** IdentifierTypeEnum value. */
  readonly identityType: string
  readonly salt: string
}

/** OB 3.0 AchievementSubject. */
export interface AchievementSubject {
  readonly id: string
  readonly type: readonly ['AchievementSubject']
  readonly identifier: readonly IdentityObject[]
  readonly achievement: Achievement
}

/** OB 3.0 Profile (the issuer). */
export interface Profile {
  readonly id: string
  readonly type: readonly ['Profile']
  readonly name: string
  readonly url?: string
  readonly description?: string
}

/** W3C VC Bitstring Status List v1.0 §2.1 BitstringStatusListEntry. */
export interface StatusListEntry {
  readonly id: string
  readonly type: 'BitstringStatusListEntry'
  readonly statusPurpose: 'revocation'
  /** VC Bitstring Status List §2.1: "an arbitrary size integer … expressed as a string in base 10". */
  readonly statusListIndex: string
  readonly statusListCredential: string
}

/** OB 3.0 AchievementCredential / OpenBadgeCredential (VC Data Model 2.0). */
export interface OpenBadgeCredential {
  readonly '@context': readonly string[]
  readonly id: string
  readonly type: readonly ['VerifiableCredential', 'OpenBadgeCredential']
  readonly issuer: Profile
  readonly validFrom: string
  readonly validUntil?: string
  readonly name: string
  readonly description: string
  readonly credentialSubject: AchievementSubject
  readonly credentialSchema: readonly { readonly id: string; readonly type: string }[]
  readonly credentialStatus: StatusListEntry
}

/** A tenant as issuer: the URL segment and the name shown as the Profile name. */
export interface IssuerInfo {
  readonly tenantId: string
  /** `tenant.slug`, the URL segment of the issuer's public URLs. */
  readonly slug: string
  readonly name: string
}
