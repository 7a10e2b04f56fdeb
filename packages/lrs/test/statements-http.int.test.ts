import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs({ bodyLimit: 64 * 1024 })
})
afterAll(() => t.close())

async function count(): Promise<number> {
  const row = await t.db.knex('xapi_statement').count<{ count: number }[]>('* as count').first()
  return Number(row!.count)
}

describe('versioning (xAPI 1.0.3 Communication 3.3; IEEE 9274.1.1 Communication 3.3)', () => {
  it('rejects a request without X-Experience-API-Version with 400', async () => {
    const res = await t.http.get('/xapi/statements').set('Authorization', t.auth).expect(400)
    expect(res.body.error.code).toBe('ERR_XAPI_MISSING_VERSION')
  })

  it('rejects an unsupported version with 400', async () => {
    const res = await t.http.get('/xapi/statements').set('X-Experience-API-Version', '0.95').set('Authorization', t.auth).expect(400)
    expect(res.body.error.code).toBe('ERR_XAPI_UNSUPPORTED_VERSION')
  })

  it('answers with the version it used: 1.0.3 for 1.0.x and 2.0.0 for 2.0.x', async () => {
    const old = await t.http.get('/xapi/statements?limit=1').set('X-Experience-API-Version', '1.0.1').set('Authorization', t.auth).expect(200)
    expect(old.get('X-Experience-API-Version')).toBe('1.0.3')
    const current = await t.http.get('/xapi/statements?limit=1').set('X-Experience-API-Version', '2.0').set('Authorization', t.auth).expect(200)
    expect(current.get('X-Experience-API-Version')).toBe('2.0.0')
  })

  it('GET /about lists 1.0.3 and 2.0.0 without credentials or version header (Communication 2.8)', async () => {
    const res = await t.http.get('/xapi/about').expect(200)
    expect(res.body.version).toEqual(['1.0.3', '2.0.0'])
  })

  it('rejects contextAgents under 1.0.3 and accepts them under 2.0.0 (IEEE 9274.1.1 Data 2.4.6)', async () => {
    const context = { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:fasilitator@paud.example' } }] }
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ context })).expect(400)
    await t.http.post('/xapi/statements').set(V2).set('Authorization', t.auth).send(aStatement({ context })).expect(200)
  })

  it('normalises a 2.0 timestamp to UTC and rejects the -00:00 offset (IEEE 9274.1.1 Data 2.4.7)', async () => {
    const [id] = (await t.http.post('/xapi/statements').set(V2).set('Authorization', t.auth).send(aStatement({ timestamp: '2026-04-01T10:00:00.000+08:00' })).expect(200)).body
    const res = await t.http.get(`/xapi/statements?statementId=${id}`).set(V2).set('Authorization', t.auth).expect(200)
    expect(res.body.timestamp).toBe('2026-04-01T02:00:00.000Z')
    await t.http.post('/xapi/statements').set(V2).set('Authorization', t.auth).send(aStatement({ timestamp: '2026-04-01T10:00:00.000-00:00' })).expect(400)
  })
})

describe('response headers (Communication 2.1.3)', () => {
  it('sends X-Experience-API-Consistent-Through and Last-Modified on GET', async () => {
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    const one = await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(Date.parse(one.get('X-Experience-API-Consistent-Through')!)).not.toBeNaN()
    expect(new Date(one.get('Last-Modified')!).getTime()).toBe(Math.floor(Date.parse(one.body.stored) / 1000) * 1000)
    const many = await t.http.get('/xapi/statements?limit=2').set(V103).set('Authorization', t.auth).expect(200)
    expect(many.get('X-Experience-API-Consistent-Through')).toBeDefined()
    expect(many.get('Last-Modified')).toBeDefined()
  })

  it('answers HEAD like GET without a body', async () => {
    const res = await t.http.head('/xapi/statements?limit=1').set(V103).set('Authorization', t.auth).expect(200)
    expect(res.get('X-Experience-API-Consistent-Through')).toBeDefined()
    expect(res.text ?? '').toBe('')
  })

  it('answers a CORS preflight without credentials', async () => {
    const res = await t.http
      .options('/xapi/statements')
      .set('Origin', 'https://elearning.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, x-experience-api-version')
      .expect(204)
    expect(res.get('Access-Control-Allow-Origin')).toBe('https://elearning.example')
    expect(res.get('Access-Control-Allow-Headers')).toMatch(/X-Experience-API-Version/)
    expect(res.get('Access-Control-Expose-Headers')).toMatch(/X-Experience-API-Consistent-Through/)
  })

  it('answers multipart/mixed with the JSON first when attachments=true (Communication 2.1.3)', async () => {
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    const res = await t.http.get(`/xapi/statements?statementId=${id}&attachments=true`).set(V103).set('Authorization', t.auth).buffer(true).parse((r, cb) => {
      let text = ''
      r.on('data', (c: Buffer) => (text += c.toString()))
      r.on('end', () => cb(null, text))
    }).expect(200)
    expect(res.get('Content-Type')).toMatch(/^multipart\/mixed; boundary=/)
    expect(String(res.body)).toContain(`"id":"${id}"`)
  })
})

