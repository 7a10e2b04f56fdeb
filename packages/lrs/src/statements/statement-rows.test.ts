import { describe, expect, it } from 'vitest'
import type { Statement } from '@tln/xapi'
import { IndexKind, indexKey, statementIndexEntries } from './statement-rows.ts'

const agent = (name: string) => ({ mbox: `mailto:${name}@paud.example` })
const base: Statement = { actor: agent('guru'), verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { id: 'https://tln.example/meeting/1' } }

function find(statement: Statement, kind: IndexKind, value: string) {
  return statementIndexEntries(statement).find((e) => e.key === indexKey(kind, value))
}

describe('statementIndexEntries', () => {
  it('marks actor, object activity, verb and registration as narrow', () => {
    const s = { ...base, context: { registration: 'AAAAAAAA-1111-4111-8111-000000000000' } }
    expect(find(s, IndexKind.agent, 'mbox:mailto:guru@paud.example')?.narrow).toBe(true)
    expect(find(s, IndexKind.activity, 'https://tln.example/meeting/1')?.narrow).toBe(true)
    expect(find(s, IndexKind.verb, 'http://adlnet.gov/expapi/verbs/attended')?.narrow).toBe(true)
    expect(find(s, IndexKind.registration, 'aaaaaaaa-1111-4111-8111-000000000000')?.narrow).toBe(true)
  })

  it('marks context and authority agents and context activities as related only', () => {
    const s: Statement = {
      ...base,
      authority: agent('lrs'),
      context: { instructor: agent('fasilitator'), contextActivities: { grouping: [{ id: 'https://tln.example/program/diklat-dasar' }] } },
    }
    expect(find(s, IndexKind.agent, 'mbox:mailto:lrs@paud.example')?.narrow).toBe(false)
    expect(find(s, IndexKind.agent, 'mbox:mailto:fasilitator@paud.example')?.narrow).toBe(false)
    expect(find(s, IndexKind.activity, 'https://tln.example/program/diklat-dasar')?.narrow).toBe(false)
  })

  it('keeps one entry per value, narrow when any usage is narrow', () => {
    const s: Statement = { ...base, context: { instructor: agent('guru') } }
    const entries = statementIndexEntries(s).filter((e) => e.kind === IndexKind.agent)
    expect(entries).toHaveLength(1)
    expect(entries[0]!.narrow).toBe(true)
  })

  it('indexes group members with the usage of their group', () => {
    const s: Statement = { ...base, actor: { objectType: 'Group', member: [agent('a'), agent('b')] } }
    expect(find(s, IndexKind.agent, 'mbox:mailto:a@paud.example')?.narrow).toBe(true)
  })

  it('gives a StatementRef object no activity entry', () => {
    const s: Statement = { ...base, object: { objectType: 'StatementRef', id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee' } }
    expect(statementIndexEntries(s).filter((e) => e.kind === IndexKind.activity)).toEqual([])
  })

  it('derives fixed-width keys that differ by kind', () => {
    expect(indexKey(IndexKind.verb, 'x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(indexKey(IndexKind.verb, 'x')).not.toBe(indexKey(IndexKind.activity, 'x'))
  })
})
