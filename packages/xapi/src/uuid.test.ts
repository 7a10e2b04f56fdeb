import { describe, expect, it } from 'vitest'
import { isUuid } from './uuid.ts'

describe('isUuid (xAPI 1.0.3 Data 4.4, 2.4.1)', () => {
  it.each(['fd41c918-b88b-4b20-a0a5-a4c32391aaa0', 'FD41C918-B88B-4B20-A0A5-A4C32391AAA0', '12345678-1234-5678-1234-567812345678'])(
    'accepts %s in the standard string form, any case and variant', (value) => expect(isUuid(value)).toBe(true),
  )
  it.each(['AA97B177-9383-4934-8543-0F91A7A028368', 'MA97B177-9383-4934-8543-0F91A7A02836', 'fd41c918b88b4b20a0a5a4c32391aaa0', '{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}', '', 12345])(
    'rejects %j (ADL conformance: too many digits, non-hex letter, no hyphens)', (value) => expect(isUuid(value)).toBe(false),
  )
})
