import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityProfile, agentProfile, aTeacher, anActivity, qs, state } from './document-requests.ts'
import { aStatement, createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

/**
 * The cases of the ADL LRS conformance test suite (adlnet/lrs-conformance-test-suite,
 * test/v1_0_3/H.Communication*.js) for the statement query parameters, the alternate request
 * syntax, the Agents, Activities and About resources and concurrency, each sent the way the
 * suite sends it and named after the suite's requirement id (XAPI-nnnnn) where it has one.
 * Rules the suite once caught this LRS out on live in adl-conformance.int.test.ts.
 */

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(() => t.close())

const get = (path: string, headers: Record<string, string> = {}) => t.http.get(path).set(V103).set('Authorization', t.auth).set(headers)
const post = async (body: unknown): Promise<string[]> => (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(body as object).expect(200)).body
const voiding = (target: string, id = randomUUID()) => ({
  id,
  actor: { objectType: 'Agent', mbox: 'mailto:adl.suite@paud.example' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
  object: { objectType: 'StatementRef', id: target },
})
const statementRef = (target: string, verb: string, id = randomUUID()) => ({
  id,
  actor: { objectType: 'Agent', mbox: 'mailto:adl.suite@paud.example' },
  verb: { id: verb },
  object: { objectType: 'StatementRef', id: target },
})

/** The suite's contexts.category statement: en-US and en-GB in every language map, an instructor. */
const categoryStatement = () => ({
  actor: { objectType: 'Agent', name: 'xAPI account', mbox: 'mailto:xapi@adlnet.gov' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-GB': 'attended', 'en-US': 'attended' } },
  object: { objectType: 'Activity', id: `http://www.example.com/meetings/occurances/${randomUUID()}` },
  context: {
    registration: randomUUID(),
    instructor: { objectType: 'Agent', name: 'xAPI mbox', mbox: 'mailto:pri@adlnet.gov' },
    contextActivities: {
      category: {
        objectType: 'Activity',
        id: `http://www.example.com/test/array/statements/pri/${randomUUID()}`,
        definition: {
          name: { 'en-GB': 'example meeting', 'en-US': 'example meeting' },
          description: { 'en-GB': 'An example meeting.', 'en-US': 'An example meeting.' },
        },
      },
    },
  },
})

describe('GET /statements, the suite\'s parameter cases (xAPI 1.0.3 Communication 2.1.3)', () => {
  it('rejects statementId or voidedStatementId beside any parameter other than attachments and format with 400, naming it (Communication 2.1.3.s2.b2, XAPI-00150, XAPI-00151)', async () => {
    const [id] = await post(aStatement())
    const [target] = await post(aStatement())
    await post(voiding(target!))
    const others: Record<string, string> = {
      agent: JSON.stringify({ objectType: 'Agent', mbox: 'mailto:xapi@adlnet.gov' }),
      verb: 'http://adlnet.gov/expapi/non/existent',
      activity: 'http://www.example.com/meetings/occurances/12345',
      registration: randomUUID(),
      related_activities: 'true',
      related_agents: 'true',
      since: '2012-06-01T19:09:13.245Z',
      until: '2012-06-01T19:09:13.245Z',
      limit: '1',
      ascending: 'true',
    }
    for (const [key, value] of [['statementId', id!], ['voidedStatementId', target!]] as const) {
      for (const [name, other] of Object.entries(others)) {
        const res = await get(`/xapi/statements?${qs({ [key]: value, [name]: other })}`)
        expect([key, name, res.status]).toEqual([key, name, 400])
      }
      for (const [name, other] of [['format', 'ids'], ['attachments', 'true']] as const) {
        const res = await get(`/xapi/statements?${qs({ [key]: value, [name]: other })}`)
        expect([key, name, res.status]).toEqual([key, name, 200])
      }
    }
  })

  it('returns a voided statement only through voidedStatementId: 200 there, 404 through statementId (Communication 2.1.4.s1.b1, XAPI-00155, XAPI-00163)', async () => {
    const [target] = await post(aStatement())
    await post(voiding(target!))
    expect((await get(`/xapi/statements?voidedStatementId=${target}`).expect(200)).body.id).toBe(target)
    await get(`/xapi/statements?statementId=${target}`).expect(404)
  })

  it('returns the statements that target a voided statement matching the filter, newest first, but not the voided statement (Communication 2.1.4.s1.b2, XAPI-00162)', async () => {
    const verb = `http://adlnet.gov/expapi/test/voided/target/${randomUUID()}`
    const [voidedId] = await post(aStatement({ id: randomUUID(), verb: { id: verb } }))
    const voidingId = randomUUID()
    await post(voiding(voidedId!, voidingId))
    const refId = randomUUID()
    await post(statementRef(voidedId!, verb, refId))
    const all = await get(`/xapi/statements?${qs({ verb })}`).expect(200)
    expect(all.body.statements.map((s: { id: string }) => s.id)).toEqual([refId, voidingId])
    const one = await get(`/xapi/statements?${qs({ verb, limit: '1' })}`).expect(200)
    expect(one.body.statements.map((s: { id: string }) => s.id)).toEqual([refId])
    const until = await get(`/xapi/statements?${qs({ verb: 'http://adlnet.gov/expapi/verbs/voided', until: new Date(Date.now() + 60_000).toISOString() })}`).expect(200)
    expect(JSON.stringify(until.body.statements)).toContain(voidingId)
  })

  it('answers every parameter of the table alone with 200 and a StatementResult, related_agents and related_activities without agent or activity included (Communication 2.1.3.s1.table1, XAPI-00166–XAPI-00181)', async () => {
    const statement = categoryStatement()
    await post(statement)
    const cases: Array<Record<string, string>> = [
      {},
      { agent: JSON.stringify({ objectType: 'Agent', name: 'xAPI account', mbox: 'mailto:xapi@adlnet.gov' }) },
      { verb: statement.verb.id },
      { activity: statement.object.id },
      { registration: statement.context.registration },
      { activity: statement.context.contextActivities.category.id, related_activities: 'true' },
      { agent: JSON.stringify(statement.context.instructor), related_agents: 'true' },
      { related_activities: 'true' },
      { related_agents: 'true' },
      { since: '2012-06-01T19:09:13.245Z' },
      { until: '2012-06-01T19:09:13.245Z' },
      { limit: '1' },
      { ascending: 'true' },
      { format: 'ids' },
      { attachments: 'false' },
    ]
    for (const params of cases) {
      const res = await get(`/xapi/statements?${qs(params)}`)
      expect([params, res.status]).toEqual([params, 200])
      expect(res.body.statements).toBeInstanceOf(Array)
      expect(res.body).toHaveProperty('more')
      expect(Date.parse(res.get('X-Experience-API-Consistent-Through')!)).not.toBeNaN()
    }
  })

  it('finds a statement by every filter at once, with limit, format=ids and attachments=false beside them (Data 2.5.s1, Communication 2.1.3.s1)', async () => {
    const statement = { ...categoryStatement(), id: randomUUID() }
    await post(statement)
    const res = await get(`/xapi/statements?${qs({
      limit: '1', agent: JSON.stringify(statement.actor), verb: statement.verb.id, activity: statement.object.id,
      registration: statement.context.registration, related_activities: 'true', since: '2012-06-01T19:09:13.245Z', format: 'ids', attachments: 'false',
    })}`).expect(200)
    expect(res.body.statements.map((s: { id: string }) => s.id)).toEqual([statement.id])
  })

  it('answers attachments=true with multipart/mixed whose first part is the StatementResult, also when no statement has attachments (Communication 2.1.3.s1.table1.row13, XAPI-00167)', async () => {
    await post(aStatement())
    const res = await get('/xapi/statements?attachments=true').buffer(true).parse((response, done) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')))
    }).expect(200)
    const type = res.get('Content-Type')!
    expect(type.split(';')[0]).toBe('multipart/mixed')
    const boundary = /boundary="?([^";]+)"?/.exec(type)![1]!
    const first = (res.body as string).split(`--${boundary}`)[1]!
    const json = first.slice(first.indexOf('\r\n\r\n') + 4).trim()
    expect(JSON.parse(json)).toHaveProperty('statements')
    expect(Date.parse(res.get('X-Experience-API-Consistent-Through')!)).not.toBeNaN()
  })

  it('sends X-Experience-API-Consistent-Through not before the stored of any returned statement (Communication 2.1.3.s2.b5, XAPI-00152, XAPI-00160)', async () => {
    await post([aStatement(), aStatement()])
    const res = await get('/xapi/statements').expect(200)
    const through = Date.parse(res.get('X-Experience-API-Consistent-Through')!)
    expect(res.body.statements.length).toBeGreaterThan(0)
    for (const s of res.body.statements as Array<{ stored: string }>) expect(Date.parse(s.stored)).toBeLessThanOrEqual(through)
  })

  it('answers a query that matches nothing with 200 and an empty statements array (Communication 2.1.3.s2.b4, XAPI-00149)', async () => {
    const res = await get(`/xapi/statements?${qs({ verb: 'http://adlnet.gov/expapi/non/existent' })}`).expect(200)
    expect(res.body.statements).toEqual([])
  })

  it('keeps only the Accept-Language language with format=canonical, and every language without format (Communication 2.1.3.s1.table1.row12, XAPI-00172)', async () => {
    const [id] = await post(categoryStatement())
    const canonical = (await get(`/xapi/statements?${qs({ statementId: id!, format: 'canonical' })}`, { 'Accept-Language': 'en-GB' }).expect(200)).body
    expect(canonical.verb.display).not.toHaveProperty('en-US')
    expect(canonical.context.contextActivities.category[0].definition.name).not.toHaveProperty('en-US')
    expect(canonical.context.contextActivities.category[0].definition.description).not.toHaveProperty('en-US')
    const exact = (await get(`/xapi/statements?${qs({ statementId: id! })}`, { 'Accept-Language': 'en-GB' }).expect(200)).body
    expect(Object.keys(exact.verb.display).sort()).toEqual(['en-GB', 'en-US'])
    expect(Object.keys(exact.context.contextActivities.category[0].definition.name).sort()).toEqual(['en-GB', 'en-US'])
  })

  it('format=ids keeps of an Anonymous Group the identifiers of its members and of an Identified Group its identifier, without names (Communication 2.1.3.s1.table1.row12, XAPI-00171)', async () => {
    const anonymous = { objectType: 'Group', name: 'KKG Praya', member: [
      { objectType: 'Agent', name: 'Ibu Baiq', mbox: `mailto:${randomUUID()}@paud.example` },
      { objectType: 'Agent', name: 'Pak Lalu', account: { homePage: 'https://lms.paud.example', name: randomUUID() } },
    ] }
    const identified = { objectType: 'Group', name: 'Gugus 3', mbox: `mailto:${randomUUID()}@paud.example` }
    const [first, second] = await post([aStatement({ actor: anonymous }), aStatement({ actor: identified })])
    const group = (await get(`/xapi/statements?statementId=${first}&format=ids`).expect(200)).body.actor
    expect(group).toEqual({ objectType: 'Group', member: [
      { objectType: 'Agent', mbox: anonymous.member[0]!.mbox },
      { objectType: 'Agent', account: anonymous.member[1]!.account },
    ] })
    const named = (await get(`/xapi/statements?statementId=${second}&format=ids`).expect(200)).body.actor
    expect(named).toEqual({ objectType: 'Group', mbox: identified.mbox })
  })

  it('rejects a PUT without statementId, or with one that is not a UUID, with 400 naming statementId (Communication 2.1.1.s1.table1.row1, XAPI-00145)', async () => {
    for (const path of ['/xapi/statements', '/xapi/statements?statementId=true', '/xapi/statements?statementId=%5Bobject%20Object%5D']) {
      const res = await t.http.put(path).set(V103).set('Authorization', t.auth).send(aStatement())
      expect([path, res.status]).toEqual([path, 400])
      expect(res.body.error.path).toBe('statementId')
    }
  })

  it('stores nothing of a batch with one invalid statement (Communication 2.1.2.s2.b4)', async () => {
    const correct = aStatement({ id: randomUUID() })
    const incorrect = aStatement({ id: randomUUID(), verb: { id: 'should fail' } })
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([correct, incorrect]).expect(400)
    await get(`/xapi/statements?statementId=${correct.id}`).expect(404)
  })

  it('does not change a statement re-sent with its id and other content: 409, the first kept (Communication 2.1.1.s2.b2, XAPI-00142)', async () => {
    const first = aStatement({ id: randomUUID() })
    await post(first)
    const changed = { ...first, verb: { id: 'http://adlnet.gov/expapi/verbs/different' } }
    await t.http.put(`/xapi/statements?statementId=${first.id}`).set(V103).set('Authorization', t.auth).send(changed).expect(409)
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(changed).expect(409)
    expect((await get(`/xapi/statements?statementId=${first.id}`).expect(200)).body.verb.id).toBe('http://adlnet.gov/expapi/verbs/completed')
  })
})