describe('alternate request syntax (xAPI 1.0.3 Communication 1.3)', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

  it('accepts a PUT carried in a form POST under 1.0.3', async () => {
    const id = randomUUID()
    await t.http
      .post('/xapi/statements?method=PUT')
      .type('form')
      .send(form({ statementId: id, 'X-Experience-API-Version': '1.0.3', Authorization: t.auth, 'Content-Type': 'application/json', content: JSON.stringify(aStatement()) }))
      .expect(204)
    await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
  })

  it('accepts a GET carried in a form POST under 1.0.3', async () => {
    const res = await t.http
      .post('/xapi/statements?method=GET')
      .type('form')
      .send(form({ limit: '1', 'X-Experience-API-Version': '1.0.3', Authorization: t.auth }))
      .expect(200)
    expect(res.body.statements).toHaveLength(1)
  })

  it('rejects other query parameters next to method', async () => {
    await t.http.post(`/xapi/statements?method=GET&limit=1`).type('form').send(form({ 'X-Experience-API-Version': '1.0.3', Authorization: t.auth })).expect(400)
  })

  it('rejects the alternate syntax under 2.0.0 (IEEE 9274.1.1 removed it)', async () => {
    const res = await t.http.post('/xapi/statements?method=GET').type('form').send(form({ 'X-Experience-API-Version': '2.0.0', Authorization: t.auth })).expect(400)
    expect(res.body.error.path).toBe('method')
  })
})

describe('credentials and scopes (xAPI 1.0.3 Communication 4)', () => {
  it('answers 401 with a Basic challenge when credentials are missing', async () => {
    const res = await t.http.get('/xapi/statements').set(V103).expect(401)
    expect(res.get('WWW-Authenticate')).toMatch(/^Basic/)
  })

  it('answers 401 for a wrong secret', async () => {
    const [, encoded] = t.auth.split(' ')
    const key = Buffer.from(encoded!, 'base64').toString().split(':')[0]
    await t.http.get('/xapi/statements').set(V103).set('Authorization', `Basic ${Buffer.from(`${key}:wrong-secret`).toString('base64')}`).expect(401)
  })

  it('answers 403 when the credential lacks the scope', async () => {
    const readOnly = await t.credential(['statements/read'])
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', readOnly).send(aStatement()).expect(403)
    expect(res.body.error.code).toBe('ERR_LRS_FORBIDDEN')
    const writeOnly = await t.credential(['statements/write'])
    await t.http.get('/xapi/statements').set(V103).set('Authorization', writeOnly).expect(403)
  })

  it('statements/read/mine sees only the statements its own credential stored', async () => {
    const mine = await t.credential(['statements/write', 'statements/read/mine'])
    const [own] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', mine).send(aStatement()).expect(200)).body
    const [other] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    const res = await t.http.get('/xapi/statements').set(V103).set('Authorization', mine).expect(200)
    expect(res.body.statements.map((s: { id: string }) => s.id)).toEqual([own])
    await t.http.get(`/xapi/statements?statementId=${other}`).set(V103).set('Authorization', mine).expect(404)
  })

  it('keeps tenants apart: a credential of one tenant never sees another tenant\'s statements', async () => {
    await t.db.knex('tenant').insert({ slug: 'ntb-other', name: 'Another district' })
    const other = await t.credential(['all'], 'ntb-other')
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', other).expect(404)
    expect((await t.http.get('/xapi/statements').set(V103).set('Authorization', other).expect(200)).body.statements).toEqual([])
    // The same id may exist in both tenants without conflict.
    const statement = aStatement({ id })
    await t.http.post('/xapi/statements').set(V103).set('Authorization', other).send(statement).expect(200)
  })
})

describe('bad input changes nothing', () => {
  it('malformed JSON → 400 naming the body', async () => {
    const before = await count()
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('{"actor": ').expect(400)
    expect(res.body.error.path).toBe('$')
    expect(await count()).toBe(before)
  })

  it('a content type other than application/json → 400 naming Content-Type', async () => {
    const before = await count()
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).set('Content-Type', 'text/plain').send(JSON.stringify(aStatement())).expect(400)
    expect(res.body.error.path).toBe('Content-Type')
    expect(await count()).toBe(before)
  })

  it('a body over the limit → 413', async () => {
    const before = await count()
    const huge = Array.from({ length: 400 }, () => aStatement())
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(huge).expect(413)
    expect(res.body.error.code).toBe('ERR_LRS_PAYLOAD_TOO_LARGE')
    expect(await count()).toBe(before)
  })

  it('an empty body → 400', async () => {
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('').expect(400)
  })

  it('a method the resource does not have → 405 with Allow (test/adl-conformance.int.test.ts)', async () => {
    const res = await t.http.delete('/xapi/statements').set(V103).set('Authorization', t.auth).expect(405)
    expect(res.get('Allow')).toMatch(/GET/)
  })

  it('an unknown resource → 404', async () => {
    await t.http.get('/xapi/nothing-here').set(V103).set('Authorization', t.auth).expect(404)
  })
})
