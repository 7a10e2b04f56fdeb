import { describe, expect, it } from 'vitest'
import { isSha1Hex, isSha2Hex } from './hex-digest.ts'

describe('hex digests (xAPI 1.0.3 Data 2.4.2.3 mbox_sha1sum, 2.4.11 sha2)', () => {
  it('accepts a 40-digit SHA-1 hex digest', () => expect(isSha1Hex('ebd31e95054c018b10727ccffd2ef2ec3a016ee9')).toBe(true))
  it('rejects a SHA-1 digest of the wrong length or with non-hex digits', () => {
    expect(isSha1Hex('ebd31e95054c018b10727ccffd2ef2ec3a016ee')).toBe(false)
    expect(isSha1Hex('zbd31e95054c018b10727ccffd2ef2ec3a016ee9')).toBe(false)
  })
  it('accepts SHA-256 and SHA-512 hex digests', () => {
    expect(isSha2Hex('672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634')).toBe(true)
    expect(isSha2Hex('a'.repeat(128))).toBe(true)
  })
  it('rejects a hex string of no SHA-2 length', () => expect(isSha2Hex('abc123')).toBe(false))
})
