import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V103, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs({ maxLimit: 50 })
})
afterAll(() => t.close())

const post = async (body: object): Promise<string[]> =>
  (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(body).expect(200)).body

const query = async (params: Record<string, string>, headers: Record<string, string> = {}) => {
  const res = await t.http.get('/xapi/statements').query(params).set(V103).set(headers).set('Authorization', t.auth).expect(200)
  return res.body as { statements: Array<Record<string, any>>; more: string }
}

const ids = (result: { statements: Array<Record<string, any>> }) => result.statements.map((s) => s.id)

const agent = (name: string) => ({ objectType: 'Agent', mbox: `mailto:${name}@paud.example` })
const unique = () => `https://tln.example/test/${randomUUID()}`

describe('GET /statements filters (xAPI 1.0.3 Communication 2.1.3)', () => {
  it('agent matches the Actor or the Object, not other places', async () => {
    const who = agent(`a-${randomUUID()}`)
    const [asActor, asObject, asInstructor] = await post([
      aStatement({ actor: who }),
      aStatement({ object: who }),
      aStatement({ context: { instructor: who } }),
    ])
    const result = await query({ agent: JSON.stringify(who) })
    expect(ids(result).sort()).toEqual([asActor, asObject].sort())
    expect(ids(result)).not.toContain(asInstructor)
  })

  it('agent matches a Group actor that contains the Agent as a member', async () => {
    const who = agent(`m-${randomUUID()}`)
    const [id] = await post(aStatement({ actor: { objectType: 'Group', name: 'KKG Praya', member: [who, agent('other')] } }))
    expect(ids(await query({ agent: JSON.stringify(who) }))).toEqual([id])
  })

  it('related_agents also matches authority, instructor, team and sub-statement agents', async () => {
    const who = agent(`r-${randomUUID()}`)
    const [inInstructor, inTeam, inSub] = await post([
      aStatement({ context: { instructor: who } }),
      aStatement({ context: { team: { objectType: 'Group', member: [who] } } }),
      aStatement({ object: { objectType: 'SubStatement', actor: who, verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { id: unique() } } }),
    ])
    const result = await query({ agent: JSON.stringify(who), related_agents: 'true' })
    expect(ids(result).sort()).toEqual([inInstructor, inTeam, inSub].sort())
  })

  it('verb matches the verb id exactly', async () => {
    const verb = unique()
    const [id] = await post([aStatement({ verb: { id: verb } }), aStatement()])
    expect(ids(await query({ verb }))).toEqual([id])
  })

  it('activity matches the Object only; related_activities adds context activities and sub-statements', async () => {
    const activity = unique()
    const [asObject, asParent, inSub] = await post([
      aStatement({ object: { id: activity } }),
      aStatement({ context: { contextActivities: { parent: [{ id: activity }] } } }),
      aStatement({ object: { objectType: 'SubStatement', actor: agent('x'), verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { id: activity } } }),
    ])
    expect(ids(await query({ activity }))).toEqual([asObject])
    expect(ids(await query({ activity, related_activities: 'true' })).sort()).toEqual([asObject, asParent, inSub].sort())
  })

  it('registration matches context.registration', async () => {
    const registration = randomUUID()
    const [id] = await post([aStatement({ context: { registration } }), aStatement()])
    expect(ids(await query({ registration }))).toEqual([id])
  })

  it('combines filters with AND', async () => {
    const who = agent(`and-${randomUUID()}`)
    const verb = unique()
    const [both] = await post([aStatement({ actor: who, verb: { id: verb } }), aStatement({ actor: who }), aStatement({ verb: { id: verb } })])
    expect(ids(await query({ agent: JSON.stringify(who), verb }))).toEqual([both])
  })

  it('since is exclusive and until inclusive on stored', async () => {
    const verb = unique()
    t.setNow(new Date('2026-05-01T00:00:00.000Z'))
    const [first] = await post(aStatement({ verb: { id: verb } }))
    t.setNow(new Date('2026-05-02T00:00:00.000Z'))
    const [second] = await post(aStatement({ verb: { id: verb } }))
    t.setNow(new Date('2026-05-03T00:00:00.000Z'))
    const [third] = await post(aStatement({ verb: { id: verb } }))
    t.setNow(new Date())
    expect(ids(await query({ verb, since: '2026-05-01T00:00:00.000Z' }))).toEqual([third, second])
    expect(ids(await query({ verb, until: '2026-05-02T00:00:00.000Z' }))).toEqual([second, first])
  })

  it('orders by stored, newest first, and oldest first with ascending=true', async () => {
    const verb = unique()
    const posted = [...(await post(aStatement({ verb: { id: verb } }))), ...(await post(aStatement({ verb: { id: verb } }))), ...(await post(aStatement({ verb: { id: verb } })))]
    expect(ids(await query({ verb }))).toEqual([...posted].reverse())
    expect(ids(await query({ verb, ascending: 'true' }))).toEqual(posted)
  })

  it('rejects an unknown parameter with 400 naming it (Communication 3.2)', async () => {
    const res = await t.http.get('/xapi/statements?colour=blue').set(V103).set('Authorization', t.auth).expect(400)
    expect(res.body.error.path).toBe('colour')
  })

  it('rejects statementId together with a filter (Communication 2.1.3)', async () => {
    const res = await t.http.get(`/xapi/statements?statementId=${randomUUID()}&verb=${encodeURIComponent(unique())}`).set(V103).set('Authorization', t.auth).expect(400)
    expect(res.body.error.code).toBe('ERR_XAPI_INVALID_PARAMETER')
  })
})

