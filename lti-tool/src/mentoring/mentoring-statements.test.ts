import { ifiKey, validateStatement, type Agent } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { answerStatement, mentoredStatement, mentoringStatementId, MENTORING_EXTENSIONS, MENTORING_RELATION_TYPE, verificationStatement } from './mentoring-statements.ts'
import type { MentoringSession, Relation } from './types.ts'

const URL = 'https://tln.lomboktengah.example'
const relation: Relation = {
  id: '0b5f6a1e-4c1d-4c55-9a55-7f0e8d6c4b10', tenantId: 't1', tenant: 'default', windowStart: '2026-03-01', windowDays: 15, createdAt: new Date('2026-03-01T00:00:00Z'),
  mentor: { id: 'p-mentor', name: 'Siti Rahayu', lti: { issuer: 'https://lms.example', sub: 'user-17' } },
  mentee: { id: '7d1c9a20-1111-4aaa-8bbb-123456789abc', name: 'Baiq Nurul' },
  school: { id: 's1', name: 'TK Cahaya Praya', npsn: '99020601', path: '/a/b/c/s1/' },
  kecamatan: { name: 'Praya', districtName: 'Kabupaten Lombok Tengah' },
}
const session: MentoringSession = {
  id: '3f0e7a55-2222-4ccc-9ddd-abcdefabcdef', relationId: relation.id, date: '2026-03-10', durationMinutes: 45, topicTask: 'RPPH', topicText: '', notes: 'n',
  afterWindow: false, status: 'waiting', menteeNote: '', verificationNote: '', createdAt: new Date(),
}

describe('mentored statement (DOMAIN.md: mentoring session → mentored, object the mentee Agent, parent the relation)', () => {
  const s = mentoredStatement(URL, relation, session) as unknown as Record<string, any>

  it('is a valid xAPI 1.0.3 statement', () => {
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
  })
  it('has the mentor LMS identity as actor and the mentee as an Agent with a TLN account (no LMS identity)', () => {
    expect(s.actor.account).toEqual({ homePage: 'https://lms.example', name: 'user-17' })
    expect(s.verb.id).toBe('http://id.tincanapi.com/verb/mentored')
    expect(s.object).toEqual({ objectType: 'Agent', name: 'Baiq Nurul', account: { homePage: URL, name: relation.mentee.id } })
  })
  it('names the relation as parent and the lesson-plan task as other', () => {
    expect(s.context.contextActivities.parent).toEqual([expect.objectContaining({ id: `${URL}/lti/mentoring/relations/${relation.id}`, definition: expect.objectContaining({ type: MENTORING_RELATION_TYPE }) })])
    expect(s.context.contextActivities.other).toEqual([expect.objectContaining({ id: `${URL}/lti/tasks/default/task-rpph` })])
  })
  it('carries duration, completion, and the kecamatan and NPSN extensions as the demo does', () => {
    expect(s.result).toEqual({ completion: true, duration: 'PT45M' })
    expect(s.context.extensions).toEqual({ [MENTORING_EXTENSIONS.kecamatan]: 'https://tln.example/id/lombok-tengah/kecamatan/praya', [MENTORING_EXTENSIONS.npsn]: '99020601' })
  })
  it('is dated on the session day (noon in Lombok) and flags a session after the window', () => {
    expect(s.timestamp).toBe('2026-03-10T04:00:00.000Z')
    const late = mentoredStatement(URL, relation, { ...session, afterWindow: true, topicTask: undefined, topicText: 'Media' } as MentoringSession) as unknown as Record<string, any>
    expect(late.context.extensions[MENTORING_EXTENSIONS.afterWindow]).toBe(true)
    expect(late.context.extensions[MENTORING_EXTENSIONS.topic]).toBe('Media')
    expect(late.context.contextActivities.other).toBeUndefined()
  })
  it('has an id derived from the session, so a retry records nothing new (RFC 9562 §5.5 name-based UUID)', () => {
    expect(s.id).toBe(mentoringStatementId('mentored', session.id))
    expect((mentoredStatement(URL, relation, session) as unknown as Record<string, unknown>).id).toBe(s.id)
    expect(mentoringStatementId('answer', session.id)).not.toBe(s.id)
  })
  it('identifies the mentee by the same IFI key person_identity stores', () => {
    expect(ifiKey(s.object as Agent)).toBe(`account:${JSON.stringify([URL, relation.mentee.id])}`)
  })
})

describe('answer and verification statements (Activity Streams base schema verbs; object a StatementRef, xAPI 1.0.3 Data 2.4.4.3)', () => {
  it('the mentee confirms the mentored statement', () => {
    const s = answerStatement(URL, relation, session, { confirmed: true, note: '', at: new Date('2026-03-11T01:00:00Z') }) as unknown as Record<string, any>
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(s.actor.account).toEqual({ homePage: URL, name: relation.mentee.id })
    expect(s.verb.id).toBe('http://activitystrea.ms/schema/1.0/confirm')
    expect(s.object).toEqual({ objectType: 'StatementRef', id: mentoringStatementId('mentored', session.id) })
    expect(s.context.contextActivities.parent[0].id).toBe(`${URL}/lti/mentoring/relations/${relation.id}`)
    expect(s.result).toBeUndefined()
  })
  it('a dispute is deny with the note as the response', () => {
    const s = answerStatement(URL, relation, session, { confirmed: false, note: 'Tidak pernah', at: new Date() }) as unknown as Record<string, any>
    expect(s.verb.id).toBe('http://activitystrea.ms/schema/1.0/deny')
    expect(s.result).toEqual({ response: 'Tidak pernah' })
  })
  it('the verifier approves or rejects', () => {
    const verifier = { objectType: 'Agent' as const, name: 'Dewi', account: { homePage: 'https://lms.example', name: 'user-19' } }
    const ok = verificationStatement(URL, relation, session, { verifier, approved: true, note: '', at: new Date() }) as unknown as Record<string, any>
    const no = verificationStatement(URL, relation, session, { verifier, approved: false, note: 'Tanggal salah', at: new Date() }) as unknown as Record<string, any>
    expect(() => validateStatement(no, { version: '1.0.3' })).not.toThrow()
    expect([ok.verb.id, no.verb.id]).toEqual(['http://activitystrea.ms/schema/1.0/approve', 'http://activitystrea.ms/schema/1.0/reject'])
    expect(ok.id).toBe(mentoringStatementId('verification', session.id))
    expect(no.object.id).toBe(mentoringStatementId('mentored', session.id))
  })
})
