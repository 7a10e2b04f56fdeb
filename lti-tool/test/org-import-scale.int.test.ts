/**
 * The organisation import at district size (docs/performance-notes.md, "Organisation import at
 * district scale"): a file is written in a few multi-row statements, so these check that what is
 * stored is exactly what the file says, that the learner-school row triggers placed every learner
 * as one-row writes did, and that importing the same file again changes nothing.
 */
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importOrgCsv } from '../src/index.ts'
import { smallTree, startOrgServer, type OrgTestServer } from './org-helpers.ts'

const ROWS = 2_000
const npsnOf = (i: number) => String(99_100_000 + i)
const emailOf = (i: number) => `Guru.${i}@Paud.example.org`
/** The xAPI IFI key of teacher i's e-mail (`ifiKey` lowercases the domain only). */
const keyOf = (i: number) => `mbox:mailto:Guru.${i}@paud.example.org`

/** Schools alternate between Praya (by name) and Selong (by code). */
const schoolsCsv = () => ['npsn,name,type,kecamatan', ...Array.from({ length: ROWS }, (_, i) =>
  `${npsnOf(i)},"TK Melati ${i}, Dusun ${i % 7}",${['TK', 'KB', 'TPA', 'SPS', 'RA'][i % 5]},${i % 2 === 0 ? 'Praya' : '52.03.01'}`)].join('\n')

/**
 * Teacher i at school (i × 7) mod ROWS; every third without an id (matched by e-mail), every fifth
 * of the others without an e-mail (matched by id), some with a phone. (A row with neither is a new
 * person at every import: nothing names who it is.)
 */
const noEmail = (i: number) => i % 5 === 0 && i % 3 !== 0
const schoolOfTeacher = (i: number, moved: ReadonlySet<number> = new Set()) => (moved.has(i) ? i * 7 + 1 : i * 7) % ROWS
const teachersCsv = (moved: ReadonlySet<number> = new Set()) => ['name,npsn,email,phone,id', ...Array.from({ length: ROWS }, (_, i) =>
  `Guru ${i},${npsnOf(schoolOfTeacher(i, moved))},${noEmail(i) ? '' : emailOf(i)},${i % 4 === 0 ? `0812-${String(i).padStart(6, '0')}` : ''},${i % 3 === 0 ? '' : `ptk-${i}`}`)].join('\n')