describe('filters through StatementRefs (Communication 2.1.3, "Filter Conditions for StatementRefs")', () => {
  it('returns a statement whose StatementRef targets a statement matching the filter', async () => {
    const verb = unique()
    const [target] = await post(aStatement({ verb: { id: verb } }))
    const [comment] = await post(aStatement({ verb: { id: 'http://adlnet.gov/expapi/verbs/commented' }, object: { objectType: 'StatementRef', id: target } }))
    expect(ids(await query({ verb }))).toEqual([comment, target])
  })

  it('follows chains of references, also when the target arrives last', async () => {
    const activity = unique()
    const a = randomUUID()
    const [b] = await post(aStatement({ object: { objectType: 'StatementRef', id: a } }))
    const [c] = await post(aStatement({ object: { objectType: 'StatementRef', id: b } }))
    await post(aStatement({ id: a, object: { id: activity } }))
    expect(ids(await query({ activity })).sort()).toEqual([a, b, c].sort())
  })

  it('hides voided statements but keeps the statements that reference them', async () => {
    const activity = unique()
    const [target] = await post(aStatement({ object: { id: activity } }))
    const [voider] = await post(aStatement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: target } }))
    expect(ids(await query({ activity }))).toEqual([voider])
  })
})

describe('paging with more (Communication 2.1.3, StatementResult)', () => {
  it('pages through every match once, in order, on a stable snapshot', async () => {
    const verb = unique()
    const posted: string[] = []
    for (let i = 0; i < 7; i++) posted.push(...(await post(aStatement({ verb: { id: verb } }))))
    const seen: string[] = []
    let page = await query({ verb, limit: '3' })
    seen.push(...ids(page))
    await post(aStatement({ verb: { id: verb } })) // stored after the first page: not part of this result
    while (page.more !== '') {
      expect(page.more.startsWith('/xapi/statements?more=')).toBe(true)
      const res = await t.http.get(page.more).set(V103).set('Authorization', t.auth).expect(200)
      page = res.body
      seen.push(...ids(page))
    }
    expect(seen).toEqual([...posted].reverse())
  })

  it('answers an empty more when the result fits in one page', async () => {
    const verb = unique()
    await post(aStatement({ verb: { id: verb } }))
    expect((await query({ verb })).more).toBe('')
  })

  it('caps limit at the server maximum, and limit=0 means that maximum', async () => {
    const verb = unique()
    await post(Array.from({ length: 55 }, () => aStatement({ verb: { id: verb } })))
    expect((await query({ verb, limit: '0' })).statements).toHaveLength(50)
    expect((await query({ verb, limit: '1000' })).statements).toHaveLength(50)
  })

  it('rejects a more token that was not issued by the LRS', async () => {
    const res = await t.http.get('/xapi/statements?more=garbage').set(V103).set('Authorization', t.auth).expect(400)
    expect(res.body.error.path).toBe('more')
  })
})

describe('formats (Communication 2.1.3, format parameter)', () => {
  it('format=ids reduces agents to their identifier and activities and verbs to their id', async () => {
    const [id] = await post(aStatement())
    const res = await t.http.get(`/xapi/statements?statementId=${id}&format=ids`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body.actor.name).toBeUndefined()
    expect(res.body.actor.mbox).toBeDefined()
    expect(res.body.verb.display).toBeUndefined()
    expect(res.body.object.definition).toBeUndefined()
  })

  it('format=canonical keeps one language per language map, chosen by Accept-Language', async () => {
    const [id] = await post(aStatement())
    const res = await t.http.get(`/xapi/statements?statementId=${id}&format=canonical`).set(V103).set('Accept-Language', 'id, en;q=0.5').set('Authorization', t.auth).expect(200)
    expect(res.body.verb.display).toEqual({ id: 'menyelesaikan' })
    expect(res.body.object.definition.name).toEqual({ id: 'RPPH' })
  })

  it('format=exact returns the statement as stored', async () => {
    const [id] = await post(aStatement())
    const res = await t.http.get(`/xapi/statements?statementId=${id}&format=exact`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body.verb.display).toEqual({ 'en-US': 'completed', id: 'menyelesaikan' })
  })
})
