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
  /** The framework code of a competence achievement (CLR), e.g. `PED.C.2`. */
  readonly humanCode?: string
  /** How a result of this achievement reads (CLR competence achievements: the rating). */
  readonly resultDescription?: readonly ResultDescription[]
}

/** OB 3.0 ResultDescription: what a Result's value means. */
export interface ResultDescription {
  readonly id: string
  readonly type: readonly ['ResultDescription']
  readonly name: string
  /** ResultType enumeration, e.g. `ScaledScore`. */
  readonly resultType: string
  readonly valueMin?: string
  readonly valueMax?: string
}

/** OB 3.0 Result: the learner's result for one ResultDescription of the achievement. */
export interface Result {
  readonly type: readonly ['Result']
  readonly resultDescription: string
  readonly value: string
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

/** OB 3.0 AchievementSubject with the learner's result (a CLR competence achievement). */
export interface RatedAchievementSubject extends AchievementSubject {
  readonly result: readonly Result[]
}

/**
 * OB 3.0 AchievementCredential of a competence rated proficient, as a CLR embeds it: no proof of
 * its own, the ClrCredential's VC-JWT covers it (CLR 2.0 #clrsubject `verifiableCredential`).
 */
export interface CompetenceCredential {
  readonly '@context': readonly string[]
  readonly id: string
  readonly type: readonly ['VerifiableCredential', 'AchievementCredential']
  readonly issuer: Profile
  readonly validFrom: string
  readonly name: string
  readonly description: string
  readonly credentialSubject: RatedAchievementSubject
  readonly credentialSchema: readonly { readonly id: string; readonly type: string }[]
}

/** CLR 2.0 Association (#association): how two achievements of the ClrSubject relate. */
export interface Association {
  readonly type: 'Association'
  /** AssociationType enumeration: `isParentOf`, `isRelatedTo`, … */
  readonly associationType: 'isParentOf' | 'isChildOf' | 'isPartOf' | 'isPeerOf' | 'isRelatedTo' | 'exactMatchOf' | 'precedes' | 'replacedBy'
  readonly sourceId: string
  readonly targetId: string
}

/** CLR 2.0 ClrSubject (#clrsubject). */
export interface ClrSubject {
  readonly id: string
  readonly type: readonly ['ClrSubject']
  readonly identifier: readonly IdentityObject[]
  /** "[1..*]": the learner's OpenBadgeCredentials, then the competence credentials. */
  readonly verifiableCredential: readonly (OpenBadgeCredential | CompetenceCredential)[]
  readonly achievement: readonly Achievement[]
  readonly association: readonly Association[]
}

/** CLR 2.0 ClrCredential (#clrcredential) on the VC Data Model 2.0. */
export interface ClrCredential {
  readonly '@context': readonly string[]
  readonly id: string
  readonly type: readonly ['VerifiableCredential', 'ClrCredential']
  readonly issuer: Profile
  readonly validFrom: string
  readonly name: string
  readonly description: string
  /** False: every unrevoked badge and every proficient competence the issuer knows is in it. */
  readonly partial: boolean
  readonly credentialSubject: ClrSubject
  readonly credentialSchema: readonly { readonly id: string; readonly type: string }[]
}

/** A tenant as issuer: the URL segment and the name shown as the Profile name. */
export interface IssuerInfo {
  readonly tenantId: string
  /** `tenant.slug`, the URL segment of the issuer's public URLs. */
  readonly slug: string
  readonly name: string
}
