import { describe, expect, it } from 'vitest'
import { LrsError } from '../errors.ts'
import { comparePositions, decodePosition, encodePosition } from './stream-position.ts'

describe('stream positions', () => {
  it('order by transaction first, then seq', () => {
    expect(comparePositions({ txid: 5, seq: 100 }, { txid: 6, seq: 1 })).toBeLessThan(0)
    expect(comparePositions({ txid: 6, seq: 2 }, { txid: 6, seq: 1 })).toBeGreaterThan(0)
    expect(comparePositions({ txid: 6, seq: 2 }, { txid: 6, seq: 2 })).toBe(0)
  })

  it('round-trip through an opaque URL-safe cursor', () => {
    const token = encodePosition({ txid: 123456789, seq: 42 })
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodePosition(token)).toEqual({ txid: 123456789, seq: 42 })
  })

  it('reject a cursor that was not made by the server, with ERR_LRS_BAD_REQUEST', () => {
    for (const bad of ['', 'garbage', Buffer.from('2.1.1').toString('base64url'), Buffer.from('1.-1.1').toString('base64url')]) {
      let error: unknown
      try {
        decodePosition(bad)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(LrsError)
      expect((error as LrsError).code).toBe('ERR_LRS_BAD_REQUEST')
    }
  })
})
