import { describe, expect, it } from 'vitest'
import { childPath, indexPath } from './issue-list.ts'

/** How an issue names the field it is about; `@tln/competence` writes its paths the same way. */
describe('issue paths', () => {
  it('joins an identifier key with a dot, and starts bare at the root', () => {
    expect(childPath('', 'actor')).toBe('actor')
    expect(childPath('actor', 'mbox')).toBe('actor.mbox')
  })

  it('quotes any other key in brackets as JSON (an extension IRI, a key with a space)', () => {
    expect(childPath('result.extensions', 'http://x/y')).toBe('result.extensions["http://x/y"]')
    expect(childPath('', 'a b')).toBe('["a b"]')
  })

  it('writes an array element as [index]', () => {
    expect(indexPath('context.contextActivities.parent', 0)).toBe('context.contextActivities.parent[0]')
    expect(indexPath('', 2)).toBe('[2]')
  })
})