describe(`organisation import of ${ROWS} rows on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
    // Learners the reports already know, before the roster: the first 200 teachers by e-mail (with the
    // NPSN of another school), and 100 more known only by the NPSN their statements gave.
    const learners = [
      ...Array.from({ length: 200 }, (_, i) => ({ key: keyOf(i), npsn: npsnOf(ROWS - 1 - i) })),
      ...Array.from({ length: 100 }, (_, i) => ({ key: `mbox:mailto:other${i}@example.org`, npsn: npsnOf(i) })),
    ]
    await s.db.knex('competence_learner').insert(learners.map((l) => ({ tenant_id: tree.tenantId, learner_key: l.key, npsn: l.npsn, first_at: new Date(), last_at: new Date() })))
  })
  afterAll(async () => { await s?.close() })

  const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await s.db.knex(table).where(where).count('* as n')) as Array<{ n: string | number }>)[0]!.n)
  const schoolIds = async () => new Map(((await s.db.knex('org_node').where({ tenant_id: tree.tenantId, kind: 'school' }).select('code', 'id')) as Array<{ code: string; id: string }>).map((r) => [r.code, r.id]))
  const learnerSchool = async (key: string) => ((await s.db.knex('competence_learner').where({ tenant_id: tree.tenantId, learner_key: key }).first('school_id')) as { school_id: string | null }).school_id
  /** Everything an import writes, without the timestamps. */
  const snapshot = async () => ({
    nodes: await s.db.knex('org_node').where({ tenant_id: tree.tenantId }).orderBy('id').select('id', 'parent_id', 'kind', 'code', 'name', 'school_type', 'path'),
    people: await s.db.knex('person').where({ tenant_id: tree.tenantId }).orderBy('id').select('id', 'name', 'email', 'phone', 'school_id', 'external_id'),
    grants: await s.db.knex('person_grant').where({ tenant_id: tree.tenantId }).orderBy('id').select('id', 'person_id', 'role', 'node_id'),
    identities: await s.db.knex('person_identity').where({ tenant_id: tree.tenantId }).orderBy('ifi_key').select('ifi_key', 'person_id'),
    learners: await s.db.knex('competence_learner').where({ tenant_id: tree.tenantId }).orderBy('learner_key').select('learner_key', 'school_id'),
  })

  it('a 2,000-row import stores exactly what the file says, and the learner-school triggers place every learner', async () => {
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv: schoolsCsv() })).toEqual({ ok: true, kind: 'schools', dryRun: false, rows: ROWS, created: ROWS, updated: 0 })
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'teachers', csv: teachersCsv() })).toEqual({ ok: true, kind: 'teachers', dryRun: false, rows: ROWS, created: ROWS, updated: 0 })
    expect(await count('org_node', { tenant_id: tree.tenantId, kind: 'school', parent_id: tree.praya.id })).toBe(ROWS / 2)
    expect(await count('org_node', { tenant_id: tree.tenantId, kind: 'school', parent_id: tree.k2.id })).toBe(ROWS / 2)
    expect(await count('person', { tenant_id: tree.tenantId })).toBe(ROWS)
    expect(await count('person_grant', { tenant_id: tree.tenantId, role: 'teacher' })).toBe(ROWS)
    expect(await count('person_grant', { tenant_id: tree.tenantId })).toBe(ROWS)
    expect(await count('person_identity', { tenant_id: tree.tenantId })).toBe(Array.from({ length: ROWS }, (_, i) => i).filter((i) => !noEmail(i)).length)
    const schools = await schoolIds()
    for (const i of [0, 1, 999, 1_998, 1_999]) {
      const school = await s.tool.org.findByRef(tree.tenantId, npsnOf(i))
      const kecamatan = i % 2 === 0 ? tree.praya : tree.k2
      expect(school).toEqual({ id: schools.get(npsnOf(i)), tenantId: tree.tenantId, kind: 'school', code: npsnOf(i), name: `TK Melati ${i}, Dusun ${i % 7}`, schoolType: ['TK', 'KB', 'TPA', 'SPS', 'RA'][i % 5], parentId: kecamatan.id, path: `${kecamatan.path}${school.id}/` })
    }
    for (const i of [0, 1, 2, 3, 4, 5, 1_234, 1_999]) {
      const row = (await s.db.knex('person').where({ tenant_id: tree.tenantId, name: `Guru ${i}` }).select('id', 'email', 'phone', 'school_id', 'external_id')) as Array<{ id: string; email: string | null; phone: string | null; school_id: string; external_id: string | null }>
      const schoolId = schools.get(npsnOf(schoolOfTeacher(i)))
      expect(row).toEqual([{ id: expect.any(String), email: noEmail(i) ? null : emailOf(i), phone: i % 4 === 0 ? `0812-${String(i).padStart(6, '0')}` : null, school_id: schoolId, external_id: i % 3 === 0 ? null : `ptk-${i}` }])
      expect(await s.tool.org.grants(tree.tenantId, row[0]!.id)).toEqual([{ role: 'teacher', nodeId: schoolId, nodePath: expect.stringMatching(/\/$/u) }])
    }
    // A learner linked by e-mail is at the person's school (not the NPSN's); one not linked (teacher 5 has
    // no e-mail) stays at its NPSN's school; a learner known by NPSN only is at that school.
    expect(await learnerSchool(keyOf(1))).toBe(schools.get(npsnOf(schoolOfTeacher(1))))
    expect(await learnerSchool(keyOf(5))).toBe(schools.get(npsnOf(ROWS - 1 - 5)))
    expect(await learnerSchool('mbox:mailto:other7@example.org')).toBe(schools.get(npsnOf(7)))
    const placed = (await s.db.knex('competence_learner as l').leftJoin('person_identity as pi', function () { this.on('pi.tenant_id', 'l.tenant_id').andOn('pi.ifi_key', 'l.learner_key') })
      .leftJoin('person as p', 'p.id', 'pi.person_id').leftJoin('org_node as n', function () { this.on('n.tenant_id', 'l.tenant_id').andOn('n.code', 'l.npsn') })
      .where('l.tenant_id', tree.tenantId).select('l.school_id', 'p.school_id as person_school', 'n.id as npsn_school')) as Array<{ school_id: string | null; person_school: string | null; npsn_school: string | null }>
    expect(placed).toHaveLength(300)
    expect(placed.filter((l) => l.school_id === null || l.school_id !== (l.person_school ?? l.npsn_school))).toEqual([])
  })

  it('importing the same files again updates every row and changes nothing; a teacher moved in a later file is moved, grant and placement with them', async () => {
    const before = await snapshot()
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv: schoolsCsv() })).toMatchObject({ ok: true, created: 0, updated: ROWS })
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'teachers', csv: teachersCsv() })).toMatchObject({ ok: true, created: 0, updated: ROWS })
    expect(await snapshot()).toEqual(before)

    // Teachers 1 (matched by id, school 7 → 8, Selong → Praya) and 3 (by e-mail, school 21 → 22) move.
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'teachers', csv: teachersCsv(new Set([1, 3])) })).toMatchObject({ ok: true, created: 0, updated: ROWS })
    const schools = await schoolIds()
    for (const i of [1, 3]) {
      const person = (await s.db.knex('person').where({ tenant_id: tree.tenantId, name: `Guru ${i}` }).first('id', 'school_id')) as { id: string; school_id: string }
      expect(person.school_id).toBe(schools.get(npsnOf(i * 7 + 1)))
      expect((await s.tool.org.grants(tree.tenantId, person.id)).map((g) => g.nodeId)).toEqual([schools.get(npsnOf(i * 7 + 1))])
      expect(await learnerSchool(keyOf(i))).toBe(schools.get(npsnOf(i * 7 + 1)))
    }
    expect(await s.tool.org.people(tree.tenantId, tree.praya).then((p) => p.some((x) => x.name === 'Guru 1'))).toBe(true)
    const after = await snapshot()
    expect(after.people.length).toBe(before.people.length)
    expect(after.grants.length).toBe(before.grants.length)
    // Everyone else's grant is the same row as before: a re-import does not churn them.
    const moved = new Set(after.people.filter((p) => p.name === 'Guru 1' || p.name === 'Guru 3').map((p) => p.id))
    expect(after.grants.filter((g) => !moved.has(g.person_id))).toEqual(before.grants.filter((g) => !moved.has(g.person_id)))
  })
})
