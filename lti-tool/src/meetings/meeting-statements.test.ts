import { describe, expect, it } from 'vitest'
import { validateStatement } from '@tln/xapi'
import { attendanceVoidId, attendedStatement, attendedStatementId, MEETING_TYPE, voidStatement } from './meeting-statements.ts'

const group = { id: 'k1', name: 'Praya Barat', districtName: 'Kabupaten Lombok Tengah' }
const meeting = { id: '0b9a7f36-0000-4000-8000-000000000001', kind: 'routine' as const, title: 'Pertemuan rutin', startsAt: new Date('2026-03-14T01:00:00Z') }
const teacher = { objectType: 'Agent' as const, name: 'Siti', account: { homePage: 'https://tln.example.org', name: 'p-1' } }
const facilitator = { objectType: 'Agent' as const, name: 'Dewi', account: { homePage: 'https://moodle.example.org', name: 'u-19' } }

/** The `attended` statement (DOMAIN.md "meeting → attended, object the meeting, team = TLN group") and its undo. */
describe('meeting statements', () => {
  const s = attendedStatement('https://tln.example.org', group, meeting, { personId: 'p-1', teacher, instructor: facilitator, revision: 0, npsn: '69912345' }) as unknown as Record<string, any>

  it('is a valid xAPI 1.0.3 statement in the demo routine meeting shape', () => {
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(s.actor).toEqual(teacher)
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/attended')
    expect(s.object).toMatchObject({ id: `https://tln.example.org/lti/meetings/${meeting.id}`, definition: { type: MEETING_TYPE, name: { id: 'Pertemuan rutin' } } })
    expect(s.context.instructor).toEqual(facilitator)
    expect(s.context.team).toEqual({ objectType: 'Group', name: 'TLN Praya Barat', account: { homePage: 'https://tln.example', name: 'tln-group-praya-barat' } })
    expect(s.context.extensions).toEqual({
      'https://tln.example/xapi/extensions/kecamatan': 'https://tln.example/id/lombok-tengah/kecamatan/praya-barat',
      'https://tln.example/xapi/extensions/npsn': '69912345',
      'https://tln.example/xapi/extensions/tln-group': 'https://tln.example/id/lombok-tengah/tln-group/praya-barat',
    })
    expect(s.context.contextActivities.category[0].id).toBe('https://tln.example/xapi/profile/v0.1')
    expect(s.timestamp).toBe('2026-03-14T01:00:00.000Z')
  })

  it('derives the id from (meeting, person), and a new one for each mark after an undo', () => {
    expect(s.id).toBe(attendedStatementId(meeting.id, 'p-1', 0))
    expect(attendedStatementId(meeting.id, 'p-1', 0)).toBe(attendedStatementId(meeting.id, 'p-1', 0))
    expect(attendedStatementId(meeting.id, 'p-1', 1)).not.toBe(s.id)
    expect(attendedStatementId(meeting.id, 'p-2', 0)).not.toBe(s.id)
  })

  it('undoes with a voiding statement: verb voided, object a StatementRef (xAPI 1.0.3 Data 2.3.2)', () => {
    const v = voidStatement({ id: attendanceVoidId(meeting.id, 'p-1', 0), target: s.id, actor: facilitator, at: new Date('2026-03-14T03:00:00Z') }) as unknown as Record<string, any>
    expect(() => validateStatement(v, { version: '1.0.3' })).not.toThrow()
    expect(v.verb.id).toBe('http://adlnet.gov/expapi/verbs/voided')
    expect(v.object).toEqual({ objectType: 'StatementRef', id: s.id })
  })
})