describe('statements, the xAPI 2.0 suite\'s cases (IEEE 9274.1.1 Statement Resource; test/v2_0/4.1.6.1-Statement-Resource.js)', () => {
  const post2 = (body: unknown) => t.http.post('/xapi/statements').set(V2).set('Authorization', t.auth).send(body as object)
  const get2 = (path: string) => t.http.get(path).set(V2).set('Authorization', t.auth)

  it('rejects with 400 a batch that uses one statement id twice, storing neither', async () => {
    const id = randomUUID()
    const statement = aStatement({ id })
    await post2([statement, { ...statement }]).expect(400)
    await get2(`/xapi/statements?statementId=${id}`).expect(404)
  })

  it('answers a single statement with Last-Modified equal to its stored, to the second', async () => {
    const [id] = (await post2(aStatement()).expect(200)).body
    const res = await get2(`/xapi/statements?statementId=${id}`).expect(200)
    expect(Math.floor(Date.parse(res.get('Last-Modified')!) / 1000)).toBe(Math.floor(Date.parse(res.body.stored) / 1000))
  })

  it('sets timestamp to stored when the statement has none (Data 2.4.7: "SHOULD be set by the LRS to the value of stored")', async () => {
    const [id] = (await post2(aStatement()).expect(200)).body
    const res = await get2(`/xapi/statements?statementId=${id}`).expect(200)
    expect(res.body.timestamp).toBe(res.body.stored)
  })

  it('accepts a timestamp five minutes ahead of the LRS clock (Data 2.4.7: "SHOULD NOT reject a timestamp for having a greater value than the current time")', async () => {
    await post2(aStatement({ timestamp: new Date(Date.now() + 5 * 60_000).toISOString() })).expect(200)
  })

  it('rejects a statement with a property the specification does not define with 400 naming it', async () => {
    const res = await post2(aStatement({ dummy: 'dummy' })).expect(400)
    expect(JSON.stringify(res.body.error)).toContain('dummy')
  })
})

