import { describe, expect, it } from 'vitest'
import { planTeachers, type KnownPerson } from './import-writes.ts'

const ids = () => { let n = 0; return () => `new-${++n}` }
const row = (row: number, fields: { name: string; schoolId: string; email?: string; phone?: string; externalId?: string }) => ({ row, ...fields })

/** The plan must decide each row as the one-row-at-a-time import did (matching against the rows before it). */
describe('planTeachers', () => {
  it('matches by id, else by e-mail in any case, else creates; the e-mail identity names the person', () => {
    const known: KnownPerson[] = [{ id: 'p1', externalId: 'ptk-1', email: 'a@x.org' }, { id: 'p2', externalId: null, email: 'B@x.org' }]
    const plan = planTeachers([
      row(2, { name: 'A', schoolId: 's1', externalId: 'ptk-1' }),
      row(3, { name: 'B', schoolId: 's2', email: 'b@X.org' }),
      row(4, { name: 'C', schoolId: 's1', email: 'c@x.org', externalId: 'ptk-3' }),
      row(5, { name: 'D', schoolId: 's1' }),
    ], known, ids())
    expect(plan.created).toEqual([{ id: 'new-1', name: 'C', schoolId: 's1', email: 'c@x.org', externalId: 'ptk-3' }, { id: 'new-2', name: 'D', schoolId: 's1' }])
    expect(plan.updated).toEqual([{ id: 'p1', name: 'A', schoolId: 's1', externalId: 'ptk-1' }, { id: 'p2', name: 'B', schoolId: 's2', email: 'b@X.org' }])
    expect([...plan.identities]).toEqual([['mbox:mailto:b@x.org', 'p2'], ['mbox:mailto:c@x.org', 'new-1']])
  })

  it('a row with an id that is not stored creates a person even when its e-mail is stored', () => {
    const plan = planTeachers([row(2, { name: 'A', schoolId: 's1', email: 'a@x.org', externalId: 'ptk-9' })], [{ id: 'p1', externalId: null, email: 'a@x.org' }], ids())
    expect(plan.created.map((p) => p.id)).toEqual(['new-1'])
    expect(plan.updated).toEqual([])
    expect(plan.identities.get('mbox:mailto:a@x.org')).toBe('new-1')
  })

  it('a person matched by two rows (by id, then by their e-mail) gets the later row\'s values over the earlier ones', () => {
    const plan = planTeachers([
      row(2, { name: 'A', schoolId: 's1', phone: '+62 812 1', externalId: 'ptk-1' }),
      row(3, { name: 'A Baru', schoolId: 's2', email: 'a@x.org' }),
    ], [{ id: 'p1', externalId: 'ptk-1', email: 'a@x.org' }], ids())
    expect(plan.created).toEqual([])
    expect(plan.updated).toEqual([{ id: 'p1', name: 'A Baru', schoolId: 's2', phone: '+62 812 1', externalId: 'ptk-1', email: 'a@x.org' }])
  })

  it('an e-mail given to a person by an earlier row is theirs for the later rows: the old address no longer matches them', () => {
    const known: KnownPerson[] = [{ id: 'p1', externalId: 'ptk-1', email: 'old@x.org' }, { id: 'p2', externalId: null, email: 'old@x.org' }]
    const plan = planTeachers([
      row(2, { name: 'A', schoolId: 's1', email: 'new@x.org', externalId: 'ptk-1' }),
      row(3, { name: 'B', schoolId: 's2', email: 'old@x.org' }),
    ], known, ids())
    expect(plan.updated.map((p) => [p.id, p.name])).toEqual([['p1', 'A'], ['p2', 'B']])
  })
})
