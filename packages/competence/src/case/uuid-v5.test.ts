import { describe, expect, it } from 'vitest'
import { uuidV5 } from './uuid-v5.ts'

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8'

describe('uuidV5 (RFC 9562 §5.5)', () => {
  it('gives the RFC 9562 Appendix A.4 test vector: DNS namespace, "www.example.com"', () => {
    expect(uuidV5('www.example.com', DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
  })

  it('is deterministic and sets version 5 and the RFC variant', () => {
    const a = uuidV5('test-framework#PED.C.2')
    expect(uuidV5('test-framework#PED.C.2')).toBe(a)
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(uuidV5('test-framework#PED.C.1')).not.toBe(a)
  })
})
