import { describe, expect, it } from 'vitest'
import { checkTaskForm, formValuesOf, sameRubric } from './task-form.ts'

/** The task editor's rules (issue 5): each bad field is named with its rule, and a good form gives the task to store. */
const INDICATORS = new Set(['PED.C.2', 'PED.B.2', 'PRO.C.3'])
const NODE = '11111111-1111-4111-8111-111111111111'
const rules = { indicatorCodes: INDICATORS, nodes: new Set([NODE]), tenantWide: false, timeZone: 'Asia/Makassar', zoneName: 'WITA' }
const SCALE = { 'l0.points': '1', 'l0.label_id': 'Kurang', 'l1.points': '2', 'l1.label_id': 'Cukup', 'l1.label_en': 'Fair', 'l2.points': '4', 'l2.label_id': 'Baik' }
const GOOD = {
  type: 'RPPH', title_id: 'RPPH tema air', title_en: 'Daily plan: water', description_id: 'Susun RPPH.', due: '', types: ['application/pdf', 'image/jpeg'], max_mb: '2.5', pass: '75', node: NODE,
  ...SCALE,
  'c0.title_id': 'Tujuan', 'c0.indicator': 'PED.C.2', 'c0.weight': '2',
  'c1.title_id': 'Kegiatan bermain', 'c1.indicator': 'PED.B.2', 'c1.weight': '3', 'c1.code': 'kegiatan',
}
const errorsOf = (body: Record<string, unknown>, r: Parameters<typeof checkTaskForm>[1] = rules) => {
  const checked = checkTaskForm(body, r)
  return checked.ok ? [] : Object.keys(checked.errors).sort()
}

