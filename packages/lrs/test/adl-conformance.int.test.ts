import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V103, type TestLrs } from './test-lrs.ts'

/**
 * Rules the ADL LRS conformance test suite (adlnet/lrs-conformance-test-suite, test/v1_0_3 and
 * test/v2_0) checks and this LRS once answered differently. Each test names the rule and the
 * section it comes from; where the suite asks more than the specification, the test says so.
 */

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(() => t.close())

const agent = JSON.stringify({ objectType: 'Agent', mbox: 'mailto:adl.suite@paud.example' })
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

describe('methods (xAPI 1.0.3 Communication 3.2; RFC 9110 §15.5.6)', () => {
  it('answers 405 Method Not Allowed with Allow to a method the resource does not have, before checking credentials', async () => {
    const cases: Array<[method: 'delete' | 'post' | 'put' | 'patch', path: string, allow: string]> = [
      ['delete', `/xapi/statements?statementId=${randomUUID()}`, 'GET, HEAD, PUT, POST'],
      ['patch', '/xapi/statements', 'GET, HEAD, PUT, POST'],
      ['delete', '/xapi/activities?activityId=http%3A%2F%2Fwww.example.com%2Fmeetings%2F1', 'GET, HEAD'],
      ['post', '/xapi/activities?activityId=http%3A%2F%2Fwww.example.com%2Fmeetings%2F1', 'GET, HEAD'],
      ['put', '/xapi/activities?activityId=http%3A%2F%2Fwww.example.com%2Fmeetings%2F1', 'GET, HEAD'],
      ['delete', `/xapi/agents?agent=${encodeURIComponent(agent)}`, 'GET, HEAD'],
      ['post', `/xapi/agents?agent=${encodeURIComponent(agent)}`, 'GET, HEAD'],
      ['put', `/xapi/agents?agent=${encodeURIComponent(agent)}`, 'GET, HEAD'],
      ['patch', '/xapi/activities/state', 'GET, HEAD, PUT, POST, DELETE'],
      ['post', '/xapi/about', 'GET, HEAD'],
    ]
    for (const [method, path, allow] of cases) {
      // The suite sends these without credentials (1.0.1 as version): the method decides first.
      const res = await t.http[method](path).set('X-Experience-API-Version', '1.0.1')
      expect([method, path, res.status]).toEqual([method, path, 405])
      expect(res.get('Allow')).toBe(allow)
      expect(res.get('X-Experience-API-Version')).toBe('1.0.3')
      expect(res.body.error.code).toBe('ERR_LRS_METHOD_NOT_ALLOWED')
    }
    // The method named by an alternate request counts too.
    const alternate = await t.http.post('/xapi/agents?method=DELETE').type('form').send(form({ agent, 'X-Experience-API-Version': '1.0.3', Authorization: t.auth }))
    expect(alternate.status).toBe(405)
  })
})

describe('statement responses (xAPI 1.0.3 Communication 2.1.3)', () => {
  it('sends X-Experience-API-Consistent-Through on every answer of the statements resource, errors included (Communication 2.1.3.s2.b5)', async () => {
    // "on all responses to Statements requests"; the suite (XAPI-00153) checks it on a 400 without a version header.
    const missingVersion = await t.http.get('/xapi/statements').set('Authorization', t.auth).expect(400)
    expect(Date.parse(missingVersion.get('X-Experience-API-Consistent-Through')!)).not.toBeNaN()
    const unauthorised = await t.http.get('/xapi/statements').set(V103).expect(401)
    expect(Date.parse(unauthorised.get('X-Experience-API-Consistent-Through')!)).not.toBeNaN()
    const badParameter = await t.http.get('/xapi/statements?foo=bar').set(V103).set('Authorization', t.auth).expect(400)
    expect(Date.parse(badParameter.get('X-Experience-API-Consistent-Through')!)).not.toBeNaN()
  })

  it('serves statements as application/json without a charset parameter (Communication 2.1.3; RFC 8259 §11 defines none)', async () => {
    // The suite (XAPI-00161) compares the whole Content-Type with "application/json".
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    const one = await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(one.get('Content-Type')).toBe('application/json')
    const page = await t.http.get('/xapi/statements?limit=1&attachments=false').set(V103).set('Authorization', t.auth).expect(200)
    expect(page.get('Content-Type')).toBe('application/json')
  })
})

describe('versioning (xAPI 1.0.3 Communication 3.3)', () => {
  it('answers a request without X-Experience-API-Version with 400 and X-Experience-API-Version 1.0.3 (Communication 3.3.s3, s4)', async () => {
    // A client that sends no version predates 1.0 (0.9 and 0.95 had no such header), so the answer
    // names the 1.0 line. The 1.0.3 suite (XAPI-00321) requires a 1.0.x value here; the 2.0 suite
    // accepts 1.0.x or 2.0.x.
    for (const path of ['/xapi/statements', '/xapi/activities', `/xapi/agents?agent=${encodeURIComponent(agent)}`, '/xapi/activities/state']) {
      const res = await t.http.get(path).set('Authorization', t.auth).expect(400)
      expect(res.get('X-Experience-API-Version')).toBe('1.0.3')
    }
    const current = await t.http.get('/xapi/statements').set('X-Experience-API-Version', '2.1.0').set('Authorization', t.auth).expect(400)
    expect(current.get('X-Experience-API-Version')).toBe('2.0.0')
  })
})

