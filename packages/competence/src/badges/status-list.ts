/**
 * Revocation of badges as a W3C Bitstring Status List (VC Bitstring Status List v1.0). OB 3.0
 * (spec document 1.3, October 2025) deprecated the 1EdTech Revocation List (VCRL 1.0) "in favour
 * of [vc-bitstring-status-list]", so TLN publishes this one: one bit per badge, 1 = revoked.
 */
import { gunzipSync, gzipSync } from 'node:zlib'
import { VC_V2_CONTEXT } from './badge-urls.ts'
import type { Profile } from './types.ts'

/** VC Bitstring Status List §3.1: "the bitstring MUST be at least 16KB in size" (131,072 entries), for herd privacy. */
export const MIN_STATUS_LIST_BITS = 16 * 1024 * 8

/**
 * `encodedList` of the revoked indexes (§2.2): "Multibase-encoded base64url (with no padding)
 * representation of the GZIP-compressed bitstring"; multibase prefix `u` = base64url. Bit 0 is the
 * most significant bit of the first byte (§3.1 "the first index … is the left-most bit").
 */
export function encodeStatusList(revoked: Iterable<number>, size: number = MIN_STATUS_LIST_BITS): string {
  let bits = Math.max(size, MIN_STATUS_LIST_BITS)
  const indexes = [...revoked]
  for (const i of indexes) {
    if (!Number.isInteger(i) || i < 0) throw new TypeError(`a status list index is a non-negative integer, got ${i}`)
    // Grow in 16KB steps, so the list's length never tells how many badges were issued.
    while (i >= bits) bits += MIN_STATUS_LIST_BITS
  }
  const bytes = new Uint8Array(bits / 8)
  for (const i of indexes) bytes[i >> 3]! |= 0x80 >> (i & 7)
  return `u${gzipSync(bytes).toString('base64url')}`
}

/** The bit at `index` of an `encodedList` (§3.2 "Validate Algorithm"); false past the end. */
export function statusAt(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u')) throw new TypeError('encodedList must be multibase base64url (prefix u)')
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'))
  const byte = bytes[index >> 3]
  return byte !== undefined && (byte & (0x80 >> (index & 7))) !== 0
}

/** The BitstringStatusListCredential (§2.2) of a tenant's badges, unsigned (the routes sign it as a VC-JWT). */
export function statusListCredential(input: { url: string; issuer: Profile; validFrom: string; revoked: Iterable<number>; size?: number }) {
  return {
    '@context': [VC_V2_CONTEXT],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: input.validFrom,
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(input.revoked, input.size),
    },
  }
}