describe('alternate request syntax, the suite\'s cases (xAPI 1.0.3 Communication 1.3)', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

  it('answers a POST carrying a GET with 200 and a StatementResult with statements and more (Communication 2.1.2.s2.b3, XAPI-00148)', async () => {
    const res = await t.http.post('/xapi/statements?method=GET').set(V103).set('Authorization', t.auth).type('form').send(form({ limit: '1' })).expect(200)
    expect(res.body).toHaveProperty('statements')
    expect(res.body).toHaveProperty('more')
  })

  it('rejects method= on a request that is not a POST with 400 (Communication 1.3.s3.b1)', async () => {
    const res = await t.http.get('/xapi/statements?method=POST').set(V103).set('Authorization', t.auth).type('form').send(form({ content: JSON.stringify(aStatement()) }))
    expect(res.status).toBe(400)
  })

  it('accepts a PUT whose form repeats X-Experience-API-Version with another value beside the header (Communication 1.3.s3.b7)', async () => {
    const id = randomUUID()
    await t.http.post('/xapi/statements?method=PUT').set(V103).set('Authorization', t.auth).type('form')
      .send(form({ statementId: id, 'X-Experience-API-Version': '0.8', content: JSON.stringify(aStatement()) })).expect(204)
    await get(`/xapi/statements?statementId=${id}`).expect(200)
  })

  it('rejects with 400 an alternate request with a parameter in the query string besides method, storing nothing (Communication 1.3.s3.b4)', async () => {
    const id = randomUUID()
    const res = await t.http.post(`/xapi/statements?method=PUT&statementId=${id}`).set(V103).set('Authorization', t.auth).type('form')
      .send(form({ statementId: id, content: JSON.stringify(aStatement()) }))
    expect(res.status).toBe(400)
    await get(`/xapi/statements?statementId=${id}`).expect(404)
  })

  it('rejects with 400 an alternate PUT without content, and one whose form body is not form-encoded (Communication 1.3.s3.b4)', async () => {
    await t.http.post('/xapi/statements?method=PUT').set(V103).set('Authorization', t.auth).type('form').send('').expect(400)
    const id = randomUUID()
    const notEncoded = JSON.stringify({ statementId: id, content: JSON.stringify(aStatement()), 'X-Experience-API-Version': '1.0.3', Authorization: t.auth })
    await t.http.post('/xapi/statements?method=PUT').set('Content-Type', 'application/x-www-form-urlencoded').send(notEncoded).expect(400)
    await get(`/xapi/statements?statementId=${id}`).expect(404)
  })

  it('accepts an alternate PUT whose form carries the version and Authorization and not the headers (Communication 1.3.s3.b7, XAPI-00336)', async () => {
    const id = randomUUID()
    await t.http.post('/xapi/statements?method=PUT').set('Content-Type', 'application/x-www-form-urlencoded')
      .send(form({ statementId: id, content: JSON.stringify(aStatement()), 'X-Experience-API-Version': '1.0.3', Authorization: t.auth })).expect(204)
  })
})

