import { ifiKey, type Statement } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PROGRAM_VOCABULARY as V } from '../config/default-config.ts'
import { durationSeconds } from './duration-seconds.ts'
import { factFromStatement, FACT_VERBS } from './fact-from-statement.ts'

const HOME = 'https://elearning.bppaudntb.example'
const actor = { objectType: 'Agent' as const, name: 'Baiq Nurul', account: { homePage: HOME, name: 'guru-001' } }
const facilitator = { objectType: 'Agent' as const, name: 'Lalu Fasil', account: { homePage: HOME, name: 'fas-01' } }
const PROGRAM = { id: 'https://tln.example/xapi/activities/program/p', definition: { type: V.programType } }
const TIER = { id: 'https://tln.example/xapi/activities/tier/dasar', definition: { type: V.tierType } }
const learner = ifiKey(actor)!

function statement(over: Partial<Statement>): Statement {
  return {
    id: '0b5f7a52-5a1e-4c5b-9f3c-1a2b3c4d5e6f', actor, verb: { id: FACT_VERBS.completed }, object: { id: 'x' },
    timestamp: '2026-03-07T17:30:00+08:00', stored: '2026-03-07T09:31:00Z',
    context: { contextActivities: { grouping: [PROGRAM, TIER] } },
    ...over,
  }
}

describe('factFromStatement (FactKind, issue 6 "Reports")', () => {
  it('classifies completed on a tier as tier-completed, the tier being the object itself', () => {
    const fact = factFromStatement(statement({ object: { id: TIER.id, definition: { type: V.tierType, name: { 'en-US': 'Basic', 'id-ID': 'Dasar' } } } }), V)
    expect(fact).toMatchObject({ kind: 'tier-completed', learner, objectId: TIER.id, tierId: TIER.id, programId: PROGRAM.id, objectName: 'Dasar', at: '2026-03-07T09:30:00.000Z', stored: '2026-03-07T09:31:00.000Z' })
  })

  it('classifies completed on a phase and on a module (TLN/ADL and Moodle logstore module types)', () => {
    expect(factFromStatement(statement({ object: { id: 'p1', definition: { type: V.phaseType } } }), V)?.kind).toBe('phase-completed')
    expect(factFromStatement(statement({ object: { id: 'm1', definition: { type: 'http://adlnet.gov/expapi/activities/module' } } }), V)?.kind).toBe('module-completed')
    expect(factFromStatement(statement({ object: { id: 'm2', definition: { type: 'http://id.tincanapi.com/activitytype/lms/module' } } }), V)?.kind).toBe('module-completed')
  })

  it('classifies passed/failed on an assessment, and completed only with a score (Moodle quiz attempt), with score and success', () => {
    const quiz = { id: 'q', definition: { type: 'http://adlnet.gov/expapi/activities/assessment' } }
    expect(factFromStatement(statement({ verb: { id: FACT_VERBS.failed }, object: quiz, result: { score: { scaled: 0.55 }, success: false } }), V)).toMatchObject({ kind: 'assessment', score: 0.55, success: false })
    expect(factFromStatement(statement({ object: { ...quiz, definition: { type: 'http://xapi.jisc.ac.uk/activities/quiz' } }, result: { score: { raw: 15, min: 10, max: 20 } } }), V)).toMatchObject({ kind: 'assessment', score: 0.5 })
    expect(factFromStatement(statement({ object: quiz }), V)).toBeUndefined()
  })

  it('classifies submit and scored on a task', () => {
    const task = { id: 't', definition: { type: V.taskType } }
    expect(factFromStatement(statement({ verb: { id: FACT_VERBS.submit }, object: task, result: { completion: true } }), V)).toMatchObject({ kind: 'task-submitted', completion: true })
    expect(factFromStatement(statement({ verb: { id: FACT_VERBS.scored }, object: task, result: { score: { raw: 12, min: 4, max: 16, scaled: 0.75 }, success: true } }), V)).toMatchObject({ kind: 'task-scored', score: 0.75, success: true })
  })

  it('classifies attended on a meeting with the instructor as related_key', () => {
    const fact = factFromStatement(statement({ verb: { id: FACT_VERBS.attended }, object: { id: 'meet', definition: { type: V.meetingType } }, context: { instructor: facilitator } }), V)
    expect(fact).toMatchObject({ kind: 'attended', relatedKey: ifiKey(facilitator) })
  })

  it('classifies mentored with the mentee (object Agent) as related_key and the mentoring relation as parent_id', () => {
    const mentee = { objectType: 'Agent' as const, name: 'Rekan', account: { homePage: 'https://tln.example', name: 'rekan-1' } }
    const fact = factFromStatement(statement({
      verb: { id: FACT_VERBS.mentored }, object: mentee, result: { completion: true, duration: 'PT1H30M' },
      context: { contextActivities: { parent: [{ id: 'rel-1' }], grouping: [PROGRAM, TIER] } },
    }), V)
    expect(fact).toMatchObject({ kind: 'mentored', relatedKey: ifiKey(mentee), objectId: ifiKey(mentee), objectType: 'Agent', objectName: 'Rekan', parentId: 'rel-1', durationSeconds: 5400, programId: PROGRAM.id })
  })

  it('classifies launched on anything', () => {
    expect(factFromStatement(statement({ verb: { id: FACT_VERBS.launched }, object: { id: 'm' } }), V)?.kind).toBe('launched')
  })

  it('gives no fact for other statements, and none for an anonymous actor', () => {
    expect(factFromStatement(statement({ verb: { id: 'http://id.tincanapi.com/verb/viewed' }, object: { id: 'm', definition: { type: V.taskType } } }), V)).toBeUndefined()
    expect(factFromStatement(statement({ actor: { objectType: 'Group', member: [actor] }, object: { id: 'p', definition: { type: V.phaseType } } }), V)).toBeUndefined()
  })

  it('names the object in id-ID, else id, else en-US, else the first language', () => {
    const named = (name: Record<string, string>) => factFromStatement(statement({ object: { id: 'p', definition: { type: V.phaseType, name } } }), V)?.objectName
    expect(named({ 'en-US': 'E', id: 'I' })).toBe('I')
    expect(named({ 'en-US': 'E', fr: 'F' })).toBe('E')
    expect(named({ fr: 'F' })).toBe('F')
  })
})

describe('durationSeconds (xAPI 1.0.3 Data 4.6, ISO 8601 durations)', () => {
  it('reads hours, minutes, seconds with fractions, days and weeks', () => {
    expect(durationSeconds('PT1H30M')).toBe(5400)
    expect(durationSeconds('PT0.5S')).toBe(1)
    expect(durationSeconds('P1DT1S')).toBe(86_401)
    expect(durationSeconds('P1W')).toBe(604_800)
  })

  it('gives undefined for what is not a duration', () => {
    expect(durationSeconds('P')).toBeUndefined()
    expect(durationSeconds('PT')).toBeUndefined()
    expect(durationSeconds('90 minutes')).toBeUndefined()
    expect(durationSeconds(undefined)).toBeUndefined()
  })
})
