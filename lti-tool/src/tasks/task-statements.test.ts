import { validateStatement } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { gradeStatements, RUBRIC_LEVELS_EXTENSION, submitStatement, taskStatementId, VERB, type TaskStatementSubject } from './task-statements.ts'

const subject: TaskStatementSubject = {
  publicUrl: 'https://tln.example', tenant: 'default', platformId: 'p1', issuer: 'https://moodle.example.org',
  teacher: { sub: 'u-17', name: 'Siti' }, contextId: 'course-1', task: { key: 'task-rpph', title: { id: 'RPPH', en: 'Daily lesson plan' } },
}
const facilitator = { issuer: 'https://moodle.example.org', sub: 'u-19', name: 'Dewi' }

describe('task statements (DOMAIN.md "xAPI statements the tool emits")', () => {
  it('submit: a valid statement on the task (school-assignment), id derived from the submission', () => {
    const s = submitStatement(subject, { submissionId: 'sub-1', version: 2, timestamp: new Date(0) })
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(s).toMatchObject({ id: taskStatementId('submit', 'sub-1'), verb: { id: VERB.submit }, object: { id: 'https://tln.example/lti/tasks/default/task-rpph', definition: { type: 'http://id.tincanapi.com/activitytype/school-assignment' } } })
  })

  it('accept: scored with the rubric levels, passed, commented on the submission — all valid', () => {
    const list = gradeStatements(subject, {
      gradeId: 'g-1', submitStatementId: taskStatementId('submit', 'sub-1'), facilitator, levels: { 'rpph-tujuan': 4 },
      score: { scaled: 0.8, raw: 80, passed: true }, feedback: 'Bagus', timestamp: new Date(0),
    })
    for (const s of list) expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(list.map((s) => s.verb.id)).toEqual([VERB.scored, VERB.passed, VERB.commented])
    expect(list[0]!.result?.extensions?.[RUBRIC_LEVELS_EXTENSION]).toEqual({ 'rpph-tujuan': 4 })
    expect(list[2]).toMatchObject({ object: { objectType: 'StatementRef', id: taskStatementId('submit', 'sub-1') }, result: { response: 'Bagus' } })
  })

  it('return for revision: only the comment; a failing score says failed', () => {
    expect(gradeStatements(subject, { gradeId: 'g-2', submitStatementId: taskStatementId('submit', 'x'), facilitator, levels: {}, feedback: 'Revisi', timestamp: new Date(0) }).map((s) => s.verb.id)).toEqual([VERB.commented])
    const failed = gradeStatements(subject, { gradeId: 'g-3', submitStatementId: taskStatementId('submit', 'x'), facilitator, levels: {}, score: { scaled: 0.5, raw: 50, passed: false }, feedback: '', timestamp: new Date(0) })
    expect(failed.map((s) => s.verb.id)).toEqual([VERB.scored, VERB.failed])
  })
})
