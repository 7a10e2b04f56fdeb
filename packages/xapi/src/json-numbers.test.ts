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
  it('finds overflowing numbers wherever a JSON number can start: after [, after a comma, after spaces, at the top', () => {
    expect(at('[1e999]')).toBe('[0]')
    expect(at('{"a":[1, 2,\n -3.5E+308000]}')).toBe('a[2]')
    expect(at(' 1e999')).toBe('$')
    expect(at('{"key with space":{"n":1e400}}')).toBe('["key with space"].n')
  })
  it('does not mistake hex in ids for an exponent (the walk would run for most statements)', () => {
    const unwalkable = new Proxy({}, { ownKeys: () => { throw new Error('walked') } })
    const ids = '{"id":"0d9e1234-4e12-4e99-8e00-1e9999999999","context":{"registration":"2e345678-0000-4000-8000-000000000000"}}'
    expect(overflowingNumberPath(ids, unwalkable)).toBeUndefined()
    expect(() => overflowingNumberPath('{"n":1e400}', unwalkable)).toThrow('walked')
  })
})
