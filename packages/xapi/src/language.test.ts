import { describe, expect, it } from 'vitest'
import { parseAcceptLanguage, pickLanguage } from './language.ts'

describe('parseAcceptLanguage', () => {
  it('orders ranges by q-value, header order breaking ties (RFC 7231 5.3.5)', () => {
    expect(parseAcceptLanguage('en;q=0.5, id-ID, fr;q=0.8, id')).toEqual(['id-ID', 'id', 'fr', 'en'])
  })

  it('drops ranges with q=0, which are not acceptable (RFC 7231 5.3.1)', () => {
    expect(parseAcceptLanguage('en, fr;q=0, de;q=0.000')).toEqual(['en'])
  })

  it('skips malformed elements and tolerates whitespace', () => {
    expect(parseAcceptLanguage(' en-US ;q=0.9 , 12, fr;q=2, de;q=abc, *;q=0.1 ')).toEqual(['en-US', '*'])
  })

  it('gives no ranges for a missing or empty header', () => {
    expect(parseAcceptLanguage(undefined)).toEqual([])
    expect(parseAcceptLanguage('')).toEqual([])
  })
})

describe('pickLanguage', () => {
  const map = { 'en-US': 'completed', id: 'menyelesaikan', 'fr-FR': 'terminé', und: '?' }

  it('returns only one language (xAPI 1.0.3 Communication 2.1.3.s4.b1)', () => {
    expect(Object.keys(pickLanguage(map, ['en-US', 'id']))).toHaveLength(1)
  })

  it('takes the exact tag first, case-insensitively (RFC 5646 2.1.1)', () => {
    expect(pickLanguage(map, ['EN-us'])).toEqual({ 'en-US': 'completed' })
  })

  it('matches a shorter range to a longer tag (RFC 4647 3.3.1)', () => {
    expect(pickLanguage(map, ['fr'])).toEqual({ 'fr-FR': 'terminé' })
  })

  it('matches a longer range to a shorter tag by truncation (RFC 4647 3.4)', () => {
    expect(pickLanguage(map, ['id-ID'])).toEqual({ id: 'menyelesaikan' })
  })

  it('honours preference order before match quality', () => {
    expect(pickLanguage(map, ['id-ID', 'en-US'])).toEqual({ id: 'menyelesaikan' })
  })

  it('falls back to und, then to the first entry', () => {
    expect(pickLanguage(map, ['de'])).toEqual({ und: '?' })
    expect(pickLanguage({ 'en-US': 'a', 'fr-FR': 'b' }, ['de'])).toEqual({ 'en-US': 'a' })
    expect(pickLanguage({ 'en-US': 'a', 'fr-FR': 'b' }, [])).toEqual({ 'en-US': 'a' })
  })

  it('takes the first entry for the wildcard range', () => {
    expect(pickLanguage(map, ['de', '*', 'id'])).toEqual({ 'en-US': 'completed' })
  })

  it('returns an empty map for an empty map', () => {
    expect(pickLanguage({}, ['en'])).toEqual({})
  })
})
