import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Statement } from '@tln/xapi'
import { agentVerbKey, chainIndexEntries, IndexKind, indexKey, statementIndexEntries, type IndexEntry } from './statement-rows.ts'

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
  it('gives the same keys from the cache, after it was emptied, and as SQL computes them', () => {
    const sha = (input: string) => createHash('sha256').update(input).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
    const verb = indexKey(IndexKind.verb, ATTENDED)
    const agentKey = indexKey(IndexKind.agent, 'mbox:mailto:guru@paud.example')
    const pair = agentVerbKey(agentKey, verb)
    // More distinct values than the cache holds: it is emptied at least once on the way.
    for (let i = 0; i < 25_000; i++) indexKey(IndexKind.activity, `https://tln.example/activity/${i}`)
    expect(indexKey(IndexKind.verb, ATTENDED)).toBe(verb)
    expect(verb).toBe(sha(`${IndexKind.verb}\u0000${ATTENDED}`))
    expect(agentVerbKey(agentKey, verb)).toBe(pair)
    expect(pair).toBe(sha(`${agentKey}/${verb}`))
    expect(indexKey(IndexKind.activity, 'https://tln.example/activity/3')).toBe(sha(`${IndexKind.activity}\u0000https://tln.example/activity/3`))
  })
})

const agentKey = (name: string) => indexKey(IndexKind.agent, `mbox:mailto:${name}@paud.example`)
const verbKey = (id: string) => indexKey(IndexKind.verb, id)
const pairs = (entries: IndexEntry[]) => entries.filter((e) => e.kind === IndexKind.agentVerb).map((e) => e.key).sort()
const ATTENDED = 'http://adlnet.gov/expapi/verbs/attended'
const COMMENTED = 'http://adlnet.gov/expapi/verbs/commented'

describe('agentVerb postings (xAPI 1.0.3 Communication 2.1.3, agent and verb together)', () => {
  it('pairs every agent the plain agent filter matches with the verb, and no related-only agent', () => {
    const s: Statement = { ...base, actor: { objectType: 'Group', member: [agent('a'), agent('b')] }, object: { objectType: 'Agent', ...agent('c') }, context: { instructor: agent('d') } }
    expect(pairs(statementIndexEntries(s))).toEqual(['a', 'b', 'c'].map((n) => agentVerbKey(agentKey(n), verbKey(ATTENDED))).sort())
  })

  it('pairs across a StatementRef chain: each condition is met by the statement or a target', () => {
    const target: Statement = { ...base, actor: agent('x') }
    const targeting: Statement = { actor: agent('z'), verb: { id: COMMENTED }, object: { objectType: 'StatementRef', id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee' } }
    const expected = ['x', 'z'].flatMap((n) => [ATTENDED, COMMENTED].map((v) => agentVerbKey(agentKey(n), verbKey(v))))
    expect(pairs(chainIndexEntries(targeting, [target]))).toEqual(expected.sort())
  })
})
