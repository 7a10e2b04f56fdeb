import { describe, expect, it } from 'vitest'
import { nameUuid } from './name-uuid.ts'

describe('nameUuid', () => {
  it('matches the version 5 test vector of RFC 9562 (Appendix A.4)', () => {
    expect(nameUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
  })

  it('rejects a namespace that is not a UUID', () => {
    expect(() => nameUuid('not-a-uuid', 'x')).toThrow(TypeError)
  })
})
