import type { Statement } from '@tln/xapi'
import { attendanceVoidId, attendedStatement, attendedStatementId, voidStatement } from '../../src/meetings/meeting-statements.ts'
import { evaluationStatement } from '../../src/observations/observation-statements.ts'
import type { Instrument } from '../../src/observations/types.ts'

/**
 * The meeting and evaluation statements of the tool (`lti-tool/src/meetings`, `lti-tool/src/observations`):
 * a marked attendance and its undo (a voiding statement), an observation and an interview.
 */
export function meetingAndEvaluationSamples(): Statement[] {
  const publicUrl = 'https://tln.example'
  const group = { id: 'k1', name: 'Praya', districtName: 'Kabupaten Lombok Tengah' }
  const teacher = { objectType: 'Agent' as const, name: 'Siti', account: { homePage: 'https://moodle.example.org', name: 'u-17' } }
  const facilitator = { objectType: 'Agent' as const, name: 'Dewi', account: { homePage: publicUrl, name: '7d3c9a10-0000-4000-8000-000000000009' } }
  const meeting = { id: '7d3c9a10-0000-4000-8000-000000000001', kind: 'routine' as const, title: 'Pertemuan rutin TLN Praya', startsAt: new Date('2026-03-14T01:00:00Z') }
  const instrument: Instrument = {
    id: '7d3c9a10-0000-4000-8000-000000000002', tenantId: 't', name: 'Observasi pembelajaran', kind: 'observation', createdAt: new Date(0),
    scale: { min: 1, max: 4, labels: ['Belum', 'Mulai', 'Berkembang', 'Sangat baik'] },
    indicators: [{ code: 'OBS1', competence: 'PED.C.2', text: 'RPPH siap' }],
  }
  const record = { id: 'r-1', ratings: { OBS1: 3 }, observedOn: '2026-03-09', monitor: facilitator }
  return [
    attendedStatement(publicUrl, group, meeting, { personId: 'p-1', teacher, instructor: facilitator, revision: 0, npsn: '69912345' }),
    voidStatement({ id: attendanceVoidId(meeting.id, 'p-1', 0), target: attendedStatementId(meeting.id, 'p-1', 0), actor: facilitator, at: new Date('2026-03-14T05:00:00Z') }),
    evaluationStatement(publicUrl, instrument, record, { teacher, group, npsn: '69912345' }),
    evaluationStatement(publicUrl, { ...instrument, kind: 'interview' }, record, { teacher }),
  ]
}
