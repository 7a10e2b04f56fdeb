import { describe, expect, it } from 'vitest'
import type { Statement } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import { GroupCommit, type GroupedWrite, type GroupOutcome } from './group-commit.ts'

/** A store whose groups the test answers by hand, in the order they arrive. */
function manualStore() {
  const groups: Array<{ tenantId: string; ids: string[]; answer: (outcomes: GroupOutcome[]) => void; fail: (error: unknown) => void }> = []
  const store = (tenantId: string, writes: readonly GroupedWrite[]) =>
    new Promise<GroupOutcome[]>((resolve, reject) => groups.push({ tenantId, ids: writes.map((w) => w.prepared.id), answer: resolve, fail: reject }))
  return { groups, store }
}

function write(id: string, tenantId = 'tenant-a'): GroupedWrite {
  const statement = { id, actor: { mbox: 'mailto:guru@paud.example' }, verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { id: 'https://tln.example/meeting/1' } } as Statement
  return { tenantId, credentialId: 'credential', mayDefine: false, prepared: { id, stored: '2026-11-29T00:00:00.000Z', statement, received: statement } }
}

/** Lets the promise callbacks queued so far run. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('GroupCommit (issue 7: group commit of single-statement requests)', () => {
  it('sends a lone write at once, and the writes that arrive meanwhile together in the next group', async () => {
    const { groups, store } = manualStore()
    const commit = new GroupCommit({ store, maxGroup: 100, maxInFlight: 1 })
    const first = commit.write(write('a'))
    const later = [commit.write(write('b')), commit.write(write('c')), commit.write(write('d'))]
    expect(groups.map((g) => g.ids)).toEqual([['a']])
    groups[0]!.answer(['fresh'])
    expect(await first).toBe(true)
    await settle()
    expect(groups.map((g) => g.ids)).toEqual([['a'], ['b', 'c', 'd']])
    groups[1]!.answer(['fresh', 'repeated', 'fresh'])
    expect(await Promise.all(later)).toEqual([true, false, true])
  })

  it('answers each request only after the group that holds its statement returned (nothing acknowledged is lost)', async () => {
    const { groups, store } = manualStore()
    const commit = new GroupCommit({ store, maxGroup: 100, maxInFlight: 1 })
    let answered = false
    void commit.write(write('a')).then(() => (answered = true))
    await settle()
    expect(answered).toBe(false)
    groups[0]!.answer(['fresh'])
    await settle()
    expect(answered).toBe(true)
  })

  it('fails only the request whose statement conflicts with a stored one (Communication 2.1.1)', async () => {
    const { groups, store } = manualStore()
    const commit = new GroupCommit({ store, maxGroup: 100, maxInFlight: 1 })
    const busy = commit.write(write('x'))
    const writes = [commit.write(write('a')), commit.write(write('b')), commit.write(write('c'))]
    groups[0]!.answer(['fresh'])
    await busy
    await settle()
    const conflict = new LrsError('ERR_LRS_CONFLICT', 'statement b is already stored with different content', 'id')
    groups[1]!.answer(['fresh', conflict, 'fresh'])
    const results = await Promise.allSettled(writes)
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason).toBe(conflict)
  })

  it('fails every request of a group whose store failed, and goes on with the next group', async () => {
    const { groups, store } = manualStore()
    const commit = new GroupCommit({ store, maxGroup: 100, maxInFlight: 1 })
    const busy = commit.write(write('x'))
    const failing = [commit.write(write('a')), commit.write(write('b'))]
    groups[0]!.answer(['fresh'])
    await busy
    await settle()
    const next = commit.write(write('c'))
    groups[1]!.fail(new Error('connection lost'))
    expect((await Promise.allSettled(failing)).map((r) => r.status)).toEqual(['rejected', 'rejected'])
    await settle()
    expect(groups[2]!.ids).toEqual(['c'])
    groups[2]!.answer(['fresh'])
    expect(await next).toBe(true)
  })

  it('never puts one statement id twice in a group, nor two tenants in one group', async () => {
    const { groups, store } = manualStore()
    const commit = new GroupCommit({ store, maxGroup: 100, maxInFlight: 1 })
    const all = [commit.write(write('x')), commit.write(write('a')), commit.write(write('a')), commit.write(write('b', 'tenant-b')), commit.write(write('c'))]
    for (let i = 0; i < 4; i++) {
      await settle()
      groups[i]!.answer(groups[i]!.ids.map(() => 'fresh'))
    }
    await Promise.all(all)
    expect(groups.map((g) => [g.tenantId, g.ids])).toEqual([
      ['tenant-a', ['x']],
      ['tenant-a', ['a', 'c']],
      ['tenant-a', ['a']],
      ['tenant-b', ['b']],
    ])
  })

  it('keeps groups within maxGroup and at most maxInFlight groups at the database', async () => {
    const { groups, store } = manualStore()
    const commit = new GroupCommit({ store, maxGroup: 2, maxInFlight: 2 })
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => commit.write(write(id)))
    expect(groups.map((g) => g.ids)).toEqual([['a'], ['b']])
    groups[0]!.answer(['fresh'])
    await settle()
    expect(groups.map((g) => g.ids)).toEqual([['a'], ['b'], ['c', 'd']])
    groups[1]!.answer(['fresh'])
    groups[2]!.answer(['fresh', 'fresh'])
    await settle()
    expect(groups.slice(3).map((g) => g.ids)).toEqual([['e', 'f']])
    groups[3]!.answer(['fresh', 'fresh'])
    expect(await Promise.all(all)).toEqual([true, true, true, true, true, true])
  })
})
