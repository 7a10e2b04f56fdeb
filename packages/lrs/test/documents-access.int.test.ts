import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityProfile, agentProfile, aTeacher, anActivity, qs, state } from './document-requests.ts'
import { createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

let t: TestLrs
let otherTenant: string
beforeAll(async () => {
  t = await createTestLrs()
  await t.db.knex('tenant').insert({ slug: 'dinas-lombok-timur', name: 'Dinas Pendidikan Lombok Timur' })
  otherTenant = await t.credential(['all'], 'dinas-lombok-timur')
})
afterAll(() => t.close())

function fresh() {
  return { activityId: anActivity(), agent: aTeacher(), stateId: 'bookmark' }
}
function putState(params: Record<string, unknown>, body: unknown, auth = t.auth) {
  return t.http.put(state(params)).set(V103).set('Authorization', auth).set('Content-Type', 'application/json').send(JSON.stringify(body))
}
function getState(params: Record<string, unknown>, auth = t.auth) {
  return t.http.get(state(params)).set(V103).set('Authorization', auth)
}

describe('tenancy (ARCHITECTURE.md: tenancy is enforced in the query layer)', () => {
  it('does not let a credential of another tenant read a document, list its id, or see it through /activities', async () => {
    const params = fresh()
    await putState(params, { secret: true }).expect(204)
    const res = await getState(params, otherTenant).expect(404)
    expect(res.body.error.code).toBe('ERR_LRS_NOT_FOUND')
    expect((await getState({ activityId: params.activityId, agent: params.agent }, otherTenant).expect(200)).body).toEqual([])
  })

  it('does not let a credential of another tenant change or delete a document, one or all', async () => {
    const params = fresh()
    await putState(params, { v: 'ours' }).expect(204)
    const etag = (await getState(params).expect(200)).get('ETag')!
    await t.http.put(state(params)).set(V103).set('Authorization', otherTenant).set('If-Match', etag).set('Content-Type', 'application/json').send('{"v":"theirs"}').expect(412)
    await t.http.delete(state(params)).set(V103).set('Authorization', otherTenant).expect(204)
    await t.http.delete(state({ activityId: params.activityId, agent: params.agent })).set(V103).set('Authorization', otherTenant).expect(204)
    await t.http.post(state(params)).set(V103).set('Authorization', otherTenant).set('Content-Type', 'application/json').send('{"w":"theirs"}').expect(204)
    expect((await getState(params).expect(200)).body).toEqual({ v: 'ours' })
    // The other tenant's POST made a document of its own, invisible here.
    expect((await getState(params, otherTenant).expect(200)).body).toEqual({ w: 'theirs' })
  })
})

describe('scopes (xAPI 1.0.3 Communication 4.2)', () => {
  it('lets a state-scoped credential read and write State documents but not profiles (403)', async () => {
    const auth = await t.credential(['state'])
    const params = fresh()
    await putState(params, 1, auth).expect(204)
    await getState(params, auth).expect(200)
    const res = await t.http.get(activityProfile({ activityId: params.activityId, profileId: 'p' })).set(V103).set('Authorization', auth).expect(403)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_FORBIDDEN', path: 'Authorization' })
  })

  it('lets a profile-scoped credential use both profile resources but not State (403)', async () => {
    const auth = await t.credential(['profile'])
    await t.http.put(activityProfile({ activityId: anActivity(), profileId: 'p' })).set(V103).set('Authorization', auth).set('Content-Type', 'application/json').set('If-None-Match', '*').send('1').expect(204)
    await t.http.put(agentProfile({ agent: aTeacher(), profileId: 'p' })).set(V103).set('Authorization', auth).set('Content-Type', 'application/json').set('If-None-Match', '*').send('1').expect(204)
    await getState(fresh(), auth).expect(403)
  })

  it('lets all/read GET documents but answers 403 to PUT, POST and DELETE, changing nothing', async () => {
    const auth = await t.credential(['all/read'])
    const params = fresh()
    await putState(params, { v: 1 }).expect(204)
    await getState(params, auth).expect(200)
    await putState(params, { v: 2 }, auth).expect(403)
    await t.http.delete(state(params)).set(V103).set('Authorization', auth).expect(403)
    expect((await getState(params).expect(200)).body).toEqual({ v: 1 })
  })

  it('answers 403 to a statements-only credential on documents, Agents and Activities', async () => {
    const auth = await t.credential(['statements/write', 'statements/read/mine'])
    await getState(fresh(), auth).expect(403)
    await t.http.get(`/xapi/agents?${qs({ agent: aTeacher() })}`).set(V103).set('Authorization', auth).expect(403)
    await t.http.get(`/xapi/activities?${qs({ activityId: anActivity() })}`).set(V103).set('Authorization', auth).expect(403)
  })

  it('answers 401 without credentials and 400 without X-Experience-API-Version (Communication 4.0, 3.3)', async () => {
    const params = fresh()
    await t.http.get(state(params)).set(V103).expect(401)
    const res = await t.http.get(state(params)).set('Authorization', t.auth).expect(400)
    expect(res.body.error.code).toBe('ERR_XAPI_MISSING_VERSION')
  })
})

describe('alternate request syntax (xAPI 1.0.3 Communication 1.3)', () => {
  function alternate(method: string, form: Record<string, string>, version = '1.0.3') {
    return t.http
      .post(`/xapi/activities/state?method=${method}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(new URLSearchParams({ Authorization: t.auth, 'X-Experience-API-Version': version, ...form }).toString())
  }

  it('stores, reads, merges and deletes a State document with method, headers, parameters and content in a form (Communication 1.3.s3)', async () => {
    const { activityId, agent, stateId } = fresh()
    const params = { activityId, agent: JSON.stringify(agent), stateId }
    await alternate('PUT', { ...params, 'Content-Type': 'application/json', content: '{"page":1}' }).expect(204)
    const got = await alternate('GET', params).expect(200)
    expect(got.body).toEqual({ page: 1 })
    await alternate('POST', { ...params, 'Content-Type': 'application/json', 'If-Match': got.get('ETag')!, content: '{"done":true}' }).expect(204)
    expect((await getState({ activityId, agent, stateId }).expect(200)).body).toEqual({ page: 1, done: true })
    await alternate('DELETE', params).expect(204)
    await getState({ activityId, agent, stateId }).expect(404)
  })

  it('honours If-Match sent as a form field: 412 and nothing changed (Communication 1.3.s3.b7)', async () => {
    const { activityId, agent, stateId } = fresh()
    await putState({ activityId, agent, stateId }, { v: 1 }).expect(204)
    const res = await alternate('PUT', { activityId, agent: JSON.stringify(agent), stateId, 'Content-Type': 'application/json', 'If-Match': '"nope"', content: '{"v":2}' }).expect(412)
    expect(res.body.error.code).toBe('ERR_LRS_PRECONDITION_FAILED')
    expect((await getState({ activityId, agent, stateId }).expect(200)).body).toEqual({ v: 1 })
  })

  it('rejects the alternate syntax under xAPI 2.0 with 400 (IEEE 9274.1.1: removed)', async () => {
    const { activityId, agent, stateId } = fresh()
    const res = await alternate('GET', { activityId, agent: JSON.stringify(agent), stateId }, '2.0.0').expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'method' })
  })

  it('rejects document parameters left in the query string of an alternate request (Communication 1.3.s3.b3)', async () => {
    const { activityId } = fresh()
    const res = await t.http.post(`/xapi/activities/state?method=GET&activityId=${encodeURIComponent(activityId)}`).set('Content-Type', 'application/x-www-form-urlencoded').send(`Authorization=${encodeURIComponent(t.auth)}`).expect(400)
    expect(res.body.error.path).toBe('activityId')
  })
})

describe('methods', () => {
  it('answers 405 with Allow to a method a document resource does not have', async () => {
    const res = await t.http.patch(state(fresh())).set(V2).set('Authorization', t.auth).expect(405)
    expect(res.get('Allow')).toBe('GET, HEAD, PUT, POST, DELETE')
  })
})
