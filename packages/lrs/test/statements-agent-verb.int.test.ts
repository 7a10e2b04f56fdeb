/**
 * `GET /statements?agent=…&verb=…` is answered from one `agentVerb` posting list (issue 7; migration
 * 20261130000300). These tests pin what that list must hold, on PGlite and PostgreSQL: exactly the
 * statements that meet both conditions, each condition met by the statement or by a statement it
 * targets (xAPI 1.0.3 Communication 2.1.3, "Filter Conditions for StatementRefs").
 */
import { randomUUID } from 'node:crypto'
import { migrations } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agentVerbKey, IndexKind, indexKey } from '../src/statements/statement-rows.ts'
import { aStatement, createTestLrs, V103, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(() => t.close())

const post = async (body: object): Promise<string[]> =>
  (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(body).expect(200)).body

const found = async (params: Record<string, string>): Promise<string[]> => {
  const res = await t.http.get('/xapi/statements').query({ ...params, limit: '100' }).set(V103).set('Authorization', t.auth).expect(200)
  return (res.body.statements as Array<{ id: string }>).map((s) => s.id).sort()
}

const agent = (name: string) => ({ objectType: 'Agent', mbox: `mailto:${name}-${randomUUID()}@paud.example` })
const verb = () => ({ id: `https://tln.example/verbs/${randomUUID()}` })
const ref = (id: string) => ({ objectType: 'StatementRef', id })
const byAgentAndVerb = (who: object, what: { id: string }) => found({ agent: JSON.stringify(who), verb: what.id })
const sorted = (...ids: string[]) => [...ids].sort()

describe('agent with verb (xAPI 1.0.3 Communication 2.1.3)', () => {
  it('agent with verb returns only the statements that have both', async () => {
    const who = agent('guru')
    const other = agent('lain')
    const [v, w] = [verb(), verb()]
    const [both, asObject, otherVerb, otherAgent, asInstructor] = await post([
      aStatement({ actor: who, verb: v }),
      aStatement({ actor: other, verb: v, object: who }),
      aStatement({ actor: who, verb: w }),
      aStatement({ actor: other, verb: v }),
      aStatement({ actor: other, verb: v, context: { instructor: who } }),
    ])
    expect(await byAgentAndVerb(who, v)).toEqual(sorted(both!, asObject!))
    expect(await byAgentAndVerb(who, w)).toEqual([otherVerb])
    expect(await byAgentAndVerb(other, w)).toEqual([])
    expect(await byAgentAndVerb(other, v)).toEqual(sorted(asObject!, otherAgent!, asInstructor!))
  })

  it('agent with verb matches a Group actor that contains the Agent as a member', async () => {
    const who = agent('anggota')
    const v = verb()
    const [id] = await post(aStatement({ actor: { objectType: 'Group', name: 'KKG', member: [who, agent('lain')] }, verb: v }))
    expect(await byAgentAndVerb(who, v)).toEqual([id])
  })

  it('related_agents with verb still matches the agent in every place', async () => {
    const who = agent('terkait')
    const v = verb()
    const [asActor, asInstructor, otherVerb] = await post([
      aStatement({ actor: who, verb: v }),
      aStatement({ verb: v, context: { instructor: who } }),
      aStatement({ verb: verb(), context: { instructor: who } }),
    ])
    expect(await found({ agent: JSON.stringify(who), related_agents: 'true', verb: v.id })).toEqual(sorted(asActor!, asInstructor!))
    expect(await found({ agent: JSON.stringify(who), related_agents: 'true' })).toContain(otherVerb)
  })

  it('agent with verb excludes voided statements, not the voiding statement that targets one', async () => {
    const who = agent('batal')
    const v = verb()
    const [kept, voided] = await post([aStatement({ actor: who, verb: v }), aStatement({ actor: who, verb: v })])
    const [voiding] = await post(aStatement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: ref(voided!) }))
    expect(await byAgentAndVerb(who, v)).toEqual(sorted(kept!, voiding!))
  })
})