describe('Agents resource, the suite\'s cases (xAPI 1.0.3 Communication 2.4)', () => {
  it('returns a Person with objectType Person and name and mbox as arrays for an agent of a stored statement (Communication 2.4.s5.table1, XAPI-00236–XAPI-00239, XAPI-00244, XAPI-00248)', async () => {
    const actor = { objectType: 'Agent', name: 'xAPI mbox', mbox: `mailto:${randomUUID()}@adlnet.gov` }
    await post([aStatement({ actor })])
    const res = await get(`/xapi/agents?${qs({ agent: actor })}`).expect(200)
    expect(res.body).toEqual({ objectType: 'Person', name: ['xAPI mbox'], mbox: [actor.mbox] })
  })

  it('returns mbox_sha1sum, openid and account as arrays (Communication 2.4.s5.table1.row4–row6, XAPI-00240–XAPI-00242)', async () => {
    const sha = { objectType: 'Agent', mbox_sha1sum: 'cd9b00a5611f94eaa7b1661edab976068e364975' }
    const openid = { objectType: 'Agent', openid: `http://openid.example.org/${randomUUID()}` }
    const account = { objectType: 'Agent', account: { homePage: 'http://www.example.com', name: randomUUID() } }
    await post([aStatement({ actor: sha }), aStatement({ actor: openid }), aStatement({ actor: account })])
    expect((await get(`/xapi/agents?${qs({ agent: sha })}`).expect(200)).body.mbox_sha1sum).toEqual([sha.mbox_sha1sum])
    expect((await get(`/xapi/agents?${qs({ agent: openid })}`).expect(200)).body.openid).toEqual([openid.openid])
    expect((await get(`/xapi/agents?${qs({ agent: account })}`).expect(200)).body.account).toEqual([account.account])
  })

  it('rejects a GET whose agent is not a valid Agent with 400 naming agent (Communication 2.4.s2.table1.row1, XAPI-00249)', async () => {
    for (const agent of ['{"objectType":"Agent"}', '{"mbox":"not-a-mailto"}', 'not json', '1']) {
      const res = await get(`/xapi/agents?${qs({ agent })}`)
      expect([agent, res.status]).toEqual([agent, 400])
      expect(res.body.error.path).toMatch(/^agent\b/)
    }
  })
})

