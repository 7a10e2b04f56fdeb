import type { Statement } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { alignRules } from './align-rules.ts'
import { ACTIVITY_TYPES, CMI5_CATEGORY, CMI5_TEMPLATES, DEFAULT_RULE_TEMPLATES, MOODLE_LOGSTORE_TEMPLATES, TLN_RUBRIC_LEVELS_EXTENSION, VERBS } from './default-rules.ts'
import { evidenceFromStatement } from './evidence-from-statement.ts'
import { rubricRules } from './rubric-rules.ts'

const MOODLE = 'https://elearning.bppaudntb.example'
const COURSE = `${MOODLE}/course/view.php?id=12`
const actor = { objectType: 'Agent' as const, account: { homePage: MOODLE, name: 'guru-001' } }
const base = (over: Partial<Statement>): Statement => ({ id: '6f1c0a52-5a1e-4c5b-9f3c-1a2b3c4d5e6f', actor, verb: { id: VERBS.completed }, object: { id: COURSE }, timestamp: '2026-02-03T10:00:00+08:00', stored: '2026-02-03T02:00:01Z', ...over })
const aligned = alignRules(DEFAULT_RULE_TEMPLATES, [{ activity: COURSE, indicators: ['PED.C.1'] }])

describe('evidenceFromStatement: Moodle logstore_xapi defaults', () => {
  it('counts a quiz attempt (verb completed, object type assessment, course in grouping) with result.score.scaled', () => {
    const s = base({
      object: { id: `${MOODLE}/mod/quiz/view.php?id=7`, definition: { type: ACTIVITY_TYPES.assessment } },
      result: { score: { raw: 8, min: 0, max: 10, scaled: 0.8 }, success: true, completion: true },
      context: { contextActivities: { grouping: [{ id: MOODLE }, { id: COURSE }], category: [{ id: 'http://moodle.org' }] } },
    })
    expect(evidenceFromStatement(s, aligned)).toEqual([{
      statementId: s.id, learner: `account:${JSON.stringify([MOODLE, 'guru-001'])}`, indicator: 'PED.C.1', source: 'e-training-test', score: 0.8, at: '2026-02-03T02:00:00.000Z', weight: 1, rule: 'moodle-quiz-attempt@1.0.0',
    }])
  })

  it('counts course completion (object type lms/course) at a lower weight, score 1', () => {
    const s = base({ object: { id: COURSE, definition: { type: ACTIVITY_TYPES.moodleCourse } } })
    expect(evidenceFromStatement(s, aligned)).toMatchObject([{ score: 1, source: 'e-training-completion', weight: 0.5, rule: 'moodle-course-completed@1.0.0' }])
  })

  it('ignores a course that is not aligned, and other verbs', () => {
    expect(evidenceFromStatement(base({ object: { id: `${MOODLE}/course/view.php?id=99`, definition: { type: ACTIVITY_TYPES.moodleCourse } } }), aligned)).toEqual([])
    expect(evidenceFromStatement(base({ verb: { id: 'http://id.tincanapi.com/verb/viewed' }, object: { id: COURSE, definition: { type: ACTIVITY_TYPES.moodleCourse } } }), aligned)).toEqual([])
  })

  it('uses raw within min..max when scaled is absent', () => {
    const s = base({ object: { id: 'q', definition: { type: ACTIVITY_TYPES.assessment } }, result: { score: { raw: 15, min: 10, max: 20 } }, context: { contextActivities: { grouping: [{ id: COURSE }] } } })
    expect(evidenceFromStatement(s, alignRules(MOODLE_LOGSTORE_TEMPLATES, [{ activity: COURSE, indicators: ['PED.C.1'] }]))[0]!.score).toBe(0.5)
  })
})

describe('evidenceFromStatement: cmi5 defaults', () => {
  const au = 'https://elearning.bppaudntb.example/cmi5/au/diklat-dasar-post-test'
  const cmi5 = (verb: string, result?: Statement['result'], registration: string | null = '9c1f2a3b-4d5e-4f60-8a7b-1c2d3e4f5a6b'): Statement =>
    base({ verb: { id: verb }, object: { id: au }, ...(result === undefined ? {} : { result }), context: { ...(registration === null ? {} : { registration }), contextActivities: { category: [{ id: CMI5_CATEGORY }] } } })
  const rules = alignRules(CMI5_TEMPLATES, [{ activity: au, indicators: ['PED.C.2'] }])

  it('counts passed with its scaled score, failed as 0 without one, completed at a lower weight', () => {
    expect(evidenceFromStatement(cmi5(VERBS.passed, { success: true, score: { scaled: 0.9 } }), rules)).toMatchObject([{ score: 0.9, rule: 'cmi5-passed@1.0.0' }])
    expect(evidenceFromStatement(cmi5(VERBS.failed, { success: false }), rules)).toMatchObject([{ score: 0, rule: 'cmi5-failed@1.0.0' }])
    expect(evidenceFromStatement(cmi5(VERBS.completed, { completion: true }), rules)).toMatchObject([{ score: 1, weight: 0.5, rule: 'cmi5-completed@1.0.0' }])
  })

  it('requires the registration and the cmi5 category (cmi5 §9.6)', () => {
    expect(evidenceFromStatement(cmi5(VERBS.passed, { success: true }, null), rules)).toEqual([])
    expect(evidenceFromStatement(base({ verb: { id: VERBS.passed }, object: { id: au }, context: { registration: '9c1f2a3b-4d5e-4f60-8a7b-1c2d3e4f5a6b' } }), rules)).toEqual([])
  })
})

