import { describe, expect, it } from 'vitest'
import { validateStatement } from '@tln/xapi'
import { evaluationStatement, evaluationStatementId, INDICATOR_RATINGS_EXTENSION, INSTRUMENT_TYPE } from './observation-statements.ts'
import type { Instrument } from './types.ts'

const base: Instrument = {
  id: '1c2d3e4f-0000-4000-8000-000000000001', tenantId: 't', name: 'Observasi kelas', kind: 'observation', createdAt: new Date(0),
  scale: { min: 1, max: 4, labels: ['1', '2', '3', '4'] },
  indicators: [{ code: 'OBS1', competence: 'PED.C.2', text: 'RPPH siap' }, { code: 'OBS2', competence: 'PED.D.1', text: 'Kegiatan' }],
}
const teacher = { objectType: 'Agent' as const, name: 'Siti', account: { homePage: 'https://tln.example.org', name: 'p-1' } }
const monitor = { objectType: 'Agent' as const, name: 'Pemantau', account: { homePage: 'https://tln.example.org', name: 'p-9' } }
const record = { id: 'r-1', ratings: { OBS1: 3, OBS2: 4 }, observedOn: '2026-03-09', monitor }
const group = { id: 'k', name: 'Praya', districtName: 'Kabupaten Lombok Tengah' }

/** DOMAIN.md "observation / interview → scored / interviewed, object instrument / Agent". */
describe('evaluation statements', () => {
  it('an observation: the teacher scored on the instrument, the monitor as instructor, ratings per indicator', () => {
    const s = evaluationStatement('https://tln.example.org', base, record, { teacher, group, npsn: '69912345' }) as unknown as Record<string, any>
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(s.id).toBe(evaluationStatementId('r-1'))
    expect(s.actor).toEqual(teacher)
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/scored')
    expect(s.object).toMatchObject({ id: `https://tln.example.org/lti/observations/instruments/${base.id}`, definition: { type: INSTRUMENT_TYPE } })
    expect(s.context.instructor).toEqual(monitor)
    expect(s.result.score).toEqual({ scaled: 0.875, raw: 7, min: 2, max: 8 })
    expect(s.result.extensions[INDICATOR_RATINGS_EXTENSION]).toEqual({ OBS1: { rating: 3, competence: 'PED.C.2' }, OBS2: { rating: 4, competence: 'PED.D.1' } })
    expect(s.timestamp).toBe('2026-03-09T04:00:00.000Z')
  })

  it('an interview: the monitor interviewed the teacher (an Agent object), the instrument in context', () => {
    const s = evaluationStatement('https://tln.example.org', { ...base, kind: 'interview' }, record, { teacher }) as unknown as Record<string, any>
    expect(() => validateStatement(s, { version: '1.0.3' })).not.toThrow()
    expect(s.actor).toEqual(monitor)
    expect(s.verb.id).toBe('http://id.tincanapi.com/verb/interviewed')
    expect(s.object).toEqual(teacher)
    expect(s.context.contextActivities.other[0].definition.type).toBe(INSTRUMENT_TYPE)
    expect(s.context.instructor).toBeUndefined()
  })
})