describe('versioning of every answer (xAPI 1.0.3 Communication 3.3)', () => {
  it('sends X-Experience-API-Version on every answer, an unknown resource and a malformed alternate request included (Communication 3.3.s3.b1)', async () => {
    const unknown = await t.http.get('/xapi/nothing-here').set(V103).set('Authorization', t.auth).expect(404)
    expect(unknown.get('X-Experience-API-Version')).toBe('1.0.3')
    const malformed = await t.http.post('/xapi/statements?method=GET&limit=1').set(V103).type('form').send(form({ Authorization: t.auth })).expect(400)
    expect(malformed.get('X-Experience-API-Version')).toBe('1.0.3')
  })
})

describe('alternate request syntax (xAPI 1.0.3 Communication 1.3)', () => {
  it('takes X-Experience-API-Version and Authorization from the request headers when the form leaves them out (Communication 1.3.s3.b6: the form MAY carry them)', async () => {
    const id = randomUUID()
    await t.http
      .post('/xapi/statements?method=PUT')
      .set(V103)
      .set('Authorization', t.auth)
      .type('form')
      .send(form({ statementId: id, 'Content-Type': 'application/json', content: JSON.stringify(aStatement()) }))
      .expect(204)
    const res = await t.http.post('/xapi/statements?method=GET').set(V103).set('Authorization', t.auth).type('form').send(form({ statementId: id })).expect(200)
    expect(res.body.id).toBe(id)
  })

  it('reads the content of an alternate statements request without a Content-Type field as JSON (Communication 1.3.s3.b4, b5)', async () => {
    // The content is "a UTF-8 string" and binary data cannot be sent this way, so a statement can only be JSON.
    const id = randomUUID()
    await t.http
      .post('/xapi/statements?method=PUT')
      .type('form')
      .send(form({ statementId: id, 'X-Experience-API-Version': '1.0.3', Authorization: t.auth, content: JSON.stringify(aStatement()) }))
      .expect(204)
    await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
  })

  it('uses the request header when the form repeats it with another value (Communication 1.3 leaves the conflict open)', async () => {
    // The suite sends X-Experience-API-Version 0.8 in the form and 1.0.3 as a header and expects 204.
    await t.http
      .post('/xapi/statements?method=PUT')
      .set(V103)
      .set('Authorization', t.auth)
      .type('form')
      .send(form({ statementId: randomUUID(), 'X-Experience-API-Version': '0.8', content: JSON.stringify(aStatement()) }))
      .expect(204)
  })

  it('accepts an alternate GET whose form is empty (Communication 1.3.s3: a GET has no content)', async () => {
    const res = await t.http.post('/xapi/statements?method=GET').set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body).toHaveProperty('statements')
    expect(res.body).toHaveProperty('more')
  })
})

describe('concurrency (xAPI 1.0.3 Communication 3.1)', () => {
  it('rejects with 400 a PUT to an Agent or Activity Profile that carries neither If-Match nor If-None-Match, also for a new document (Communication 3.1.s3.b1: the client MUST send one)', async () => {
    // The spec states no LRS answer for a new document; the suite (XAPI-00273) expects 400, as the Yet
    // Analytics LRS answers under 1.0.x. An existing document still gets 409 (3.1.s4.b13).
    const profiles = [
      `/xapi/agents/profile?agent=${encodeURIComponent(agent)}&profileId=${randomUUID()}`,
      `/xapi/activities/profile?activityId=${encodeURIComponent(`http://www.example.com/profiles/${randomUUID()}`)}&profileId=settings`,
    ]
    for (const path of profiles) {
      const res = await t.http.put(path).set(V103).set('Authorization', t.auth).send({ level: 1 }).expect(400)
      expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'If-None-Match' })
      await t.http.get(path).set(V103).set('Authorization', t.auth).expect(404)
      await t.http.put(path).set(V103).set('Authorization', t.auth).set('If-None-Match', '*').send({ level: 1 }).expect(204)
    }
    // State is exempt (3.1.s3), and xAPI 2.0 drops the client rule for new documents.
    const stateDoc = `/xapi/activities/state?activityId=${encodeURIComponent('http://www.example.com/s')}&agent=${encodeURIComponent(agent)}&stateId=${randomUUID()}`
    await t.http.put(stateDoc).set(V103).set('Authorization', t.auth).send({ page: 1 }).expect(204)
    const newProfile = `/xapi/agents/profile?agent=${encodeURIComponent(agent)}&profileId=${randomUUID()}`
    await t.http.put(newProfile).set('X-Experience-API-Version', '2.0.0').set('Authorization', t.auth).send({ level: 1 }).expect(204)
  })
})

describe('the About resource (xAPI 1.0.3 and 2.0.0 Communication 2.8)', () => {
  it('lists only the 1.0.x versions it supports, 1.0.1 among them, to a client that declares a 1.0.x version (1.0.3 Communication 2.8.s5.b1.b1, XAPI-00316: values of the 1.0 line only; XAPI-00317: "1.0.1")', async () => {
    for (const declared of ['1.0.3', '1.0.1', '1.0']) {
      const res = await t.http.get('/xapi/about').set('X-Experience-API-Version', declared).expect(200)
      expect(res.body.version).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3'])
    }
  })

  it('lists every supported version, 2.0.0 included, to a 2.0 client and to a client that declares none (2.0.0 Communication 2.8, XAPI-00317)', async () => {
    expect((await t.http.get('/xapi/about').set('X-Experience-API-Version', '2.0.0').expect(200)).body.version).toEqual(['1.0.3', '2.0.0'])
    expect((await t.http.get('/xapi/about').expect(200)).body.version).toEqual(['1.0.3', '2.0.0'])
  })
})