describe("evidenceFromStatement: TLN's own statements (DOMAIN.md table)", () => {
  const f = validateFramework(SMALL)
  const task = 'https://tln.example/xapi/activities/task/rpph'
  const scored = (levels: Record<string, unknown>): Statement =>
    base({ verb: { id: VERBS.scored }, object: { id: task, definition: { type: ACTIVITY_TYPES.task } }, result: { score: { raw: 12, min: 4, max: 16, scaled: 0.75 }, success: true, extensions: { [TLN_RUBRIC_LEVELS_EXTENSION]: levels } } })

  it("turns a facilitator's rubric level into evidence for the criterion's indicator, scaled by the top level", () => {
    const rules = rubricRules(f)
    expect(rules).toEqual([{ id: 'tln-rubric:lesson-plan:kegiatan-bermain', version: '1.2.0', indicator: 'PED.C.2', match: { verb: VERBS.scored, activityType: ACTIVITY_TYPES.task, rubricCriterion: 'kegiatan-bermain' }, source: 'facilitator-rubric', weight: 2, rubric: { extension: TLN_RUBRIC_LEVELS_EXTENSION, maxLevel: 4 } }])
    expect(evidenceFromStatement(scored({ 'kegiatan-bermain': 3, penilaian: 4 }), rules)).toMatchObject([{ indicator: 'PED.C.2', score: 0.75, weight: 2, rule: 'tln-rubric:lesson-plan:kegiatan-bermain@1.2.0' }])
    expect(evidenceFromStatement(scored({ penilaian: 4 }), rules)).toEqual([])
    expect(evidenceFromStatement(scored({ 'kegiatan-bermain': 'tiga' }), rules)).toEqual([])
  })

  it('counts a statement once per indicator: the first matching rule wins (rubric before the whole-task score)', () => {
    const rules = [...rubricRules(f), ...alignRules(DEFAULT_RULE_TEMPLATES, [{ activity: task, indicators: ['PED.C.2', 'PED.C.1'] }])]
    expect(evidenceFromStatement(scored({ 'kegiatan-bermain': 2 }), rules).map((e) => [e.indicator, e.rule, e.score])).toEqual([
      ['PED.C.2', 'tln-rubric:lesson-plan:kegiatan-bermain@1.2.0', 0.5],
      ['PED.C.1', 'tln-task-scored@1.0.0', 0.75],
    ])
  })

  it('applies result conditions: minScaled, success, completion', () => {
    const [rule] = alignRules(DEFAULT_RULE_TEMPLATES.filter((t) => t.id === 'tln-task-scored'), [{ activity: task, indicators: ['PED.C.2'] }])
    expect(evidenceFromStatement(scored({}), [{ ...rule!, result: { minScaled: 0.8 } }])).toEqual([])
    expect(evidenceFromStatement(scored({}), [{ ...rule!, result: { minScaled: 0.75, success: true } }])).toHaveLength(1)
    expect(evidenceFromStatement(scored({}), [{ ...rule!, result: { completion: true } }])).toEqual([])
  })

  it('credits the mentor for a mentoring session (object is the mentee Agent)', () => {
    const s = base({ verb: { id: VERBS.mentored }, object: { objectType: 'Agent', account: { homePage: 'https://tln.example', name: 'rekan-1' } }, context: { contextActivities: { parent: [{ id: 'https://tln.example/xapi/activities/mentoring/r1' }] } } })
    const rules = alignRules(DEFAULT_RULE_TEMPLATES, [{ activity: 'https://tln.example/xapi/activities/mentoring/r1', indicators: ['SOS.B.2'] }])
    expect(evidenceFromStatement(s, rules)).toMatchObject([{ indicator: 'SOS.B.2', source: 'mentoring', learner: `account:${JSON.stringify([MOODLE, 'guru-001'])}` }])
  })
})

describe('evidenceFromStatement: what never counts', () => {
  it('a voiding statement is not evidence (xAPI 1.0.3 Data 2.3.2); retraction is by statement id', () => {
    expect(evidenceFromStatement(base({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: '6f1c0a52-5a1e-4c5b-9f3c-000000000000' } }), [{ id: 'all-voids', version: '1.0.0', indicator: 'PED.C.1', match: { verb: 'http://adlnet.gov/expapi/verbs/voided' }, source: 'x', weight: 1 }])).toEqual([])
  })

  it('an anonymous group has no one to credit', () => {
    expect(evidenceFromStatement(base({ actor: { objectType: 'Group', member: [] }, object: { id: COURSE, definition: { type: ACTIVITY_TYPES.moodleCourse } } }), aligned)).toEqual([])
  })

  it('a statement that is not stored (no id) is a caller mistake', () => {
    const { id: _, ...noId } = base({})
    expect(() => evidenceFromStatement(noId, aligned)).toThrow(TypeError)
  })
})
