import { describe, expect, it } from 'vitest'
import { isIri, isIrl, isMailtoIri } from './iri.ts'

describe('isIri (xAPI 1.0.3 Data 4.3, 2.2.s4.b1.b8)', () => {
  it.each(['http://adlnet.gov/expapi/verbs/attempted', 'urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0', 'http://example.com/فعل/خواندن', 'tag:example.com,2024:x'])(
    'accepts the absolute IRI %s', (value) => expect(isIri(value)).toBe(true),
  )
  it.each(['', 'should fail', '/relative/path', '#fragment', 'ab=c://should.fail.com', 'http://exa mple.com', 'http:', 42, null])(
    'rejects %j, which has no scheme or holds characters an IRI cannot', (value) => expect(isIri(value)).toBe(false),
  )
})

describe('isIrl (xAPI 1.0.3 Data 2.4.2.4 homePage, 2.4.4.1 moreInfo, 2.4.11 fileUrl)', () => {
  it('accepts a resolvable IRL', () => expect(isIrl('http://www.example.com')).toBe(true))
  it('rejects a string without a scheme', () => expect(isIrl('www.example.com')).toBe(false))
})

describe('isMailtoIri (xAPI 1.0.3 Data 2.4.2.3)', () => {
  it('accepts mailto:address', () => expect(isMailtoIri('mailto:xapi@adlnet.gov')).toBe(true))
  it.each(['xapi@adlnet.gov', 'mailto:', 'mailto:no-at-sign', 'MAILTO:x@example.com', 'mailto:a b@example.com', 'mailto:a\u0000@example.com', 'mailto:a@exa\u001fmple.com', 'mailto:a\u007f@example.com'])(
    'rejects %s', (value) => expect(isMailtoIri(value)).toBe(false),
  )
})
