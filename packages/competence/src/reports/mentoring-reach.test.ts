import { describe, expect, it } from 'vitest'
import { chainDepths } from './mentoring-reach.ts'

const edge = (mentor: string, mentee: string) => ({ mentor, mentee })

describe('chainDepths (DOMAIN.md, peer mentoring: chains are kept so reach can be shown)', () => {
  it('gives each mentor who starts a chain of two or more its longest chain, in edges', () => {
    const depths = chainDepths([edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('b', 'e')])
    expect(Object.fromEntries(depths)).toEqual({ a: 3, b: 2 })
  })

  it('never visits a person twice, so a cycle ends (A mentors B, B mentors A)', () => {
    expect(Object.fromEntries(chainDepths([edge('a', 'b'), edge('b', 'a')]))).toEqual({})
    expect(Object.fromEntries(chainDepths([edge('t1', 't2'), edge('t2', 't3'), edge('t3', 't1'), edge('t3', 'x')])))
      .toEqual({ t1: 3, t2: 2, t3: 2 })
  })

  it('leaves out single sessions: no chain without a mentee who mentors', () => {
    expect(chainDepths([edge('a', 'b'), edge('c', 'd')]).size).toBe(0)
  })
})