describe('Activities resource, the suite\'s cases (xAPI 1.0.3 Communication 2.5)', () => {
  it('returns the complete Activity Object of a stored statement, equal to the one sent (Communication 2.5.s1)', async () => {
    // The suite's activities.default, with an id of this run.
    const activity = {
      objectType: 'Activity',
      id: `http://www.example.com/verify/complete/${randomUUID()}`,
      definition: {
        type: 'http://adlnet.gov/expapi/activities/meeting',
        name: { 'en-GB': 'example meeting', 'en-US': 'example meeting' },
        description: { 'en-GB': 'An example meeting that happened on a specific occasion with certain people present.', 'en-US': 'An example meeting that happened on a specific occasion with certain people present.' },
        moreInfo: 'http://virtualmeeting.example.com/345256',
        extensions: {
          'http://example.com/profiles/meetings/extension/location': 'X:\\meetings\\minutes\\examplemeeting.one',
          'http://example.com/profiles/meetings/extension/reporter': { name: 'Thomas', id: 'http://openid.com/342' },
        },
      },
    }
    await post([aStatement({ object: activity })])
    expect((await get(`/xapi/activities?${qs({ activityId: activity.id })}`).expect(200)).body).toEqual(activity)
  })

  it('rejects activityId that is not an IRI string (1, true, an object) with 400 naming activityId (Communication 2.5.s1.table1.row1)', async () => {
    for (const activityId of ['1', 'true', '[object Object]', '{"key":"value"}']) {
      const res = await get(`/xapi/activities?${qs({ activityId })}`)
      expect([activityId, res.status]).toEqual([activityId, 400])
      expect(res.body.error.path).toBe('activityId')
    }
  })
})

