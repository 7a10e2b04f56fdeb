import { describe, expect, it } from 'vitest'
import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff.ts'

describe('backoffDelayMs (exponential backoff with jitter)', () => {
  it('doubles per attempt between half and all of the exponential delay', () => {
    expect(backoffDelayMs(1, DEFAULT_BACKOFF, 0)).toBe(15_000)
    expect(backoffDelayMs(1, DEFAULT_BACKOFF, 0.999)).toBeLessThan(30_000)
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, 0)).toBe(60_000)
  })

  it('never waits longer than the cap', () => {
    expect(backoffDelayMs(100, DEFAULT_BACKOFF, 0.999_999)).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs)
  })

  it('refuses a non-positive attempt (a caller bug)', () => {
    expect(() => backoffDelayMs(0, DEFAULT_BACKOFF, 0.5)).toThrow(TypeError)
  })
})
