import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { CompetenceError } from '../errors.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { rateFramework } from './rate-framework.ts'
import { ratingMethodFromConfig } from './rating-config.ts'
import { allChildrenProficient, points } from './roll-up.ts'
import type { Rating } from './types.ts'

const r = (rating: number, proficient: boolean, evidence: string[] = []): Rating => ({ rating, proficient, evidence, method: 'test' })

describe('roll-ups (Moodle competencies parent rules)', () => {
  it('allChildrenProficient: proficient only when every child is ("Complete when all children are complete")', () => {
    expect(allChildrenProficient([{ code: 'A.1', rating: r(1, true, ['s1']) }, { code: 'A.2', rating: r(0.5, false, ['s2', 's1']) }])).toEqual({ rating: 0.75, proficient: false, evidence: ['s1', 's2'], method: 'allChildrenProficient' })
    expect(allChildrenProficient([{ code: 'A.1', rating: r(1, true) }, { code: 'A.2', rating: r(0.8, true) }]).proficient).toBe(true)
    expect(allChildrenProficient([]).proficient).toBe(false)
  })

  it('points: proficient when earned points reach the requirement and every required child is proficient (Moodle "points")', () => {
    const children = [
      { code: 'A', rating: r(1, true, ['a']), points: 2 },
      { code: 'B', rating: r(0.9, true, ['b']), points: 1 },
      { code: 'C', rating: r(0.2, false, ['c']), points: 1, required: true },
    ]
    expect(points(children, 3)).toEqual({ rating: 0.75, proficient: false, evidence: ['a', 'b'], method: 'points(required=3)' })
    expect(points(children.map((c) => ({ ...c, required: false })), 3).proficient).toBe(true)
    expect(points(children.map((c) => ({ ...c, required: false })), 4).proficient).toBe(false)
  })
})

describe('rateFramework', () => {
  const f = validateFramework(SMALL)
  const ev = (id: string, score: number) => ({ statementId: id, score, at: '2026-02-01T00:00:00Z', source: 'facilitator-rubric', weight: 1 })

  it('rates indicators by the method and rolls up to sub-competence and competence', () => {
    const ratings = rateFramework(f, new Map([['PED.C.1', [ev('s1', 0.9)]], ['PED.C.2', [ev('s2', 0.8)]]]), { method: { method: 'latest' }, rollUp: { rule: 'allChildrenProficient' } })
    expect(ratings.get('PED.C.2')).toMatchObject({ proficient: true, evidence: ['s2'] })
    expect(ratings.get('PED.C')).toMatchObject({ proficient: true, evidence: ['s1', 's2'] })
    expect(ratings.get('PED')).toMatchObject({ proficient: true })
    expect(ratings.get('SOS')).toMatchObject({ proficient: false, rating: 0, evidence: [] })
  })

  it('applies points with per-parent requirements', () => {
    const ratings = rateFramework(f, new Map([['PED.C.2', [ev('s2', 0.8)]]]), { method: { method: 'highest' }, rollUp: { rule: 'points', points: { 'PED.C.2': 3 }, pointsRequired: { 'PED.C': 3 } } })
    expect(ratings.get('PED.C')).toMatchObject({ proficient: true, rating: 0.75 })
  })

  it('with stored ratings, rates only the touched competences, takes untouched nodes as stored and leaves them out', () => {
    const config = { method: { method: 'latest' }, rollUp: { rule: 'allChildrenProficient' } } as const
    const stored = new Map([['PED.C.1', r(0.9, true, ['s1'])]])
    const asked: string[] = []
    const ratings = rateFramework(f, new Map([['PED.C.2', [ev('s2', 0.8)]]]), config, { competences: new Set(['PED']), stored: (code) => (asked.push(code), stored.get(code)) })
    // PED.C.1 came from its stored row: not rated again, not returned; its parents are rolled up from it.
    expect([...ratings.keys()].sort()).toEqual(['PED', 'PED.C', 'PED.C.2'])
    expect(ratings.get('PED.C')).toEqual({ rating: (0.9 + 0.8) / 2, proficient: true, evidence: ['s1', 's2'], method: 'allChildrenProficient' })
    expect(asked).toContain('PED.C.1')
    expect(asked).not.toContain('PED.C.2')
    expect(ratings).toEqual(new Map([...rateFramework(f, new Map([['PED.C.1', [ev('s1', 0.9)]], ['PED.C.2', [ev('s2', 0.8)]]]), config)].filter(([code]) => ratings.has(code))))
  })

  it('rejects an administrator configuration out of range as a domain error', () => {
    expect(() => ratingMethodFromConfig({ method: 'decayingAverage', weight: 2 })).toThrow(CompetenceError)
    expect(() => ratingMethodFromConfig({ method: 'median' } as never)).toThrow(expect.objectContaining({ code: 'ERR_COMPETENCE_INVALID_RULE' }))
  })
})