describe('About resource, the suite\'s cases (xAPI 1.0.3 Communication 2.8)', () => {
  it('answers version as an array holding 1.0.1 and only 1.0.x values to a 1.0.3 client (Communication 2.8.s5.b1.b1, XAPI-00316–XAPI-00319)', async () => {
    const res = await t.http.get('/xapi/about').set(V103).expect(200)
    expect(res.body.version).toContain('1.0.1')
    for (const version of res.body.version as string[]) expect(['0.9', '0.95', '1.0.0', '1.0.1', '1.0.2', '1.0.3']).toContain(version)
  })
})

describe('concurrency, the suite\'s cases (xAPI 1.0.3 Communication 3.1, XAPI-00322)', () => {
  const resources = () => {
    const agent = aTeacher()
    const activityId = anActivity()
    return [
      state({ activityId, agent, stateId: randomUUID() }),
      agentProfile({ agent, profileId: randomUUID() }),
      activityProfile({ activityId, profileId: randomUUID() }),
    ]
  }

  it('answers GET of a State, Agent Profile and Activity Profile document with a quoted 40-hex SHA-1 ETag and Last-Modified (Communication 3.1.s4.b1, 2.2.s6.b1)', async () => {
    for (const path of resources()) {
      await t.http.post(path).set(V103).set('Authorization', t.auth).send({ test: 'ok' }).expect(204)
      const res = await get(path).expect(200)
      expect([path, res.get('ETag')]).toEqual([path, expect.stringMatching(/^"[0-9a-f]{40}"$/)])
      expect(Date.parse(res.get('Last-Modified')!)).not.toBeNaN()
    }
  })

  it('replaces with If-Match carrying the ETag, and creates with If-None-Match: * (Communication 3.1.s4.b5, b6)', async () => {
    const [, profile, activity] = resources()
    await t.http.post(profile!).set(V103).set('Authorization', t.auth).send({ test: 'ok' }).expect(204)
    const etag = (await get(profile!).expect(200)).get('ETag')!
    await t.http.put(profile!).set(V103).set('Authorization', t.auth).set('If-Match', etag).send({ test: 'new' }).expect(204)
    await t.http.put(activity!).set(V103).set('Authorization', t.auth).set('If-None-Match', '*').send({ test: 'ok' }).expect(204)
  })

  it('answers 412 to a State PUT whose If-Match does not match, leaving the document (Communication 3.1.s4.b9, b10)', async () => {
    const [path] = resources()
    await t.http.post(path!).set(V103).set('Authorization', t.auth).send({ test: 'ok' }).expect(204)
    await t.http.put(path!).set(V103).set('Authorization', t.auth).set('If-Match', '"1111111111111111111111111111111111111111"').send({ test: 'new' }).expect(412)
    expect((await get(path!).expect(200)).body).toEqual({ test: 'ok' })
  })

  it('answers 409 with an explanation to an Activity Profile PUT without either header over an existing document, leaving it (Communication 3.1.s4.b13–b15)', async () => {
    const [, , path] = resources()
    await t.http.post(path!).set(V103).set('Authorization', t.auth).send({ test: 'ok' }).expect(204)
    const res = await t.http.put(path!).set(V103).set('Authorization', t.auth).send({ test: 'new' }).expect(409)
    expect(res.text.length).toBeGreaterThan(0)
    expect((await get(path!).expect(200)).body).toEqual({ test: 'ok' })
  })
})

