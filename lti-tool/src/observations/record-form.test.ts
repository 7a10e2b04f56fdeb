import { describe, expect, it } from 'vitest'
import { checkInstrumentForm } from './instrument-form.ts'
import { checkRecordForm, recordScore } from './record-form.ts'
import type { Instrument } from './types.ts'

const instrument: Instrument = {
  id: 'i1', tenantId: 't', name: 'Observasi kelas', kind: 'observation', createdAt: new Date(0),
  scale: { min: 1, max: 4, labels: ['Belum', 'Mulai', 'Berkembang', 'Sangat baik'] },
  indicators: [{ code: 'OBS1', competence: 'PED.C.2', text: 'RPPH siap' }, { code: 'OBS2', competence: 'PED.D.1', text: 'Kegiatan sesuai rencana' }],
}
const NOW = Date.parse('2026-03-10T02:00:00Z')
const LOMBOK = { now: NOW, timeZone: 'Asia/Makassar' }

/** Observation instruments and records (issue 5: "indicators, rating scale, notes"; "rating out of scale → 400 naming the indicator"). */
describe('observation forms', () => {
  it('refuses a rating outside the scale and names the indicator', () => {
    const r = checkRecordForm(instrument, { teacher: 'p1', date: '2026-03-09', 'rating.OBS1': '5', 'rating.OBS2': '0' }, LOMBOK)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.errors['rating.OBS1']?.en).toBe('The rating of indicator OBS1 must be 1 to 4.')
    expect(!r.ok && r.errors['rating.OBS2']?.en).toBe('The rating of indicator OBS2 must be 1 to 4.')
  })

  it('needs a rating for every indicator, a teacher, and a date not in the future (Lombok time)', () => {
    const r = checkRecordForm(instrument, { date: '2026-03-11', 'rating.OBS1': '3' }, LOMBOK)
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual(['date', 'rating.OBS2', 'teacher'])
    expect(checkRecordForm(instrument, { teacher: 'p1', date: '2026-03-10', 'rating.OBS1': '3', 'rating.OBS2': '4.0' }, LOMBOK)).toMatchObject({ ok: true, value: { ratings: { OBS1: 3, OBS2: 4 } } })
  })

  it('judges "the future" on the deployment\'s calendar: at 23:30 UTC on 9 March it is 10 March in WITA and WIB, not in UTC', () => {
    const form = { teacher: 'p1', date: '2026-03-10', 'rating.OBS1': '3', 'rating.OBS2': '4' }
    const now = Date.parse('2026-03-09T23:30:00Z')
    expect(checkRecordForm(instrument, form, { now, timeZone: 'Asia/Makassar' }).ok).toBe(true)
    expect(checkRecordForm(instrument, form, { now, timeZone: 'Asia/Jakarta' }).ok).toBe(true)
    expect(checkRecordForm(instrument, form, { now, timeZone: 'UTC' }).ok).toBe(false)
  })

  it('scales the score as the mean rating over the top of the scale', () => {
    expect(recordScore(instrument, { OBS1: 3, OBS2: 4 })).toEqual({ scaled: 0.875, raw: 7, min: 2, max: 8 })
  })

  it('links every instrument indicator to a competence indicator of the framework', () => {
    const codes = new Set(['PED.C.2', 'PED.D.1'])
    const ok = checkInstrumentForm({ name: 'Observasi', kind: 'observation', top: '4', labels: 'a\nb\nc\nd', indicators: 'OBS1 | PED.C.2 | RPPH siap\nOBS2|PED.D.1|Kegiatan' }, codes)
    expect(ok).toMatchObject({ ok: true, value: { scale: { min: 1, max: 4 }, indicators: [{ code: 'OBS1', competence: 'PED.C.2' }, { code: 'OBS2', competence: 'PED.D.1' }] } })
    const bad = checkInstrumentForm({ name: 'Observasi', kind: 'observation', top: '4', labels: 'a\nb\nc', indicators: 'OBS1 | PED.Z.9 | x\nOBS1 | PED.C.2 | y' }, codes)
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.errors.labels?.en).toMatch(/Write 4 labels/u)
    expect(!bad.ok && bad.errors.indicators?.en).toMatch(/1: PED\.Z\.9 bukan indikator kerangka \/ not a framework indicator/u)
  })
})
