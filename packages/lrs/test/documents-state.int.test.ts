import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aTeacher, anActivity, state } from './document-requests.ts'
import { createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(() => t.close())

const sha1 = (bytes: Buffer | string) => createHash('sha1').update(bytes).digest('hex')

function fresh() {
  return { activityId: anActivity(), agent: aTeacher(), stateId: 'bookmark' }
}

function putJson(params: Record<string, unknown>, body: unknown, headers: Record<string, string> = V103) {
  return t.http.put(state(params)).set(headers).set('Authorization', t.auth).set('Content-Type', 'application/json').send(JSON.stringify(body))
}

function getJson(params: Record<string, unknown>) {
  return t.http.get(state(params)).set(V103).set('Authorization', t.auth)
}

describe('State resource, single document (xAPI 1.0.3 Communication 2.3)', () => {
  it('stores a document with PUT and returns it with GET, ETag and Last-Modified (Communication 2.3.s3, 3.1.s4.b1, 2.2.s6.b1)', async () => {
    const params = fresh()
    const body = JSON.stringify({ page: 4, lang: 'id' })
    const put = await putJson(params, { page: 4, lang: 'id' }).expect(204)
    const got = await getJson(params).expect(200)
    expect(got.body).toEqual({ page: 4, lang: 'id' })
    expect(got.get('ETag')).toBe(`"${sha1(body)}"`)
    expect(put.get('ETag')).toBe(got.get('ETag'))
    expect(Date.parse(got.get('Last-Modified')!)).not.toBeNaN()
  })

  it('returns a document of any content type byte-for-byte with its Content-Type (Communication 1.5.b1, 2.2.s2)', async () => {
    const params = fresh()
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0d, 0x0a])
    await t.http.put(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'image/png').send(bytes).expect(204)
    const got = await t.http.get(state(params)).set(V103).set('Authorization', t.auth).responseType('blob').expect(200)
    expect(got.get('Content-Type')).toBe('image/png')
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0)
    expect(got.get('ETag')).toBe(`"${sha1(bytes)}"`)
  })

  it('keeps a text document exactly as sent, with its charset parameter (Communication 2.2.s2)', async () => {
    const params = fresh()
    await t.http.put(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'text/plain; charset=utf-8').send('Halaman 4 — selesai').expect(204)
    const got = await getJson(params).expect(200)
    expect(got.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(got.text).toBe('Halaman 4 — selesai')
  })

  it('answers HEAD like GET without the body (Communication 1.1.s3.b1)', async () => {
    const params = fresh()
    await putJson(params, { a: 1 }).expect(204)
    const head = await t.http.head(state(params)).set(V103).set('Authorization', t.auth).expect(200)
    expect(head.get('ETag')).toBe(`"${sha1('{"a":1}')}"`)
    expect(head.text ?? '').toBe('')
  })

  it('answers 404 naming stateId when the document does not exist (Communication 3.2.s2.b4)', async () => {
    const res = await getJson(fresh()).expect(404)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_NOT_FOUND', path: 'stateId' })
  })

  it('stores a POST to a missing document as if it were a PUT, whatever its JSON (Communication 2.2.s7; ADL suite "treats it as a PUT")', async () => {
    for (const document of [{ a: 1 }, 1, true]) {
      const params = fresh()
      await t.http.post(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send(JSON.stringify(document)).expect(204)
      expect((await getJson(params).expect(200)).body).toEqual(document)
    }
  })

  it('merges a POSTed JSON object into the stored one at the top level only (Communication 2.2.s7.b1–b3)', async () => {
    const params = fresh()
    await putJson(params, { x: 'foo', y: 'bar', car: { make: 'Ford', model: 'Escape' } }).expect(204)
    await t.http.post(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send({ x: 'bash', z: 'faz', car: { make: 'Dodge' } }).expect(204)
    expect((await getJson(params).expect(200)).body).toEqual({ x: 'bash', y: 'bar', z: 'faz', car: { make: 'Dodge' } })
  })

  it('rejects a POST merge with 400 when the stored document is not application/json, leaving it unchanged (Communication 2.2.s8.b1)', async () => {
    const params = fresh()
    await t.http.put(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'text/plain').send('abc').expect(204)
    const res = await t.http.post(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send({ a: 1 }).expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'Content-Type' })
    expect((await getJson(params).expect(200)).text).toBe('abc')
  })

  it('rejects a POST merge with 400 when the posted document is not a JSON object, leaving the stored one unchanged (Communication 2.2.s8.b1)', async () => {
    const params = fresh()
    await putJson(params, { kept: true }).expect(204)
    const notObject = await t.http.post(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('[1,2]').expect(400)
    expect(notObject.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: '$' })
    const notJson = await t.http.post(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'text/plain').send('abc').expect(400)
    expect(notJson.body.error.path).toBe('Content-Type')
    expect((await getJson(params).expect(200)).body).toEqual({ kept: true })
  })

  it('rejects a body declared application/json that is not JSON with 400, storing nothing (Communication 3.2.s3.b6)', async () => {
    const params = fresh()
    const res = await t.http.put(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('{"unclosed":').expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: '$' })
    await getJson(params).expect(404)
  })

  it('deletes one document with DELETE and stateId (Communication 2.3.s3)', async () => {
    const params = fresh()
    await putJson(params, { a: 1 }).expect(204)
    await t.http.delete(state(params)).set(V103).set('Authorization', t.auth).expect(204)
    await getJson(params).expect(404)
  })

  it('finds a document by any equal Agent: same IFI, other name, mbox domain in other case (Data 2.4.2.3; Communication 2.1.3 agent)', async () => {
    const params = fresh()
    await putJson(params, { a: 1 }).expect(204)
    const [local, domain] = params.agent.mbox.split('@')
    const same = { mbox: `${local}@${domain!.toUpperCase()}`, name: 'Another name' }
    expect((await getJson({ ...params, agent: same }).expect(200)).body).toEqual({ a: 1 })
  })

  it('keeps documents of different registrations, and of no registration, apart (Communication 2.3.s3.table1.row3)', async () => {
    const params = fresh()
    const registration = randomUUID()
    await putJson(params, { which: 'none' }).expect(204)
    await putJson({ ...params, registration }, { which: 'one' }).expect(204)
    expect((await getJson(params).expect(200)).body).toEqual({ which: 'none' })
    expect((await getJson({ ...params, registration: registration.toUpperCase() }).expect(200)).body).toEqual({ which: 'one' })
    await getJson({ ...params, registration: randomUUID() }).expect(404)
  })

  it('lets PUT replace a State document without concurrency headers under 1.0.3 (Communication 3.1.s3)', async () => {
    const params = fresh()
    await putJson(params, { v: 1 }).expect(204)
    await putJson(params, { v: 2 }).expect(204)
    expect((await getJson(params).expect(200)).body).toEqual({ v: 2 })
  })

  it('answers 409 to a State PUT without If-Match or If-None-Match over an existing document under 2.0, leaving it unchanged (IEEE 9274.1.1 Concurrency)', async () => {
    const params = fresh()
    await putJson(params, { v: 1 }, V2).expect(204)
    const res = await putJson(params, { v: 2 }, V2).expect(409)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_CONFLICT', path: 'If-Match' })
    expect(res.body.error.message).toMatch(/If-Match/)
    expect((await getJson(params).expect(200)).body).toEqual({ v: 1 })
  })
})

