import { describe, expect, it } from 'vitest'
import { isLanguageTag } from './lang-tag.ts'

describe('isLanguageTag (xAPI 1.0.3 Data 4.2, 2.2.s4.b2; RFC 5646)', () => {
  it.each(['en', 'en-US', 'es-MX', 'tlh', 'id', 'zh-Hant-TW', 'sr-Latn-RS', 'de-CH-1901', 'en-a-bbb-x-ccc', 'x-private', 'i-klingon', 'zh-min-nan', 'es-419'])(
    'accepts %s', (value) => expect(isLanguageTag(value)).toBe(true),
  )
  it.each(['', 'a12345', 'en-US-US', 'en_US', 'e', 'en-', '-en', 'en-US-', 'en-x'])(
    'rejects %j, whose subtag lengths do not follow RFC 5646', (value) => expect(isLanguageTag(value)).toBe(false),
  )
  it.each(['ar-a-aaa-b-bbb-a-ccc', 'de-DE-1901-1901', 'sl-rozaj-rozaj'])(
    'rejects %j, which repeats a singleton or a variant (RFC 5646 §2.2.5, §2.2.6, Appendix A)', (value) => expect(isLanguageTag(value)).toBe(false),
  )
  it.each(['en-a-aaa-aaa', 'en-x-a-a', 'sl-rozaj-biske', 'hy-Latn-IT-arevela', 'az-Arab-x-AZE-derbend', 'i-enochian'])(
    'accepts %j: extension and private use subtags may repeat', (value) => expect(isLanguageTag(value)).toBe(true),
  )
})
