import { gzipSync } from 'node:zlib'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aTeacher, anActivity, qs, state } from '../document-requests.ts'
import { aStatement, createTestLrs, listen, V103, V2, type TestLrs } from '../test-lrs.ts'

/**
 * Text that PostgreSQL, UTF-8 or the query parser cannot carry as sent: NUL (U+0000), unpaired
 * UTF-16 surrogate escapes, bytes that are not UTF-8, year 0000, over-long fractions, `__proto__`.
 * Each was answered 500 or stored as something other than what was sent (probe of the running
 * server, task A); each is now a 400 (401 for credentials) naming the field and the rule, and
 * changes nothing. Runs on both engines.
 */
let t: TestLrs
let server: { base: string; stop(): Promise<void> }
beforeAll(async () => {
  t = await createTestLrs()
  server = await listen(t)
})
afterAll(async () => {
  await server.stop()
  await t.close()
})

/** Bytes sent as they are (supertest serialises a Buffer under a JSON or form Content-Type). */
async function sendBytes(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.base}${path}`, { method: 'POST', headers, body: new Uint8Array(body) })
  return { status: res.status, body: await res.json() }
}

const count = async (table: 'xapi_statement' | 'xapi_document') => Number(((await t.db.knex(table).count('* as n').first()) as { n: string | number }).n)
const postJson = (body: string | Buffer, version = V2) => t.http.post('/xapi/statements').set(version).set('Authorization', t.auth).set('Content-Type', 'application/json').send(body)
/** An alternate-syntax request (xAPI 1.0.3 Communication 1.3): method, headers and content in a form. */
const alternate = (path: string, method: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.http.post(`${path}?method=${method}`).set('Content-Type', 'application/x-www-form-urlencoded').set(headers)
    .send(new URLSearchParams({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3', ...fields }).toString())

describe(`unpaired surrogates and bytes that are not UTF-8 in statements on ${testEngine()} (RFC 8259 §8.1, §8.2)`, () => {
  it('refuses a statement with an unpaired surrogate escape anywhere (an Activity name was a 500; a name or mbox was stored), storing nothing', async () => {
    const before = await count('xapi_statement')
    for (const statement of [
      aStatement({ object: { id: anActivity(), definition: { name: { en: 'RPPH \ud800' } } } }),
      aStatement({ actor: { mbox: 'mailto:guru\udfff@paud.example', name: 'Guru' } }),
      aStatement({ result: { response: 'a\ud800b', extensions: { 'https://tln.example/x': { ['k\udc00']: 1 } } } }),
    ]) {
      const res = await postJson(JSON.stringify(statement))
      expect(res.status, res.text).toBe(400)
      expect(res.body.error.message).toContain('rule unpaired-surrogate')
    }
    expect(await count('xapi_statement')).toBe(before)
    // A surrogate pair, escaped or as UTF-8, is an ordinary character.
    expect((await postJson(JSON.stringify(aStatement({ result: { response: '😀' } })).replace('😀', '\\ud83d\\ude00'))).status).toBe(200)
    expect((await postJson(JSON.stringify(aStatement({ result: { response: '😀 é' } })))).status).toBe(200)
  })

  it('refuses a body that is not UTF-8 (Latin-1 é, a stray 0xFF) instead of storing U+FFFD, and one with a BOM, storing nothing', async () => {
    const before = await count('xapi_statement')
    const latin1 = Buffer.from(JSON.stringify(aStatement({ result: { response: 'é' } })), 'latin1')
    for (const body of [latin1, Buffer.concat([Buffer.from('['), Buffer.from([0xff]), Buffer.from(']')])]) {
      const res = await sendBytes('/xapi/statements', { ...V103, Authorization: t.auth, 'Content-Type': 'application/json' }, body)
      expect(res.status, JSON.stringify(res.body)).toBe(400)
      expect(res.body.error.message).toContain('rule utf-8')
    }
    const bom = await sendBytes('/xapi/statements', { ...V103, Authorization: t.auth, 'Content-Type': 'application/json' }, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(aStatement()))]))
    expect(bom.status).toBe(400)
    expect(bom.body.error.message).toContain('rule no-bom')
    expect(await count('xapi_statement')).toBe(before)
  })

  it('refuses a number too large for a double, which was stored as null (rule finite-number; RFC 8259 §6)', async () => {
    const before = await count('xapi_statement')
    const body = JSON.stringify(aStatement({ result: { extensions: { 'https://tln.example/x': [1, 'N'] } } })).replace('"N"', '1e400')
    const res = await postJson(body)
    expect(res.status, res.text).toBe(400)
    expect(res.body.error).toMatchObject({ path: 'result.extensions["https://tln.example/x"][1]', message: expect.stringContaining('rule finite-number') })
    expect(await count('xapi_statement')).toBe(before)
  })

  it('refuses an agent parameter with an unpaired surrogate escape, which hashed to the key of another agent', async () => {
    const agent = JSON.stringify({ mbox: 'mailto:a\ud800@paud.example' })
    const statements = await t.http.get('/xapi/statements').query({ agent }).set(V103).set('Authorization', t.auth)
    expect(statements.status).toBe(400)
    expect(statements.body.error.issues[0]).toMatchObject({ path: 'agent', rule: 'unpaired-surrogate' })
    const put = await t.http.put(state({ activityId: anActivity(), agent, stateId: 's' })).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('{}')
    expect(put.status).toBe(400)
    expect(put.body.error).toMatchObject({ path: 'agent', message: expect.stringContaining('rule unpaired-surrogate') })
  })
})

describe(`NUL and control characters that reached the database as text on ${testEngine()}`, () => {
  it('refuses an mbox with a NUL in a statement and as the agent parameter (a 500 on state and GET statements; RFC 6068 §2)', async () => {
    const agent = { mbox: 'mailto:guru\u0000@paud.example' }
    expect((await postJson(JSON.stringify(aStatement({ actor: agent })))).status).toBe(400)
    const get = await t.http.get('/xapi/statements').query({ agent: JSON.stringify(agent) }).set(V103).set('Authorization', t.auth)
    expect(get.status).toBe(400)
    expect(get.body.error.issues[0]).toMatchObject({ path: 'agent', rule: 'mailto-iri' })
    const before = await count('xapi_document')
    const put = await t.http.put(state({ activityId: anActivity(), agent, stateId: 's' })).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('{}')
    expect(put.status).toBe(400)
    expect(await count('xapi_document')).toBe(before)
  })

  it('refuses a stateId or a Content-Type with a NUL sent in an alternate request, gzip-compressed or not (a 500; xAPI 1.0.3 Communication 1.3)', async () => {
    const before = await count('xapi_document')
    const base = { activityId: anActivity(), agent: JSON.stringify(aTeacher()) }
    const idNul = await alternate('/xapi/activities/state', 'PUT', { ...base, stateId: 's\u0000', 'Content-Type': 'application/json', content: '{}' })
    expect(idNul.status, idNul.text).toBe(400)
    expect(idNul.body.error).toMatchObject({ path: 'stateId', message: expect.stringContaining('rule no-nul') })
    const form = new URLSearchParams({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3', ...base, stateId: 's', 'Content-Type': 'text/plain\u0000', content: 'x' }).toString()
    const typeNul = await sendBytes('/xapi/activities/state?method=PUT', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }, gzipSync(form))
    expect(typeNul.status, JSON.stringify(typeNul.body)).toBe(400)
    expect(typeNul.body.error).toMatchObject({ path: 'Content-Type', message: expect.stringContaining('rule no-control-characters') })
    expect(await count('xapi_document')).toBe(before)
  })

  it('answers Basic credentials holding a NUL with 401 (a 500 at the credential lookup; RFC 7617 §2)', async () => {
    const res = await t.http.get('/xapi/statements').set(V103).set('Authorization', `Basic ${Buffer.from('\u0000:\u0000').toString('base64')}`)
    expect(res.status).toBe(401)
    expect(res.body.error.message).toContain('control characters')
  })
})

describe(`parameters the query parser changed on ${testEngine()} (xAPI 1.0.3 Communication 3.2)`, () => {
  it('refuses percent-encoded octets that are not UTF-8 (s%FF and s%FE were the same stateId, U+FFFD), in the URL and in an alternate form', async () => {
    const before = await count('xapi_document')
    const base = qs({ activityId: anActivity(), agent: aTeacher() })
    for (const id of ['s%FF', 's%ED%A0%80', 's%C0%80']) {
      const res = await t.http.put(`/xapi/activities/state?${base}&stateId=${id}`).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('{}')
      expect(res.status, `${id}: ${res.text}`).toBe(400)
      expect(res.body.error).toMatchObject({ path: 'query', message: expect.stringContaining('rule utf-8') })
    }
    const form = `${new URLSearchParams({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3', content: '{}' })}&${base}&stateId=s%FF`
    const alt = await t.http.post('/xapi/activities/state?method=PUT').set('Content-Type', 'application/x-www-form-urlencoded').send(form)
    expect(alt.status, alt.text).toBe(400)
    expect(alt.body.error.path).toBe('body')
    expect(await count('xapi_document')).toBe(before)
    // UTF-8, and a lone "%" the parser keeps as it is, still pass.
    expect((await t.http.put(`/xapi/activities/state?${base}&stateId=s%C3%A9%`).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('{}')).status).toBe(204)
  })

  it('refuses __proto__ as an unknown parameter; it used to vanish into the prototype and be ignored (Communication 3.2.s3.b7)', async () => {
    const statements = await t.http.get('/xapi/statements?__proto__=1').set(V103).set('Authorization', t.auth)
    expect(statements.status).toBe(400)
    expect(statements.body.error.issues[0]).toMatchObject({ path: '__proto__', rule: 'unknown-parameter' })
    const docs = await t.http.get(`/xapi/activities/state?${qs({ activityId: anActivity(), agent: aTeacher() })}&__proto__=x`).set(V103).set('Authorization', t.auth)
    expect(docs.status).toBe(400)
    expect(docs.body.error.path).toBe('__proto__')
  })
})