describe('agent with verb through StatementRefs (Communication 2.1.3, "Filter Conditions for StatementRefs")', () => {
  // The target has actor X and verb Y; the statement targeting it has actor Z and verb Y'. Each
  // condition is met by the statement or its target, so it matches X&Y', X&Y and Z&Y.
  async function expectEachConditionMetByStatementOrTarget(order: 'target first' | 'target last'): Promise<void> {
    const [x, z] = [agent('x'), agent('z')]
    const [y, yPrime] = [verb(), verb()]
    const targetId = randomUUID()
    const target = aStatement({ id: targetId, actor: x, verb: y })
    const targeting = aStatement({ actor: z, verb: yPrime, object: ref(targetId) })
    let targetingId: string
    if (order === 'target first') {
      await post(target)
      ;[targetingId] = (await post(targeting)) as [string]
    } else {
      ;[targetingId] = (await post(targeting)) as [string]
      await post(target)
    }
    expect(await byAgentAndVerb(x, yPrime)).toEqual([targetingId])
    expect(await byAgentAndVerb(x, y)).toEqual(sorted(targetId, targetingId))
    expect(await byAgentAndVerb(z, y)).toEqual([targetingId])
    expect(await byAgentAndVerb(z, yPrime)).toEqual([targetingId])
    expect(await byAgentAndVerb(z, verb())).toEqual([])
  }

  it('a statement meets each condition if it or its target does, the target stored first', async () => {
    await expectEachConditionMetByStatementOrTarget('target first')
  })

  it('a statement meets each condition if it or its target does, the target stored last', async () => {
    await expectEachConditionMetByStatementOrTarget('target last')
  })

  it('a chain of two references meets each condition if any statement along it does, whatever the order', async () => {
    // c → b → a: a has actor X, verb Y; b actor Z, verb Y'; c actor W, verb Y''. Stored b, c, then a.
    const [x, z, w] = [agent('x'), agent('z'), agent('w')]
    const [y, y1, y2] = [verb(), verb(), verb()]
    const a = randomUUID()
    const [b] = (await post(aStatement({ actor: z, verb: y1, object: ref(a) }))) as [string]
    const [c] = (await post(aStatement({ actor: w, verb: y2, object: ref(b) }))) as [string]
    await post(aStatement({ id: a, actor: x, verb: y }))
    expect(await byAgentAndVerb(x, y)).toEqual(sorted(a, b, c))
    expect(await byAgentAndVerb(x, y2)).toEqual([c])
    expect(await byAgentAndVerb(w, y)).toEqual([c])
    expect(await byAgentAndVerb(z, y2)).toEqual([c])
    expect(await byAgentAndVerb(w, y1)).toEqual([c])
    expect(await byAgentAndVerb(z, y)).toEqual(sorted(b, c))
  })
})

describe('agentVerb postings of statements stored before migration 20261130000300', () => {
  it('the agentVerb key computed in SQL equals the LRS\'s', async () => {
    const agentKey = indexKey(IndexKind.agent, 'mbox:mailto:guru@paud.example')
    const verbKey = indexKey(IndexKind.verb, 'http://adlnet.gov/expapi/verbs/completed')
    const { rows } = (await t.db.knex.raw(`select substr(encode(sha256(convert_to(?::uuid::text || '/' || ?::uuid::text, 'UTF8')), 'hex'), 1, 32)::uuid::text as key`, [agentKey, verbKey])) as { rows: Array<{ key: string }> }
    expect(rows[0]!.key).toBe(agentVerbKey(agentKey, verbKey))
  })

  it('statements stored before the migration are found by agent with verb after it, references included', async () => {
    const [x, z] = [agent('lama'), agent('lama-z')]
    const [y, yPrime] = [verb(), verb()]
    const [target] = (await post(aStatement({ actor: x, verb: y }))) as [string]
    const [targeting] = (await post(aStatement({ actor: z, verb: yPrime, object: ref(target) }))) as [string]
    // As before the migration: no agentVerb postings at all.
    await t.db.knex('xapi_statement_index').where({ kind: IndexKind.agentVerb }).delete()
    expect(await byAgentAndVerb(x, y)).toEqual([])
    const migration = migrations.find(([name]) => name === '20261130000300-agent-verb-postings')![1]
    await t.db.knex.transaction((trx) => migration.up(trx))
    expect(await byAgentAndVerb(x, y)).toEqual(sorted(target, targeting))
    expect(await byAgentAndVerb(x, yPrime)).toEqual([targeting])
    expect(await byAgentAndVerb(z, y)).toEqual([targeting])
    // Run twice (an interrupted deploy): nothing doubles.
    await t.db.knex.transaction((trx) => migration.up(trx))
    expect(await byAgentAndVerb(x, y)).toEqual(sorted(target, targeting))
  })
})
