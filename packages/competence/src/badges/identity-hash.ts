/**
 * The recipient of a badge as an OB 3.0 IdentityObject, hashed: the credential names no one in
 * clear (UU 27/2022: collect and disclose only what the program needs), yet whoever knows the
 * teacher's e-mail address or account can check that the badge is theirs.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { IdentityObject } from './types.ts'

/** The identifier of an xAPI actor key (`ifiKey` of @tln/xapi) and its OB 3.0 IdentifierTypeEnum value. */
export function identifierOf(learnerKey: string): { identifier: string; identityType: string } {
  if (learnerKey.startsWith('mbox:mailto:')) return { identifier: learnerKey.slice('mbox:mailto:'.length), identityType: 'emailAddress' }
  if (learnerKey.startsWith('account:')) {
    const [, name] = JSON.parse(learnerKey.slice('account:'.length)) as [string, string]
    return { identifier: name, identityType: 'accountId' }
  }
  if (learnerKey.startsWith('openid:')) return { identifier: learnerKey.slice('openid:'.length), identityType: 'identifier' }
  if (learnerKey.startsWith('mbox_sha1sum:')) return { identifier: learnerKey.slice('mbox_sha1sum:'.length), identityType: 'identifier' }
  throw new TypeError(`not an xAPI actor key: ${learnerKey}`)
}

/**
 * OB 3.0 IdentityHash: "an algorithm identifier, a $ separator, and a hash across an identifier
 * and an optionally appended salt string … Identifiers and salts MUST be encoded in UTF-8 prior to
 * hashing, and the resulting hash MUST be expressed in hexadecimal".
 */
export function identityHash(identifier: string, salt: string): string {
  return `sha256$${createHash('sha256').update(`${identifier}${salt}`, 'utf8').digest('hex')}`
}

/** OB 3.0 IdentityObject of a learner, with a fresh random salt (a salt per badge, so two badges cannot be linked by hash). */
export function hashedIdentity(learnerKey: string, salt: string = randomBytes(16).toString('hex')): IdentityObject {
  const { identifier, identityType } = identifierOf(learnerKey)
  return { type: 'IdentityObject', hashed: true, identityHash: identityHash(identifier, salt), identityType, salt }
}

/** True when `identifier` (an e-mail address, an account name) is the one the IdentityObject hashes. */
export function identityMatches(identity: IdentityObject, identifier: string): boolean {
  return identityHash(identifier, identity.salt) === identity.identityHash.toLowerCase()
}