describe('State resource, multiple documents (xAPI 1.0.3 Communication 2.3.s4, 2.3.s5)', () => {
  it('lists the stateIds of an Activity and Agent with GET without stateId, with Last-Modified (Communication 2.3.s4, 2.2.s6.b2)', async () => {
    const { activityId, agent } = fresh()
    await putJson({ activityId, agent, stateId: 'a' }, 1).expect(204)
    await putJson({ activityId, agent, stateId: 'b' }, 2).expect(204)
    await putJson({ activityId: anActivity(), agent, stateId: 'other-activity' }, 3).expect(204)
    const res = await getJson({ activityId, agent }).expect(200)
    expect([...res.body].sort()).toEqual(['a', 'b'])
    expect(res.get('Last-Modified')).toBeDefined()
    expect(res.get('ETag')).toMatch(/^"[0-9a-f]{40}"$/)
  })

  it('lists only the ids stored after since, exclusive (Communication 2.3.s4.table1.row4)', async () => {
    const { activityId, agent } = fresh()
    t.setNow(new Date('2026-03-01T08:00:00.000Z'))
    await putJson({ activityId, agent, stateId: 'old' }, 1).expect(204)
    t.setNow(new Date('2026-03-01T09:00:00.000Z'))
    await putJson({ activityId, agent, stateId: 'new' }, 2).expect(204)
    t.setNow(new Date('2026-03-01T10:00:00.000Z'))
    await putJson({ activityId, agent, stateId: 'old' }, 3).expect(204)
    try {
      const after = await getJson({ activityId, agent, since: '2026-03-01T09:00:00.000Z' }).expect(200)
      expect(after.body).toEqual(['old'])
      const withOffset = await getJson({ activityId, agent, since: '2026-03-01T15:30:00+07:00' }).expect(200)
      expect([...withOffset.body].sort()).toEqual(['new', 'old'])
    } finally {
      t.setNow(undefined as unknown as Date)
    }
  })

  it('lists the ids of every registration when registration is absent, and of one when given (Communication 2.3.s4)', async () => {
    const { activityId, agent } = fresh()
    const registration = randomUUID()
    await putJson({ activityId, agent, stateId: 'plain' }, 1).expect(204)
    await putJson({ activityId, agent, registration, stateId: 'registered' }, 2).expect(204)
    expect([...(await getJson({ activityId, agent }).expect(200)).body].sort()).toEqual(['plain', 'registered'])
    expect((await getJson({ activityId, agent, registration }).expect(200)).body).toEqual(['registered'])
  })

  it('answers an empty array when there are no documents (Communication 2.3.s4)', async () => {
    expect((await getJson({ activityId: anActivity(), agent: aTeacher() }).expect(200)).body).toEqual([])
  })

  it('deletes every document of an Activity and Agent with DELETE without stateId, and nothing else (Communication 2.3.s5)', async () => {
    const { activityId, agent } = fresh()
    const other = anActivity()
    await putJson({ activityId, agent, stateId: 'a' }, 1).expect(204)
    await putJson({ activityId, agent, registration: randomUUID(), stateId: 'b' }, 2).expect(204)
    await putJson({ activityId: other, agent, stateId: 'kept' }, 3).expect(204)
    await t.http.delete(state({ activityId, agent })).set(V103).set('Authorization', t.auth).expect(204)
    expect((await getJson({ activityId, agent }).expect(200)).body).toEqual([])
    expect((await getJson({ activityId: other, agent }).expect(200)).body).toEqual(['kept'])
  })

  it('deletes only the documents of one registration when DELETE names it (Communication 2.3.s5.table1.row3)', async () => {
    const { activityId, agent } = fresh()
    const registration = randomUUID()
    await putJson({ activityId, agent, stateId: 'plain' }, 1).expect(204)
    await putJson({ activityId, agent, registration, stateId: 'registered' }, 2).expect(204)
    await t.http.delete(state({ activityId, agent, registration })).set(V103).set('Authorization', t.auth).expect(204)
    expect((await getJson({ activityId, agent }).expect(200)).body).toEqual(['plain'])
  })

  it('rejects If-Match on a DELETE of many documents with 400 and deletes nothing (Communication 3.1: preconditions name one document)', async () => {
    const params = fresh()
    await putJson(params, 1).expect(204)
    const res = await t.http.delete(state({ activityId: params.activityId, agent: params.agent })).set(V103).set('Authorization', t.auth).set('If-Match', '*').expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'If-Match' })
    await getJson(params).expect(200)
  })

  it('accepts since beside stateId under 1.0.3 and answers the document (ADL suite, Communication 2.3.s4)', async () => {
    const params = fresh()
    await putJson(params, { a: 1 }).expect(204)
    expect((await getJson({ ...params, since: '2020-01-01T00:00:00Z' }).expect(200)).body).toEqual({ a: 1 })
  })

  it('rejects since beside stateId under 2.0 with 400 naming since (IEEE 9274.1.1 State Resource: "Not Allowed")', async () => {
    const params = fresh()
    const res = await t.http.get(state({ ...params, since: '2020-01-01T00:00:00Z' })).set(V2).set('Authorization', t.auth).expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'since' })
  })
})

