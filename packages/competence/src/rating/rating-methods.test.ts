import { describe, expect, it } from 'vitest'
import { average } from './average.ts'
import { decayingAverage } from './decaying-average.ts'
import { highest } from './highest.ts'
import { latest } from './latest.ts'
import { nMastery } from './n-mastery.ts'
import type { RatedEvidence } from './types.ts'
import { weightedTriangulation } from './weighted-triangulation.ts'

const e = (statementId: string, score: number, at: string, source = 'facilitator-rubric', weight = 1): RatedEvidence => ({ statementId, score, at: `2026-0${at}T08:00:00Z`, source, weight })

describe('rating methods (Canvas outcomes calculation methods; DOMAIN.md)', () => {
  const history = [e('s3', 0.9, '3-01'), e('s1', 0.5, '1-01'), e('s2', 0.6, '2-01')]

  it('latest: the most recent evidence by time, not by position in the input (Canvas "Most Recent Score")', () => {
    expect(latest()(history)).toEqual({ rating: 0.9, proficient: true, evidence: ['s3'], method: 'latest(threshold=0.75)' })
    // An old event stored late does not override newer evidence.
    expect(latest()([...history, e('late', 0.1, '1-15')]).evidence).toEqual(['s3'])
  })

  it('latest compares instants, not strings written in different zones', () => {
    const a = { statementId: 'a', score: 0.2, at: '2026-01-01T10:00:00+08:00', source: 'x', weight: 1 }
    const b = { statementId: 'b', score: 0.8, at: '2026-01-01T03:00:00Z', source: 'x', weight: 1 }
    expect(latest()([a, b]).evidence).toEqual(['b'])
  })

  it('highest: the best score (Canvas "Highest Score")', () => {
    expect(highest({ threshold: 0.95 })(history)).toMatchObject({ rating: 0.9, proficient: false, evidence: ['s3'] })
  })

  it('average: weighted mean of all evidence', () => {
    expect(average()(history).rating).toBeCloseTo(2 / 3)
    expect(average()([e('a', 1, '1-01', 'x', 3), e('b', 0, '2-01', 'x', 1)]).rating).toBeCloseTo(0.75)
  })

  it('decayingAverage: latest × w + average of the rest × (1 − w) (Canvas "Decaying Average", 65/35 example)', () => {
    // Canvas guide: 0.65 × 4.5 + 0.35 × 5 with scores out of 5.
    const r = decayingAverage(0.65)([e('a', 1, '1-01'), e('b', 1, '2-01'), e('c', 0.9, '3-01')])
    expect(r.rating).toBeCloseTo(0.65 * 0.9 + 0.35 * 1)
    expect(r.evidence).toEqual(['a', 'b', 'c'])
    expect(decayingAverage(0.65)([e('only', 0.4, '1-01')]).rating).toBe(0.4)
  })

  it('nMastery: proficient after n scores at or above the threshold; rating = mean of those (Canvas "n Number of Times")', () => {
    expect(nMastery(2, 0.8)([e('a', 0.9, '1-01'), e('b', 0.5, '2-01')])).toMatchObject({ proficient: false, rating: 0.7, evidence: ['a', 'b'] })
    expect(nMastery(2, 0.8)([e('a', 0.9, '1-01'), e('b', 0.5, '2-01'), e('c', 0.8, '3-01')])).toMatchObject({ proficient: true, evidence: ['a', 'c'] })
    expect(nMastery(2, 0.8)([e('a', 0.9, '1-01'), e('b', 0.5, '2-01'), e('c', 0.8, '3-01')]).rating).toBeCloseTo(0.85)
  })

  it('weightedTriangulation: ≥ 0.75 with evidence from at least two kinds of source (DOMAIN.md)', () => {
    const t = weightedTriangulation({ threshold: 0.75, minSourceKinds: 2 })
    expect(t([e('a', 0.9, '1-01', 'facilitator-rubric'), e('b', 0.8, '2-01', 'facilitator-rubric')])).toMatchObject({ proficient: false })
    const both = t([e('a', 0.9, '1-01', 'facilitator-rubric', 2), e('b', 0.6, '2-01', 'observation', 1)])
    expect(both.proficient).toBe(true)
    expect(both.rating).toBeCloseTo(0.8)
    expect(t([e('a', 0.9, '1-01', 'facilitator-rubric', 1), e('b', 0.5, '2-01', 'self-report', 1)])).toMatchObject({ proficient: false, rating: 0.7 })
  })

  it('weight 0 switches evidence off; no evidence gives rating 0, not proficient', () => {
    expect(latest()([e('a', 0.9, '1-01'), e('b', 0.1, '2-01', 'self-report', 0)]).evidence).toEqual(['a'])
    expect(average()([])).toEqual({ rating: 0, proficient: false, evidence: [], method: 'average(threshold=0.75)' })
  })

  it('the threshold is inclusive and tolerant of floating-point rounding ((0.1 + 0.2 + 0.6) / 3 reaches 0.3)', () => {
    expect(latest({ threshold: 0.75 })([e('a', 0.75, '1-01')]).proficient).toBe(true)
    expect(average({ threshold: 0.3 })([e('a', 0.1, '1-01'), e('b', 0.2, '2-01'), e('c', 0.6, '3-01')]).proficient).toBe(true)
  })

  it('rejects out-of-range parameters and evidence as programming mistakes (TypeError)', () => {
    expect(() => decayingAverage(1.5)).toThrow(TypeError)
    expect(() => nMastery(0, 0.8)).toThrow(TypeError)
    expect(() => latest()([e('a', 1.5, '1-01')])).toThrow(TypeError)
  })
})
