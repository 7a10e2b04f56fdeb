import { validateStatement } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import type { Passback } from '../ags/passback-store.ts'
import { scoredStatementId, scoreStatement } from './score-statement.ts'

const job: Passback = {
  id: 7, tenant: 'default', tenantId: 't', platformId: 'p1', issuer: 'https://moodle.example.org', clientId: 'c',
  target: { lineItemsUrl: 'https://moodle.example.org/mod/lti/services.php/2/lineitems?type_id=1', label: 'RPPH', resourceLinkId: 'rl-1' },
  userSub: 'u-1', scoreGiven: 85, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
  timestamp: new Date('2026-11-29T01:00:00Z'), instructor: { sub: 'f-1', name: 'Dewi' }, contextId: 'course-1',
  status: 'pending', attempts: 1, nextAttemptAt: new Date(0), createdAt: new Date(0),
}

describe('scoreStatement (DOMAIN.md: facilitator grade → scored)', () => {
  it('is a valid xAPI 1.0.3 statement with the learner account, the instructor and a full score', () => {
    const s = scoreStatement(job, { publicUrl: 'https://tln.example', lineItemUrl: 'https://moodle.example.org/li/1?type_id=1' })!
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(s).toMatchObject({
      actor: { account: { homePage: 'https://moodle.example.org', name: 'u-1' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/scored' },
      object: { id: 'https://tln.example/lti/platforms/p1/resource-links/rl-1' },
      result: { score: { scaled: 0.85, raw: 85, min: 0, max: 100 } },
      context: { instructor: { account: { name: 'f-1' }, name: 'Dewi' } },
      timestamp: '2026-11-29T01:00:00.000Z',
    })
    expect(s.id).toBe(scoredStatementId('p1', 7))
  })

  it('keeps extra credit valid (raw ≤ max, scaled ≤ 1)', () => {
    const s = scoreStatement({ ...job, scoreGiven: 110 }, { publicUrl: 'https://tln.example', lineItemUrl: 'https://x.example/li' })!
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(s.result?.score).toEqual({ scaled: 1, raw: 110, min: 0, max: 110 })
  })

  it('makes no statement for a progress-only score', () => {
    const { scoreGiven: _g, ...progressOnly } = job
    expect(scoreStatement(progressOnly, { publicUrl: 'https://tln.example', lineItemUrl: 'https://x.example/li' })).toBeUndefined()
  })
})