describe('concurrency, the xAPI 2.0 suite\'s cases (IEEE 9274.1.1 Concurrency; test/v2_0/4.1.4-Concurrency.js)', () => {
  const send = (method: 'put' | 'post' | 'delete', path: string, headers: Record<string, string>, body?: object) => {
    const request = t.http[method](path).set(V2).set('Authorization', t.auth).set(headers)
    return body === undefined ? request : request.send(body)
  }

  it('answers 412 to PUT, POST and DELETE whose If-Match is an unquoted wrong tag ("1234"), changing nothing, and 204 with the right one, on every document resource', async () => {
    const agent = aTeacher()
    const activityId = anActivity()
    for (const path of [state({ activityId, agent, stateId: randomUUID() }), activityProfile({ activityId, profileId: randomUUID() }), agentProfile({ agent, profileId: randomUUID() })]) {
      await send('post', path, {}, { name: 'original' }).expect(204)
      for (const method of ['put', 'post', 'delete'] as const) {
        const res = await send(method, path, { 'If-Match': '1234' }, method === 'delete' ? undefined : { name: 'changed' })
        expect([path, method, res.status]).toEqual([path, method, 412])
      }
      const current = await t.http.get(path).set(V2).set('Authorization', t.auth).expect(200)
      expect(current.body).toEqual({ name: 'original' })
      await send('put', path, { 'If-Match': current.get('ETag')! }, { name: 'updated' }).expect(204)
      const updated = await t.http.get(path).set(V2).set('Authorization', t.auth).expect(200)
      expect(updated.body).toEqual({ name: 'updated' })
      await send('post', path, { 'If-Match': updated.get('ETag')! }, { more: 1 }).expect(204)
      const merged = await t.http.get(path).set(V2).set('Authorization', t.auth).expect(200)
      await send('delete', path, { 'If-Match': merged.get('ETag')! }).expect(204)
      await t.http.get(path).set(V2).set('Authorization', t.auth).expect(404)
    }
  })
})

describe('document resources, the suite\'s cases (xAPI 1.0.3 Communication 2.2)', () => {
  // The suite sends a string document with supertest's send(), which labels it
  // application/x-www-form-urlencoded, without a method parameter: a document, not an alternate request.
  const paths = () => {
    const agent = aTeacher()
    const activityId = anActivity()
    return [state({ activityId, agent, stateId: randomUUID() }), activityProfile({ activityId, profileId: randomUUID() }), agentProfile({ agent, profileId: randomUUID() })]
  }

  it('stores a POSTed document whatever its content, {}, 1 and true sent as a form-encoded string included (Communication 2.2.s4.b2: "cannot reject ... based on the contents")', async () => {
    for (const document of [{}, '1', 'true']) {
      for (const path of paths()) {
        const res = await t.http.post(path).set(V103).set('Authorization', t.auth).send(document as object)
        expect([path, document, res.status]).toEqual([path, document, 204])
      }
    }
  })

  it('merges a POSTed JSON object one level deep over the stored one, the later value winning (Communication 2.2.s7.b1–b3)', async () => {
    for (const path of paths()) {
      await t.http.post(path).set(V103).set('Authorization', t.auth).send({ car: { make: 'Ford', model: 'Escape' }, driver: 'Dale', owner: 'Baiq' }).expect(204)
      await t.http.post(path).set(V103).set('Authorization', t.auth).send({ car: { make: 'Dodge' }, driver: 'Jeff' }).expect(204)
      expect((await get(path).expect(200)).body).toEqual({ car: { make: 'Dodge' }, driver: 'Jeff', owner: 'Baiq' })
    }
  })

  it('rejects with 400 a POST of a form-encoded string over a stored JSON document, leaving it (Communication 2.2.s8.b1)', async () => {
    for (const path of paths()) {
      await t.http.post(path).set(V103).set('Authorization', t.auth).send({ car: 'Honda' }).expect(204)
      const res = await t.http.post(path).set(V103).set('Authorization', t.auth).send('abc')
      expect([path, res.status]).toEqual([path, 400])
      expect((await get(path).expect(200)).body).toEqual({ car: 'Honda' })
    }
  })
})

