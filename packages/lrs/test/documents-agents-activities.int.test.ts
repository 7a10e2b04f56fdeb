import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aTeacher, anActivity, qs } from './document-requests.ts'
import { aStatement, createTestLrs, V103, V2, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
  await t.db.knex('tenant').insert({ slug: 'dinas-sumbawa', name: 'Dinas Pendidikan Sumbawa' })
})
afterAll(() => t.close())

const agents = (agent: unknown) => `/xapi/agents?${qs({ agent })}`
const activities = (activityId: string) => `/xapi/activities?${qs({ activityId })}`

describe('Agents resource (xAPI 1.0.3 Communication 2.4)', () => {
  it('returns a Person with only the requested Agent when the LRS knows nothing more (Communication 2.4.s3.b3)', async () => {
    const agent = { account: { homePage: 'https://lms.paud.example', name: 'guru-17' } }
    const res = await t.http.get(agents(agent)).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body).toEqual({ objectType: 'Person', account: [agent.account] })
    expect(res.get('ETag')).toMatch(/^"[0-9a-f]{40}"$/)
  })

  it('returns a Person whose properties are arrays, with the names the Agent used in statements (Communication 2.4.s5, 2.4.s6.b1)', async () => {
    const teacher = aTeacher()
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ actor: { ...teacher, name: 'Ibu Baiq' } })).expect(200)
    const res = await t.http.get(agents({ mbox: teacher.mbox })).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body).toEqual({ objectType: 'Person', name: ['Ibu Baiq'], mbox: [teacher.mbox] })
  })

  it('does not show names from statements of another tenant', async () => {
    const teacher = aTeacher()
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ actor: teacher })).expect(200)
    const other = await t.credential(['all'], 'dinas-sumbawa')
    const res = await t.http.get(agents({ mbox: teacher.mbox })).set(V103).set('Authorization', other).expect(200)
    expect(res.body).toEqual({ objectType: 'Person', mbox: [teacher.mbox] })
  })

  it('rejects a request without agent with 400 (Communication 2.4.s2.table1.row1)', async () => {
    const res = await t.http.get('/xapi/agents').set(V103).set('Authorization', t.auth).expect(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: 'agent' })
  })

  it('rejects a Group or an invalid Agent with 400 (Communication 2.4.s2: "not a Person Object, nor ... a Group")', async () => {
    const group = await t.http.get(agents({ objectType: 'Group', mbox: 'mailto:kelompok@paud.example' })).set(V103).set('Authorization', t.auth).expect(400)
    expect(group.body.error.path).toBe('agent.objectType')
    const invalid = await t.http.get(agents({ mbox: 'guru@paud.example' })).set(V103).set('Authorization', t.auth).expect(400)
    expect(invalid.body.error.code).toBe('ERR_XAPI_INVALID_PARAMETER')
  })

  it('answers 405 with Allow: GET, HEAD to PUT, naming the method (the Agents resource is read-only, Communication 2.4; RFC 9110 §15.5.6)', async () => {
    const res = await t.http.put(agents(aTeacher())).set(V103).set('Authorization', t.auth).send('{}').expect(405)
    expect(res.get('Allow')).toBe('GET, HEAD')
    expect(res.body.error.path).toBe('method')
  })
})

describe('Activities resource (xAPI 1.0.3 Communication 2.5)', () => {
  it('returns an Activity Object with just the id when the LRS has no definition (Communication 2.5.s2.b1)', async () => {
    const activityId = anActivity()
    const res = await t.http.get(activities(activityId)).set(V2).set('Authorization', t.auth).expect(200)
    expect(res.body).toEqual({ objectType: 'Activity', id: activityId })
  })

  it('returns the canonical definition, merged from statements language by language (Communication 2.5.s1)', async () => {
    const activityId = anActivity()
    const { knex } = t.db
    const store = t.lrs.directory.activityStore
    const statement = (definition: object) => aStatement({ object: { objectType: 'Activity', id: activityId, definition } }) as never
    const tenantId = await tenantIdOf('default')
    await knex.transaction((tx) => store.upsertDefinitions(tx, tenantId, [statement({ name: { 'en-US': 'Daily lesson plan' }, type: 'http://id.tincanapi.com/activitytype/school-assignment' })]))
    await knex.transaction((tx) => store.upsertDefinitions(tx, tenantId, [statement({ name: { id: 'RPPH' }, description: { id: 'Rencana harian' } })]))
    const res = await t.http.get(activities(activityId)).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body).toEqual({
      objectType: 'Activity',
      id: activityId,
      definition: { name: { 'en-US': 'Daily lesson plan', id: 'RPPH' }, description: { id: 'Rencana harian' }, type: 'http://id.tincanapi.com/activitytype/school-assignment' },
    })
    const other = await t.credential(['all'], 'dinas-sumbawa')
    expect((await t.http.get(activities(activityId)).set(V103).set('Authorization', other).expect(200)).body).toEqual({ objectType: 'Activity', id: activityId })
  })

  it('rejects a request without activityId, or with one that is not an IRI, with 400 (Communication 2.5.s1.table1.row1)', async () => {
    const missing = await t.http.get('/xapi/activities').set(V103).set('Authorization', t.auth).expect(400)
    expect(missing.body.error.path).toBe('activityId')
    const bad = await t.http.get(activities('rpph')).set(V103).set('Authorization', t.auth).expect(400)
    expect(bad.body.error).toMatchObject({ code: 'ERR_XAPI_INVALID_PARAMETER', path: 'activityId' })
  })

  it('lets a define-scoped credential read /activities and /agents (Communication 4.2)', async () => {
    const auth = await t.credential(['define'])
    await t.http.get(activities(anActivity())).set(V103).set('Authorization', auth).expect(200)
    await t.http.get(agents(aTeacher())).set(V103).set('Authorization', auth).expect(200)
  })
})

async function tenantIdOf(slug: string): Promise<string> {
  const row = (await t.db.knex('tenant').select('id').where({ slug }).first()) as { id: string }
  return row.id
}
