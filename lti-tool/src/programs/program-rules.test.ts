import { describe, expect, it } from 'vitest'
import { checkModuleForm, checkPhaseForm, checkProgramDocument, checkProgramForm, checkQuotaForm, checkTierForm, isActivityIri } from './program-rules.ts'
import { PROGRAM_DOCUMENT_FORMAT } from './types.ts'

const rulesOf = (checked: { ok: boolean; problems?: ReadonlyArray<{ field: string; rule: string }> }) =>
  checked.ok ? [] : checked.problems!.map((p) => `${p.field}:${p.rule}`)

const TIER = { level: 'dasar', nameId: 'Diklat Berjenjang Tingkat Dasar', nameEn: 'Tiered Training, Basic', hours: '48', allModules: 'on', postTestMinPercent: '70', tasksAccepted: 'on', minAttendancePercent: '' }
const PHASE = { code: 'in-service-1', position: '1', nameId: 'In-Service Learning 1', nameEn: 'In-Service Learning 1', kind: 'in-service', hours: '16' }
const MODULE = { phase: 'p1', code: 'konsep-dasar-paud', position: '1', nameId: 'Konsep Dasar PAUD', nameEn: 'Foundations', hours: '4', lmsActivityIds: '' }

const DOC = {
  format: PROGRAM_DOCUMENT_FORMAT, code: 'tln-2026', name: { id: 'TLN 2026', en: 'TLN 2026' }, active: true,
  tiers: [{
    level: 'dasar', name: { id: 'Dasar', en: 'Basic' }, hours: 48,
    completion: { allModules: true, postTestMinPercent: 70, tasksAccepted: true, minAttendancePercent: null },
    phases: [
      { code: 'in-service-1', name: { id: 'IS 1', en: 'IS 1' }, kind: 'in-service', hours: 16, modules: [{ code: 'm1', name: { id: 'M1', en: 'M1' }, hours: 4, lmsActivityIds: ['https://lms.example/mod/1'] }] },
      { code: 'on-the-job', name: { id: 'OJL', en: 'OJL' }, kind: 'on-the-job', hours: 24, modules: [] },
    ],
  }],
  quotas: { '52.02.06': 5 },
}

