import { describe, expect, it } from 'vitest'
import { unpairedSurrogateAt } from './unpaired-surrogate.ts'

describe('unpairedSurrogateAt (RFC 8259 §8.2: strings with unpaired surrogates are refused)', () => {
  it('finds a lone high or low surrogate escape, in values and in names', () => {
    expect(unpairedSurrogateAt(JSON.stringify({ a: 'x\ud800' }))).toBe(7)
    expect(unpairedSurrogateAt(JSON.stringify({ a: '\udfff' }))).toBe(6)
    expect(unpairedSurrogateAt(JSON.stringify({ ['\uDBFF']: 1 }))).toBe(2)
    expect(unpairedSurrogateAt('["\\uD800\\u0041"]')).toBe(2)
    expect(unpairedSurrogateAt('["\\uDC00\\uD800"]')).toBe(2)
  })
  it('accepts surrogate pairs, whether escaped or sent as UTF-8, and text without escapes', () => {
    expect(unpairedSurrogateAt('["\\ud83d\\ude00", "\\uD834\\uDD1E"]')).toBe(-1)
    expect(unpairedSurrogateAt(JSON.stringify({ a: '😀 é \u0000' }))).toBe(-1)
    expect(unpairedSurrogateAt('{"actor":{"mbox":"mailto:a@example.com"}}')).toBe(-1)
  })
  it('does not take an escaped backslash followed by "ud800" for an escape', () => {
    expect(unpairedSurrogateAt('["\\\\ud800"]')).toBe(-1)
    expect(unpairedSurrogateAt('["\\\\\\ud800"]')).toBe(4)
  })
  it('stays linear on a long body of surrogate pairs', () => {
    expect(unpairedSurrogateAt(`["${'\\ud83d\\ude00'.repeat(100_000)}\\ud83d"]`)).toBe(2 + 12 * 100_000)
  })
})