describe('State resource parameters as the suite mistypes them (xAPI 1.0.3 Communication 2.3.s3.table1)', () => {
  // The suite URL-encodes 1, true, {key: 'value'} and undefined as they print; each reaches the LRS as a string.
  it('rejects activityId, agent and registration of the wrong type with 400 naming the parameter, on PUT, POST, GET and DELETE, storing nothing', async () => {
    const base = () => ({ activityId: anActivity(), agent: aTeacher(), stateId: randomUUID() })
    const wrong: Array<[name: string, value: string]> = [
      ['activityId', '1'], ['activityId', 'true'], ['activityId', '[object Object]'], ['activityId', 'undefined'],
      ['agent', '1'], ['agent', 'true'], ['agent', 'not JSON'], ['agent', 'undefined'],
      ['registration', '1'], ['registration', 'true'], ['registration', 'not UUID'],
    ]
    for (const [name, value] of wrong) {
      for (const method of ['put', 'post', 'get', 'delete'] as const) {
        const params = { ...base(), [name]: value }
        let request = t.http[method](state(params)).set(V103).set('Authorization', t.auth)
        if (method === 'put' || method === 'post') request = request.send({ test: 'ok' })
        const res = await request
        expect([name, value, method, res.status]).toEqual([name, value, method, 400])
        expect(res.body.error.path).toMatch(new RegExp(`^${name}\\b`))
      }
    }
  })
})

describe('unknown parameters (xAPI 1.0.3 Communication 3.2)', () => {
  it('rejects a statements parameter written in another case with 400 naming it, on GET and PUT (Communication 3.2.s3.b8, XAPI-00325)', async () => {
    const params: Record<string, string> = {
      StatementId: randomUUID(), VoidedStatementId: randomUUID(), Agent: JSON.stringify({ mbox: 'mailto:xapi@adlnet.gov' }),
      Verb: 'http://adlnet.gov/expapi/verbs/attended', Activity: 'http://www.example.com/meetings/occurances/34534',
      Registration: randomUUID(), Related_Activities: 'true', Related_Agents: 'true', Since: '2012-06-01T19:09:13.245Z',
      Until: '2012-06-01T19:09:13.245Z', Limit: '10', Format: 'ids', Attachments: 'true', Ascending: 'true',
    }
    for (const [name, value] of Object.entries(params)) {
      const res = await get(`/xapi/statements?${qs({ [name]: value })}`)
      expect([name, res.status]).toEqual([name, 400])
      expect(res.body.error.path).toBe(name)
    }
    const id = randomUUID()
    await t.http.put(`/xapi/statements?StatementId=${id}`).set(V103).set('Authorization', t.auth).send(aStatement({ id })).expect(400)
    await get(`/xapi/statements?statementId=${id}`).expect(404)
  })

  it('rejects a parameter the resource does not define with 400 naming it, on every resource that takes parameters', async () => {
    const agent = aTeacher()
    const activityId = anActivity()
    const paths = [
      `/xapi/statements?${qs({ verb: 'http://adlnet.gov/expapi/verbs/attended', foo: 'bar' })}`,
      `${state({ activityId, agent, stateId: 'x' })}&foo=bar`,
      `${agentProfile({ agent, profileId: 'x' })}&foo=bar`,
      `${activityProfile({ activityId, profileId: 'x' })}&foo=bar`,
      `/xapi/agents?${qs({ agent, foo: 'bar' })}`,
      `/xapi/activities?${qs({ activityId, foo: 'bar' })}`,
    ]
    for (const path of paths) {
      const res = await get(path)
      expect([path, res.status]).toEqual([path, 400])
      expect(res.body.error.path).toBe('foo')
    }
  })
})