describe('program form rules', () => {
  it('program code: lower-case letters, digits and hyphens, 2–63 characters (they become IRI segments)', () => {
    expect(rulesOf(checkProgramForm({ code: 'Diklat 2026', nameId: 'a', nameEn: 'b' }))).toEqual(['code:code-format'])
    expect(rulesOf(checkProgramForm({ code: 'x', nameId: 'a', nameEn: 'b' }))).toEqual(['code:code-format'])
    expect(checkProgramForm({ code: 'diklat-2026', nameId: 'a', nameEn: 'b', active: 'on' })).toEqual({ ok: true, value: { code: 'diklat-2026', name: { id: 'a', en: 'b' }, active: true } })
  })

  it('names in both languages are required, at most 200 characters; every problem is reported at once', () => {
    expect(rulesOf(checkProgramForm({ code: '', nameId: '', nameEn: 'x'.repeat(201) }))).toEqual(['code:required', 'nameId:required', 'nameEn:required'])
  })

  it('a tier: level dasar|lanjut|mahir, hours 1–1000 JP, percentages 0–100 or empty (not required)', () => {
    expect(checkTierForm(TIER)).toMatchObject({ ok: true, value: { level: 'dasar', hours: 48, completion: { allModules: true, postTestMinPercent: 70, tasksAccepted: true, minAttendancePercent: null } } })
    expect(rulesOf(checkTierForm({ ...TIER, level: 'expert', hours: '0', postTestMinPercent: '101', minAttendancePercent: '-5' })))
      .toEqual(['level:enum', 'postTestMinPercent:whole-number-range', 'minAttendancePercent:whole-number-range', 'hours:whole-number-range'])
    expect(rulesOf(checkTierForm({ ...TIER, hours: '4.5' }))).toEqual(['hours:whole-number-range'])
  })

  it('an unticked checkbox is "not required" (an HTML form sends nothing for it)', () => {
    const { allModules: _a, tasksAccepted: _t, ...rest } = TIER
    expect(checkTierForm(rest)).toMatchObject({ ok: true, value: { completion: { allModules: false, tasksAccepted: false } } })
  })

  it('a phase: kind in-service|on-the-job, order 1–50, code, hours 0–1000', () => {
    expect(checkPhaseForm(PHASE)).toMatchObject({ ok: true, value: { position: 1, kind: 'in-service', hours: 16 } })
    expect(rulesOf(checkPhaseForm({ ...PHASE, kind: 'online', position: '0', code: '-x' }))).toEqual(['kind:enum', 'code:code-format', 'position:whole-number-range'])
  })

  it('a module: its phase must be one of the tier\'s; LMS activity ids are absolute http(s) IRIs, one per line, no repeats', () => {
    const phases = new Set(['p1'])
    expect(checkModuleForm({ ...MODULE, lmsActivityIds: 'https://lms.example/mod/view.php?id=7\r\nhttps://lms.example/mod/view.php?id=8' }, phases))
      .toMatchObject({ ok: true, value: { phaseId: 'p1', lmsActivityIds: ['https://lms.example/mod/view.php?id=7', 'https://lms.example/mod/view.php?id=8'] } })
    expect(rulesOf(checkModuleForm({ ...MODULE, phase: 'p-other' }, phases))).toEqual(['phase:required'])
    expect(rulesOf(checkModuleForm({ ...MODULE, lmsActivityIds: 'modul 7' }, phases))).toEqual(['lmsActivityIds:activity-iri'])
    expect(rulesOf(checkModuleForm({ ...MODULE, lmsActivityIds: 'https://a.example/1\nhttps://a.example/1' }, phases))).toEqual(['lmsActivityIds:duplicate'])
  })

  it('quotas: whole numbers 0–100000 per kecamatan, empty removes the quota', () => {
    expect(checkQuotaForm({ 'quota.k1': '5', 'quota.k2': '' }, ['k1', 'k2'])).toEqual({ ok: true, value: new Map([['k1', 5], ['k2', null]]) })
    expect(rulesOf(checkQuotaForm({ 'quota.k1': 'lima' }, ['k1']))).toEqual(['quota.k1:whole-number-range'])
  })

  it('xAPI activity ids are IRIs (xAPI 1.0.3 Data 2.4.4.1): TLN takes absolute http(s) URLs without spaces', () => {
    expect(isActivityIri('https://tln.example/xapi/activities/program/x')).toBe(true)
    expect(isActivityIri('urn:x')).toBe(false)
    expect(isActivityIri('https://a.example/with space')).toBe(false)
  })
})

describe('program document rules (tln-program/1)', () => {
  it('accepts a whole program and keeps array order as the order', () => {
    const checked = checkProgramDocument(DOC)
    expect(checked.ok).toBe(true)
    if (checked.ok) expect(checked.value.tiers[0]!.phases.map((p) => p.code)).toEqual(['in-service-1', 'on-the-job'])
  })

  it('names each problem by its path, all at once', () => {
    const bad = structuredClone(DOC) as unknown as Record<string, any>
    bad.format = 'v0'
    bad.tiers[0].phases[1].kind = 'online'
    bad.tiers[0].phases[0].modules[0].hours = -1
    bad.tiers[0].completion.allModules = 'yes'
    bad.quotas['52.02.06'] = 2.5
    expect(rulesOf(checkProgramDocument(bad))).toEqual([
      'format:enum', 'tiers[0].completion.allModules:boolean', 'tiers[0].phases[0].modules[0].hours:whole-number-range',
      'tiers[0].phases[1].kind:enum', 'quotas.52.02.06:whole-number-range',
    ])
  })

  it('levels unique in the program, phase and module codes and LMS ids unique in the tier', () => {
    const bad = structuredClone(DOC) as unknown as Record<string, any>
    bad.tiers.push(structuredClone(bad.tiers[0]))
    bad.tiers[0].phases[1].code = 'in-service-1'
    bad.tiers[0].phases[1].modules = [{ code: 'm1', name: { id: 'x', en: 'x' }, hours: 1, lmsActivityIds: ['https://lms.example/mod/1'] }]
    expect(rulesOf(checkProgramDocument(bad))).toEqual(['tiers[0].phases:unique', 'tiers[0].phases:unique', 'tiers[0].phases:unique', 'tiers:unique'])
  })

  it('refuses what is not an object, and activity ids that are not http(s) IRIs', () => {
    expect(rulesOf(checkProgramDocument([]))).toEqual(['$:object'])
    expect(rulesOf(checkProgramDocument({ ...DOC, activityId: 'tln:program' }))).toEqual(['activityId:activity-iri'])
  })
})
