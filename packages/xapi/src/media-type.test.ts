import { describe, expect, it } from 'vitest'
import { isMediaType } from './media-type.ts'

describe('isMediaType (xAPI 1.0.3 Data 2.4.11 contentType, RFC 2046)', () => {
  it.each(['application/octet-stream', 'text/plain; charset=ascii', 'image/svg+xml', 'multipart/mixed; boundary="a b"'])(
    'accepts %s', (value) => expect(isMediaType(value)).toBe(true),
  )
  it.each(['', 'text', 'text/', 'text/plain;', 'text plain'])('rejects %j', (value) => expect(isMediaType(value)).toBe(false))
})
