import { describe, expect, it } from 'vitest'
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-depth.ts'

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}1${close.repeat(depth)}`

describe('jsonNestsDeeperThan (request bodies nested deeper than MAX_JSON_DEPTH are refused before parsing)', () => {
  it('counts objects and arrays inside each other, up to the limit and not past it', () => {
    expect(jsonNestsDeeperThan(nested(3), 3)).toBe(false)
    expect(jsonNestsDeeperThan(nested(4), 3)).toBe(true)
    expect(jsonNestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false)
    expect(jsonNestsDeeperThan('{"a":{"b":[{"c":{}}]}}', 4)).toBe(true)
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH))).toBe(false)
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1))).toBe(true)
  })
  it('measures depth, not width: siblings do not add up', () => {
    expect(jsonNestsDeeperThan(`[${Array.from({ length: 10_000 }, () => '[[1]]').join(',')}]`, 3)).toBe(false)
  })
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ a: '[[[[[[{{{{{{', b: 'say \\"[[[[[[\\" and "]]]"' }), 1)).toBe(false)
    expect(jsonNestsDeeperThan('["\\\\", [[1]]]', 2)).toBe(true)
  })
  it('stops at the first bracket past the limit, so a million-deep body costs no more than its prefix', () => {
    expect(jsonNestsDeeperThan(nested(1_000_000, '{"a":', '}'))).toBe(true)
  })
})
