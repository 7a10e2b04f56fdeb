import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { average } from './average.ts'
import { decayingAverage } from './decaying-average.ts'
import { highest } from './highest.ts'
import { latest } from './latest.ts'
import { nMastery } from './n-mastery.ts'
import type { RatedEvidence } from './types.ts'
import { weightedTriangulation } from './weighted-triangulation.ts'

const START = Date.UTC(2026, 0, 1)
const evidenceArb: fc.Arbitrary<RatedEvidence> = fc.record({
  statementId: fc.uuid(),
  score: fc.double({ min: 0, max: 1, noNaN: true }),
  at: fc.integer({ min: 0, max: 180 * 24 * 60 }).map((minutes) => new Date(START + minutes * 60_000).toISOString()),
  source: fc.constantFrom('facilitator-rubric', 'observation', 'e-training-test', 'mentoring', 'self-report'),
  weight: fc.double({ min: 0.1, max: 5, noNaN: true }),
})
const history = fc.uniqueArray(evidenceArb, { minLength: 1, maxLength: 12, selector: (e) => e.statementId })
const orderIndependent = [average(), highest(), latest(), decayingAverage(0.65), nMastery(2, 0.7), weightedTriangulation()]

describe('rating properties (fast-check)', () => {
  it('highest ≥ average ≥ lowest score', () => {
    fc.assert(fc.property(history, (evidence) => {
      const min = Math.min(...evidence.map((e) => e.score))
      expect(highest()(evidence).rating).toBeGreaterThanOrEqual(average()(evidence).rating)
      expect(average()(evidence).rating).toBeGreaterThanOrEqual(min)
    }))
  })

  it('every method rates within 0..1 and within the scores seen', () => {
    fc.assert(fc.property(history, (evidence) => {
      const scores = evidence.map((e) => e.score)
      for (const rate of orderIndependent) {
        const { rating } = rate(evidence)
        expect(rating).toBeGreaterThanOrEqual(Math.min(...scores))
        expect(rating).toBeLessThanOrEqual(Math.max(...scores))
      }
    }))
  })

  it('no method depends on the order evidence arrives in', () => {
    fc.assert(fc.property(history, fc.nat(), (evidence, seed) => {
      const shuffled = [...evidence].sort((a, b) => ((a.statementId.charCodeAt(seed % 36) || 0) - (b.statementId.charCodeAt(seed % 36) || 0)) || (seed % 2 === 0 ? 1 : -1))
      for (const rate of orderIndependent) expect(rate(shuffled)).toEqual(rate(evidence))
    }))
  })

  it('latest depends on time: adding evidence later than all others makes it the rating', () => {
    fc.assert(fc.property(history, evidenceArb, (evidence, extra) => {
      const newest = { ...extra, statementId: 'newest', at: new Date(START + 200 * 24 * 3600_000).toISOString() }
      expect(latest()([newest, ...evidence])).toMatchObject({ rating: newest.score, evidence: ['newest'] })
    }))
  })

  it('proficient always means rating ≥ threshold', () => {
    fc.assert(fc.property(history, (evidence) => {
      for (const rate of orderIndependent) {
        const r = rate(evidence)
        if (r.proficient) expect(r.rating).toBeGreaterThanOrEqual(0.7 - 1e-9)
      }
    }))
  })

  it('the evidence ids used are ids of the input, each once', () => {
    fc.assert(fc.property(history, (evidence) => {
      const ids = new Set(evidence.map((e) => e.statementId))
      for (const rate of orderIndependent) {
        const used = rate(evidence).evidence
        expect(new Set(used).size).toBe(used.length)
        for (const id of used) expect(ids.has(id)).toBe(true)
      }
    }))
  })
})