describe('task editor form', () => {
  it('a good form becomes the task: relative weights, one scale for every criterion, codes from the titles', () => {
    const checked = checkTaskForm(GOOD, rules)
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    expect(checked.value).toMatchObject({ taskType: 'RPPH', passThreshold: 0.75, nodeId: NODE, maxBytes: Math.round(2.5 * 1024 * 1024), acceptedTypes: ['application/pdf', 'image/jpeg'], description: { id: 'Susun RPPH.', en: '' } })
    expect(checked.value.rubric.criteria.map((c) => [c.code, c.indicator, c.weight, c.levels.map((l) => l.points)])).toEqual([['tujuan', 'PED.C.2', 2, [1, 2, 4]], ['kegiatan', 'PED.B.2', 3, [1, 2, 4]]])
    expect(checked.value.rubric.criteria[0]!.levels[0]!.label).toEqual({ id: 'Kurang', en: 'Kurang' })
  })

  it('rule: every criterion links to an indicator of the active competence framework', () => {
    expect(errorsOf({ ...GOOD, 'c1.indicator': 'PED.Z.9' })).toEqual(['c1.indicator'])
    expect(errorsOf({ ...GOOD, 'c1.indicator': '' })).toEqual(['c1.indicator'])
  })

  it('rule: weights are whole numbers 1 to 100 (relative, need not sum to 100)', () => {
    expect(errorsOf({ ...GOOD, 'c0.weight': '0' })).toEqual(['c0.weight'])
    expect(errorsOf({ ...GOOD, 'c0.weight': '1.5' })).toEqual(['c0.weight'])
    expect(errorsOf({ ...GOOD, 'c0.weight': '101' })).toEqual(['c0.weight'])
    expect(errorsOf({ ...GOOD, 'c0.weight': '100', 'c1.weight': '100' })).toEqual([])
  })

  it('rule: criterion codes are lowercase, digits, dashes, and unique', () => {
    expect(errorsOf({ ...GOOD, 'c0.code': 'Tujuan!' })).toEqual(['c0.code'])
    expect(errorsOf({ ...GOOD, 'c0.code': 'kegiatan' })).toEqual(['c1.code'])
  })

  it('rule: 2 to 6 levels with whole points rising from the lowest, each with a label', () => {
    expect(errorsOf({ ...GOOD, 'l2.points': '2' })).toEqual(['l2.points'])
    expect(errorsOf({ ...GOOD, 'l2.label_id': '' })).toEqual(['l2.label_id'])
    expect(errorsOf({ ...GOOD, 'l1.points': '', 'l1.label_id': '', 'l1.label_en': '', 'l2.points': '', 'l2.label_id': '' })).toEqual(['levels'])
  })

  it('rule: a rubric has at least one criterion', () => {
    const none = Object.fromEntries(Object.entries(GOOD).filter(([k]) => !k.startsWith('c')))
    expect(errorsOf(none)).toEqual(['criteria'])
  })

  it('rule: the task fields: type, titles, instructions, due date (WITA), file types of the type, size 0.1–10 MB, pass mark 1–100', () => {
    expect(errorsOf({ ...GOOD, type: 'ESSAY', title_id: '', title_en: '', description_id: '', due: '2026-13-01T10:00', max_mb: '11', pass: '0' }))
      .toEqual(['description_id', 'due', 'pass', 'title_en', 'title_id', 'type'])
    expect(errorsOf({ ...GOOD, type: 'MEDIA', types: ['application/pdf'] })).toEqual(['types'])
    expect(errorsOf({ ...GOOD, types: [] })).toEqual(['types'])
    expect(errorsOf({ ...GOOD, max_mb: '0' })).toEqual(['max_mb'])
    // A URL task takes no files: the file fields are not read.
    const blog = checkTaskForm({ ...GOOD, type: 'BLOG', types: [], max_mb: '' }, rules)
    expect(blog.ok && blog.value.acceptedTypes === undefined && blog.value.maxBytes === undefined).toBe(true)
  })

  it('rule: the node is one the editor holds a grant on; the whole tenant only for a tenant-wide grant', () => {
    expect(errorsOf({ ...GOOD, node: '22222222-2222-4222-8222-222222222222' })).toEqual(['node'])
    expect(errorsOf({ ...GOOD, node: '' })).toEqual(['node'])
    expect(errorsOf({ ...GOOD, node: '' }, { ...rules, tenantWide: true })).toEqual([])
  })

  it('rule: the type is fixed once the task has submissions', () => {
    expect(errorsOf({ ...GOOD, type: 'RPPM' }, { ...rules, fixedType: 'RPPH' })).toEqual(['type'])
    expect(errorsOf(GOOD, { ...rules, fixedType: 'RPPH' })).toEqual([])
  })

  it('reads due dates on the deployment\'s clock and refuses dates that do not exist, naming the zone', () => {
    const due = (value: string, r = rules) => { const c = checkTaskForm({ ...GOOD, due: value }, r); return c.ok ? c.value.dueAt?.toISOString() : c.errors.due?.en }
    expect(due('2026-12-20T17:00')).toBe('2026-12-20T09:00:00.000Z')
    expect(due('2026-12-20T17:00', { ...rules, timeZone: 'Asia/Jakarta', zoneName: 'WIB' })).toBe('2026-12-20T10:00:00.000Z')
    expect(due('2026-12-20T17:00', { ...rules, timeZone: 'Asia/Jayapura', zoneName: 'WIT' })).toBe('2026-12-20T08:00:00.000Z')
    expect(due('2026-02-31T10:00')).toBe('Due date: an existing date and time (WITA), or leave it empty.')
    expect(due('2026-02-31T10:00', { ...rules, timeZone: 'Asia/Jakarta', zoneName: 'WIB' })).toBe('Due date: an existing date and time (WIB), or leave it empty.')
    expect(formValuesOf({ dueAt: new Date('2026-12-20T09:00:00Z') }, 'Asia/Makassar').due).toBe('2026-12-20T17:00')
    expect(formValuesOf({ dueAt: new Date('2026-12-20T09:00:00Z') }, 'Asia/Jakarta').due).toBe('2026-12-20T16:00')
  })

  it('fills the form back from a task, and a rubric read back is the same rubric', () => {
    const checked = checkTaskForm(GOOD, rules)
    if (!checked.ok) throw new Error('form refused')
    const again = checkTaskForm({ ...formValuesOf(checked.value, rules.timeZone), types: [...checked.value.acceptedTypes!] }, rules)
    expect(again.ok && sameRubric(again.value.rubric, checked.value.rubric)).toBe(true)
    expect(again.ok && again.value.maxBytes).toBe(checked.value.maxBytes)
  })
})
