import { describe, expect, it } from 'vitest'
import { overflowingNumberPath } from './json-numbers.ts'

const at = (text: string) => overflowingNumberPath(text, JSON.parse(text))

describe('overflowingNumberPath (numbers a double cannot hold are refused, not stored as null; RFC 8259 §6)', () => {
  it('names the path of a number that parsed to ±Infinity', () => {
    expect(at('{"result":{"extensions":{"http://x.example/n":[1,-1e400]}}}')).toBe('result.extensions["http://x.example/n"][1]')
    expect(at(`{"a":${'9'.repeat(400)}}`)).toBe('a')
    expect(at('1E+999')).toBe('$')
  })
  it('passes large but finite numbers, underflow to zero, and digits inside strings', () => {
    expect(at('{"a":1.7e308,"b":1e-400,"c":-0}')).toBeUndefined()
    expect(at(`{"sha2":"e123${'1'.repeat(400)}"}`)).toBeUndefined()
  })
})
