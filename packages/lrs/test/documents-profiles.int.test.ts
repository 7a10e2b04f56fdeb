import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityProfile, agentProfile, aTeacher, anActivity, state } from './document-requests.ts'
import { createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs({ bodyLimit: 64 * 1024 })
})
afterAll(() => t.close())

type Resource = { name: string; url: (params: Record<string, unknown>) => string; fresh: () => Record<string, unknown> }
const resources: Resource[] = [
  { name: 'Activity Profile (Communication 2.7)', url: activityProfile, fresh: () => ({ activityId: anActivity(), profileId: 'rubric' }) },
  { name: 'Agent Profile (Communication 2.6)', url: agentProfile, fresh: () => ({ agent: aTeacher(), profileId: 'preferences' }) },
  { name: 'State (Communication 2.3)', url: state, fresh: () => ({ activityId: anActivity(), agent: aTeacher(), stateId: 'bookmark' }) },
]
const profiles = resources.slice(0, 2)
/** A 1.0.3 client MUST send If-Match or If-None-Match with a profile PUT (Communication 3.1.s3.b1). */
const CREATE = { 'If-None-Match': '*' }

function put(r: Resource, params: Record<string, unknown>, body: unknown, headers: Record<string, string> = {}) {
  return t.http.put(r.url(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').set(headers).send(JSON.stringify(body))
}
function post(r: Resource, params: Record<string, unknown>, body: unknown, headers: Record<string, string> = {}) {
  return t.http.post(r.url(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').set(headers).send(JSON.stringify(body))
}
function get(r: Resource, params: Record<string, unknown>) {
  return t.http.get(r.url(params)).set(V103).set('Authorization', t.auth)
}
function del(r: Resource, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.http.delete(r.url(params)).set(V103).set('Authorization', t.auth).set(headers)
}

for (const r of profiles) {
  describe(`${r.name}`, () => {
    it('stores with PUT, reads with GET, lists ids without profileId and deletes with DELETE (Communication 2.6.s3, 2.6.s4, 2.7.s3, 2.7.s4)', async () => {
      const params = r.fresh()
      await put(r, params, { level: 2 }, CREATE).expect(204)
      expect((await get(r, params).expect(200)).body).toEqual({ level: 2 })
      const { profileId: _id, ...scope } = params
      await put(r, { ...scope, profileId: 'second' }, { level: 3 }, CREATE).expect(204)
      expect([...(await get(r, scope).expect(200)).body].sort()).toEqual([String(params.profileId), 'second'].sort())
      await del(r, params).expect(204)
      await get(r, params).expect(404)
      expect((await get(r, scope).expect(200)).body).toEqual(['second'])
    })

    it('lists only the profileIds stored after since (Communication 2.6.s4, 2.7.s4)', async () => {
      const params = r.fresh()
      const { profileId: _id, ...scope } = params
      t.setNow(new Date('2026-05-01T00:00:00.000Z'))
      await put(r, { ...scope, profileId: 'old' }, 1, CREATE).expect(204)
      t.setNow(new Date('2026-05-02T00:00:00.000Z'))
      await put(r, { ...scope, profileId: 'new' }, 2, CREATE).expect(204)
      t.setNow(undefined as unknown as Date)
      expect((await get(r, { ...scope, since: '2026-05-01T00:00:00.000Z' }).expect(200)).body).toEqual(['new'])
    })

    it('merges a POSTed JSON object into the stored one (Communication 2.2.s7)', async () => {
      const params = r.fresh()
      await post(r, params, { car: 'Honda' }).expect(204)
      await post(r, params, { type: 'Civic' }).expect(204)
      expect((await get(r, params).expect(200)).body).toEqual({ car: 'Honda', type: 'Civic' })
    })

    it('rejects a DELETE without profileId with 400: profiles are deleted one at a time (Communication 2.6.s3, 2.7.s3)', async () => {
      const params = r.fresh()
      await put(r, params, 1, CREATE).expect(204)
      const { profileId: _id, ...scope } = params
      const res = await del(r, scope).expect(400)
      expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'profileId' })
      await get(r, params).expect(200)
    })

    it('answers 409 with an explanation to a PUT without If-Match or If-None-Match over an existing document, changing nothing (Communication 3.1.s4.b13–b15)', async () => {
      const params = r.fresh()
      await put(r, params, { v: 1 }, CREATE).expect(204)
      const res = await put(r, params, { v: 2 }).expect(409)
      expect(res.body.error).toMatchObject({ code: 'ERR_LRS_CONFLICT', path: 'If-Match' })
      expect(res.body.error.message).toMatch(/check its current state.*If-Match/)
      expect((await get(r, params).expect(200)).body).toEqual({ v: 1 })
    })

    it('answers 409 under xAPI 2.0 too (IEEE 9274.1.1 Concurrency)', async () => {
      const params = r.fresh()
      await put(r, params, { v: 1 }, V2).expect(204)
      await put(r, params, { v: 2 }, V2).expect(409)
    })
  })
}

for (const r of resources) {
  describe(`concurrency on ${r.name} (xAPI 1.0.3 Communication 3.1)`, () => {
    it('replaces the document when If-Match carries the current ETag (Communication 3.1.s4.b5)', async () => {
      const params = r.fresh()
      await put(r, params, { v: 1 }, CREATE).expect(204)
      const etag = (await get(r, params).expect(200)).get('ETag')!
      const res = await put(r, params, { v: 2 }, { 'If-Match': etag }).expect(204)
      expect(res.get('ETag')).not.toBe(etag)
      expect((await get(r, params).expect(200)).body).toEqual({ v: 2 })
    })

    it('answers 412 when If-Match does not match the current ETag, on PUT, POST and DELETE, changing nothing (Communication 3.1.s4.b5, b7, b9–b12)', async () => {
      const params = r.fresh()
      await put(r, params, { v: 1 }, CREATE).expect(204)
      for (const request of [put(r, params, { v: 2 }, { 'If-Match': '"1234"' }), post(r, params, { w: 2 }, { 'If-Match': '1234' }), del(r, params, { 'If-Match': '"1111111111111111111111111111111111111111"' })]) {
        const res = await request.expect(412)
        expect(res.body.error).toMatchObject({ code: 'ERR_LRS_PRECONDITION_FAILED', path: 'If-Match' })
      }
      expect((await get(r, params).expect(200)).body).toEqual({ v: 1 })
    })

    it('answers 412 to If-Match when there is no document, storing nothing (RFC 7232 3.1)', async () => {
      const params = r.fresh()
      await put(r, params, { v: 1 }, { 'If-Match': '*' }).expect(412)
      await get(r, params).expect(404)
    })

    it('answers 412 to If-None-Match: * when the document exists, and stores when it does not (Communication 3.1.s4.b6, b8)', async () => {
      const params = r.fresh()
      await put(r, params, { v: 1 }, { 'If-None-Match': '*' }).expect(204)
      const res = await put(r, params, { v: 2 }, { 'If-None-Match': '*' }).expect(412)
      expect(res.body.error).toMatchObject({ code: 'ERR_LRS_PRECONDITION_FAILED', path: 'If-None-Match' })
      await post(r, params, { w: 2 }, { 'If-None-Match': '*' }).expect(412)
      expect((await get(r, params).expect(200)).body).toEqual({ v: 1 })
    })

    it('deletes with If-Match carrying the current ETag (Communication 3.1.s3.b3, 3.1.s4.b7)', async () => {
      const params = r.fresh()
      await put(r, params, { v: 1 }, CREATE).expect(204)
      const etag = (await get(r, params).expect(200)).get('ETag')!
      await del(r, params, { 'If-Match': etag }).expect(204)
      await get(r, params).expect(404)
    })

    it('lets exactly one of two concurrent If-None-Match: * creations win (Communication 3.1)', async () => {
      const params = r.fresh()
      const results = await Promise.all([put(r, params, { by: 'a' }, { 'If-None-Match': '*' }), put(r, params, { by: 'b' }, { 'If-None-Match': '*' })])
      expect(results.map((res) => res.status).sort()).toEqual([204, 412])
    })
  })
}

describe('document limits and agents', () => {
  it('rejects a document larger than the body limit with 413, storing nothing (Communication 3.2.s3.b11)', async () => {
    const r = profiles[0]!
    const params = r.fresh()
    const res = await t.http.put(r.url(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'text/plain').send('x'.repeat(70 * 1024)).expect(413)
    expect(res.body.error.code).toBe('ERR_LRS_PAYLOAD_TOO_LARGE')
    await get(r, params).expect(404)
  })

  it('rejects a Group as the agent of an Agent Profile with 400 (Communication 2.6 note: "an Agent Object and not a Group")', async () => {
    const res = await t.http
      .get(agentProfile({ agent: { objectType: 'Group', mbox: 'mailto:kelompok@paud.example' }, profileId: 'p' }))
      .set(V103)
      .set('Authorization', t.auth)
      .expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'agent.objectType' })
  })

  it('accepts an Identified Group as the agent of a State document (Communication 2.3.s3, Data 2.4.2.2)', async () => {
    const params = { activityId: anActivity(), agent: { objectType: 'Group', mbox: 'mailto:kelompok@paud.example' }, stateId: 's' }
    await t.http.put(state(params)).set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send('{"g":1}').expect(204)
  })
})