describe('State resource parameters (xAPI 1.0.3 Communication 2.3.s3 table; Data 2.2.s4.b4)', () => {
  const cases: Array<[rule: string, method: 'get' | 'put' | 'delete', mutate: (p: Record<string, unknown>) => void, code: string, path: string]> = [
    ['rejects a request without activityId (2.3.s3.table1.row1)', 'get', (p) => delete p.activityId, 'ERR_LRS_BAD_REQUEST', 'activityId'],
    ['rejects an activityId that is not an IRI (2.3.s3.table1.row1; Data 2.4.4.1)', 'put', (p) => (p.activityId = 'not an iri'), 'ERR_XAPI_INVALID_PARAMETER', 'activityId'],
    ['rejects a request without agent (2.3.s3.table1.row2)', 'delete', (p) => delete p.agent, 'ERR_LRS_BAD_REQUEST', 'agent'],
    ['rejects an agent that is not JSON (2.3.s3.table1.row2)', 'get', (p) => (p.agent = 'not JSON'), 'ERR_LRS_BAD_REQUEST', 'agent'],
    ['rejects an agent with two identifiers (Data 2.4.2.1)', 'put', (p) => (p.agent = { mbox: 'mailto:a@paud.example', openid: 'https://id.example/a' }), 'ERR_XAPI_INVALID_PARAMETER', 'agent'],
    ['rejects a registration that is not a UUID (2.3.s3.table1.row3)', 'put', (p) => (p.registration = 'not UUID'), 'ERR_LRS_BAD_REQUEST', 'registration'],
    ['rejects a PUT without stateId (2.3.s3.table1.row4)', 'put', (p) => delete p.stateId, 'ERR_LRS_BAD_REQUEST', 'stateId'],
    ['rejects a since that is not a timestamp (2.3.s4.table1.row4)', 'get', (p) => { delete p.stateId; p.since = 'yesterday' }, 'ERR_LRS_BAD_REQUEST', 'since'],
    ['rejects since on DELETE, where it is not a parameter (3.2.s3.b7)', 'delete', (p) => (p.since = '2026-01-01T00:00:00Z'), 'ERR_LRS_BAD_REQUEST', 'since'],
    ['rejects an unknown parameter, naming it (3.2.s3.b7)', 'get', (p) => (p.page = '2'), 'ERR_LRS_BAD_REQUEST', 'page'],
    ['rejects a parameter that matches a known one in all but case (3.2.s3.b8)', 'get', (p) => { p.StateId = p.stateId; delete p.stateId }, 'ERR_LRS_BAD_REQUEST', 'StateId'],
  ]
  for (const [rule, method, mutate, code, path] of cases) {
    it(`${rule}, with 400 naming the parameter and changing nothing`, async () => {
      const params: Record<string, unknown> = fresh()
      mutate(params)
      let request = t.http[method](state(params)).set(V103).set('Authorization', t.auth)
      if (method === 'put') request = request.set('Content-Type', 'application/json').send('{"a":1}')
      const res = await request.expect(400)
      expect(res.body.error.code).toBe(code)
      expect(res.body.error.path.startsWith(path)).toBe(true)
      expect(await t.db.knex('xapi_document').where('document_id', 'bookmark').whereRaw('activity_id = ?', [String(params.activityId ?? '')]).count<{ count: number }[]>('* as count').first()).toMatchObject({ count: 0 })
    })
  }

  it('rejects a parameter given twice with 400 naming it', async () => {
    const params = fresh()
    const res = await t.http.get(`${state(params)}&stateId=again`).set(V103).set('Authorization', t.auth).expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'stateId' })
  })
})
