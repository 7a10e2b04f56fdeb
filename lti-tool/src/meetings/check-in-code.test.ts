import { describe, expect, it } from 'vitest'
import { checkInWindow, CODE_ALPHABET, CODE_LENGTH, newCheckInCode, normaliseCode } from './check-in-code.ts'

/** Check-in codes (issue 5: "a short code … 6 characters, no ambiguous letters, valid only during the meeting window"). */
describe('check-in code', () => {
  it('uses an alphabet without characters read as others (0 O Q D, 1 I L, 2 Z, 5 S, 8 B, U V)', () => {
    for (const c of '0OQD1IL2Z5S8BUV') expect(CODE_ALPHABET).not.toContain(c)
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length)
    expect(CODE_ALPHABET).toMatch(/^[A-Z0-9]+$/u)
  })

  it('draws 6 characters of the alphabet, each symbol reachable', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 400; i++) {
      const code = newCheckInCode()
      expect(code).toHaveLength(CODE_LENGTH)
      for (const c of code) { expect(CODE_ALPHABET).toContain(c); seen.add(c) }
    }
    expect(seen.size).toBe(CODE_ALPHABET.length)
  })

  it('takes each draw from the random source, uniformly over the alphabet', () => {
    const asked: number[] = []
    const code = newCheckInCode((max) => { asked.push(max); return asked.length - 1 })
    expect(asked).toEqual(Array(CODE_LENGTH).fill(CODE_ALPHABET.length))
    expect(code).toBe(CODE_ALPHABET.slice(0, CODE_LENGTH))
  })

  it('reads a typed code in lower case, with spaces or dashes, and refuses what cannot be a code', () => {
    expect(normaliseCode(' 3a-cek 9 ')).toBe('3ACEK9')
    expect(normaliseCode('3ACEK')).toBeUndefined()
    expect(normaliseCode('3ACEK99')).toBeUndefined()
    expect(normaliseCode('3ACEK0')).toBeUndefined()
    expect(normaliseCode('')).toBeUndefined()
  })

  it('opens the window 1 hour before the start and closes it 3 hours after (both ends included)', () => {
    const start = new Date('2026-03-07T01:00:00Z')
    const t = start.getTime()
    expect(checkInWindow(start, t - 60 * 60_000 - 1)).toBe('not-yet')
    expect(checkInWindow(start, t - 60 * 60_000)).toBe('open')
    expect(checkInWindow(start, t)).toBe('open')
    expect(checkInWindow(start, t + 3 * 60 * 60_000)).toBe('open')
    expect(checkInWindow(start, t + 3 * 60 * 60_000 + 1)).toBe('closed')
  })
})
