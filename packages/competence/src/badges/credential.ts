/**
 * The OpenBadgeCredential of one completed tier (OB 3.0 "AchievementCredential", VC Data Model
 * 2.0). Pure: every input is given, so the same input gives the same credential.
 */
import { uuidV5 } from '../case/uuid-v5.ts'
import { badgeUrls, OB_CREDENTIAL_SCHEMA, OB_SCHEMA_VALIDATOR, OB_V3_CONTEXT, VC_V2_CONTEXT } from './badge-urls.ts'
import type { Achievement, IdentityObject, IssuerInfo, OpenBadgeCredential, Profile } from './types.ts'

/** OB 3.0 Profile of the issuing tenant, at `/badges/issuer/<slug>`. */
export function issuerProfile(issuer: IssuerInfo, publicUrl: string): Profile {
  return {
    id: badgeUrls(publicUrl, issuer.slug).issuer,
    type: ['Profile'],
    name: issuer.name,
    url: publicUrl.replace(/\/+$/u, ''),
    description: `Penerbit lencana Teacher Learning Network (TLN) untuk pendidik PAUD — ${issuer.name}.`,
  }
}

/**
 * The subject's `id`. OB 3.0 lets `identifier` stand for the subject, but the VC-JWT `sub` claim
 * is required and "MUST match the credentialSubject.id", so the subject gets a URN derived from its
 * salted identity hash: it says nothing that the hash does not already say.
 */
export function subjectId(identity: IdentityObject): string {
  return `urn:uuid:${uuidV5(`badge-subject#${identity.identityHash}`)}`
}

export interface CredentialInput {
  readonly id: string
  readonly publicUrl: string
  readonly issuer: IssuerInfo
  readonly achievement: Achievement
  readonly identity: IdentityObject
  /** When the tier was completed, or the badge issued: ISO 8601 with a time zone (VC DM 2.0 `validFrom`). */
  readonly validFrom: string
  readonly statusIndex: number
}

/**
 * OB 3.0 AchievementCredential: `@context` starts with the VC 2.0 context (VC DM 2.0 §4.3) then the
 * OB 3.0 context; `type` has `VerifiableCredential` and `OpenBadgeCredential`; `issuer` a Profile;
 * `validFrom`; `name`; `credentialSubject` an AchievementSubject; `credentialStatus` a
 * BitstringStatusListEntry pointing at the tenant's revocation list.
 */
export function buildCredential(input: CredentialInput): OpenBadgeCredential {
  const urls = badgeUrls(input.publicUrl, input.issuer.slug)
  const issuer = issuerProfile(input.issuer, input.publicUrl)
  const index = String(input.statusIndex)
  return {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: urls.badge(input.id),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer,
    validFrom: input.validFrom,
    name: input.achievement.name,
    description: input.achievement.description,
    credentialSubject: {
      id: subjectId(input.identity),
      type: ['AchievementSubject'],
      identifier: [input.identity],
      achievement: input.achievement,
    },
    credentialSchema: [{ id: OB_CREDENTIAL_SCHEMA, type: OB_SCHEMA_VALIDATOR }],
    credentialStatus: {
      id: `${urls.statusList}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: index,
      statusListCredential: urls.statusList,
    },
  }
}