describe(`since and until that timestamptz cannot read on ${testEngine()} (xAPI 1.0.3 Communication 2.1.3, 2.3)`, () => {
  it('answers year 0000 and a 5,000-digit fraction like the instants they are (both were a 500)', async () => {
    const id = (await postJson(JSON.stringify(aStatement()))).body[0] as string
    const get = (query: Record<string, string>) => t.http.get('/xapi/statements').query({ ...query, format: 'ids' }).set(V103).set('Authorization', t.auth)
    const since0 = await get({ since: '0000-01-01T00:00:00Z' })
    expect(since0.status, since0.text).toBe(200)
    expect(since0.body.statements.map((s: { id: string }) => s.id)).toContain(id)
    const until0 = await get({ until: '0000-01-01T00:00:00Z' })
    expect(until0.status).toBe(200)
    expect(until0.body.statements).toEqual([])
    const long = await get({ since: `2020-01-01T00:00:00.${'9'.repeat(5000)}Z` })
    expect(long.status).toBe(200)
    expect(long.body.statements.map((s: { id: string }) => s.id)).toContain(id)
    const docs = await t.http.get(state({ activityId: anActivity(), agent: aTeacher(), since: '0000-01-01T00:00:00Z' })).set(V103).set('Authorization', t.auth)
    expect(docs.status).toBe(200)
  })

  it('refuses a statement timestamp in year 0000 UTC, which stopped the competence engine (rule timestamp-range)', async () => {
    const before = await count('xapi_statement')
    const res = await postJson(JSON.stringify(aStatement({ timestamp: '0001-01-01T03:00:00+07:00' })))
    expect(res.status).toBe(400)
    expect(res.body.error.issues[0]).toMatchObject({ path: 'timestamp', rule: 'timestamp-range' })
    expect(await count('xapi_statement')).toBe(before)
  })
})
