/** W3C VC Bitstring Status List v1.0: the revocation list of a tenant's badges. */
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { encodeStatusList, MIN_STATUS_LIST_BITS, statusAt, statusListCredential } from '../../src/badges/status-list.ts'

function bitstring(encoded: string): Buffer {
  return gunzipSync(Buffer.from(encoded.slice(1), 'base64url'))
}

describe('Bitstring Status List (VC Bitstring Status List v1.0)', () => {
  it('encodes as multibase base64url (prefix u, no padding) of the GZIP-compressed bitstring (§2.2 encodedList)', () => {
    const encoded = encodeStatusList([3])
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/)
    expect(bitstring(encoded)[0]).toBe(0b0001_0000)
  })

  it('is at least 16KB, 131,072 entries, however few badges (§3.1 "at least 16KB in size")', () => {
    expect(MIN_STATUS_LIST_BITS).toBe(131_072)
    expect(bitstring(encodeStatusList([])).length).toBe(16 * 1024)
  })

  it('numbers bits from the left-most bit of the first byte (§3.1 Bitstring Generation Algorithm)', () => {
    const encoded = encodeStatusList([0, 9])
    expect([...bitstring(encoded).subarray(0, 2)]).toEqual([0b1000_0000, 0b0100_0000])
    expect(statusAt(encoded, 0)).toBe(true)
    expect(statusAt(encoded, 1)).toBe(false)
    expect(statusAt(encoded, 9)).toBe(true)
  })

  it('grows by 16KB steps to hold an index past the minimum', () => {
    const encoded = encodeStatusList([MIN_STATUS_LIST_BITS + 5])
    expect(bitstring(encoded).length).toBe(32 * 1024)
    expect(statusAt(encoded, MIN_STATUS_LIST_BITS + 5)).toBe(true)
  })

  it('rejects a negative index as a caller mistake', () => {
    expect(() => encodeStatusList([-1])).toThrow(TypeError)
  })

  it('wraps the list in a BitstringStatusListCredential with statusPurpose revocation (§2.2)', () => {
    const vc = statusListCredential({ url: 'https://tln.example/badges/revocations/lt', issuer: { id: 'https://tln.example/badges/issuer/lt', type: ['Profile'], name: 'LT' }, validFrom: '2026-06-01T00:00:00Z', revoked: [2] })
    expect(vc).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      credentialSubject: { id: 'https://tln.example/badges/revocations/lt#list', type: 'BitstringStatusList', statusPurpose: 'revocation' },
    })
    expect(statusAt(vc.credentialSubject.encodedList, 2)).toBe(true)
  })
})
