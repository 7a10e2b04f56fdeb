import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V103, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(() => t.close())

const activityWith = (id: string, name: Record<string, string>) => ({ object: { objectType: 'Activity', id, definition: { name } } })

/** Counts the canonical-definition upserts the LRS sends to the database. */
function countUpserts() {
  const counter = { count: 0, stop: () => {} }
  const listener = (query: { sql: string }) => {
    if (/insert into xapi_activity/i.test(query.sql)) counter.count++
  }
  t.db.knex.on('query', listener)
  counter.stop = () => t.db.knex.off('query', listener)
  return counter
}

async function activity(id: string) {
  return (await t.http.get('/xapi/activities').query({ activityId: id }).set(V103).set('Authorization', t.auth).expect(200)).body
}

describe('canonical Activity definitions (xAPI 1.0.3 Communication 2.5, 4.2 "define")', () => {
  it('takes the definition from statements stored with the define scope', async () => {
    const id = `https://tln.example/modules/${randomUUID()}`
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { id: 'Modul 1' }))).expect(200)
    expect((await activity(id)).definition.name).toEqual({ id: 'Modul 1' })
  })

  it('merges language maps from later statements', async () => {
    const id = `https://tln.example/modules/${randomUUID()}`
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { id: 'Modul 2' }))).expect(200)
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { en: 'Module 2' }))).expect(200)
    expect((await activity(id)).definition.name).toEqual({ id: 'Modul 2', en: 'Module 2' })
  })

  it('ignores definitions from credentials without define (the LRS SHOULD NOT update them)', async () => {
    const id = `https://tln.example/modules/${randomUUID()}`
    const writer = await t.credential(['statements/write'])
    await t.http.post('/xapi/statements').set(V103).set('Authorization', writer).send(aStatement(activityWith(id, { id: 'Tidak resmi' }))).expect(200)
    expect((await activity(id)).definition).toBeUndefined()
  })

  it('does not let a re-sent old statement put back an old definition', async () => {
    const id = `https://tln.example/modules/${randomUUID()}`
    const old = aStatement({ id: randomUUID(), ...activityWith(id, { id: 'Lama' }) })
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(old).expect(200)
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { id: 'Baru' }))).expect(200)
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(old).expect(200)
    expect((await activity(id)).definition.name).toEqual({ id: 'Baru' })
  })

  it('leaves the upsert out when the stored definition holds the statement\'s already, and still merges a new language (issue 7)', async () => {
    const id = `https://tln.example/modules/${randomUUID()}`
    const upserts = countUpserts()
    try {
      await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { id: 'Modul 3', en: 'Module 3' }))).expect(200)
      expect(upserts.count).toBe(1)
      // Single statements (group commit) and a batch, each repeating (part of) the stored definition.
      await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { id: 'Modul 3' }))).expect(200)
      await t.http.put(`/xapi/statements?statementId=${randomUUID()}`).set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { en: 'Module 3' }))).expect(204)
      await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([aStatement(activityWith(id, { en: 'Module 3' })), aStatement(activityWith(id, { id: 'Modul 3' }))]).expect(200)
      expect(upserts.count).toBe(1)
      await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([aStatement(activityWith(id, { id: 'Modul 3' })), aStatement(activityWith(id, { fr: 'Module trois' }))]).expect(200)
      expect(upserts.count).toBe(2)
    } finally {
      upserts.stop()
    }
    expect((await activity(id)).definition.name).toEqual({ id: 'Modul 3', en: 'Module 3', fr: 'Module trois' })
  })

  it('updates a definition that changes only a property other than the language maps (Communication 2.5)', async () => {
    const id = `https://tln.example/modules/${randomUUID()}`
    const type = 'http://id.tincanapi.com/activitytype/school-assignment'
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ object: { objectType: 'Activity', id, definition: { name: { id: 'Tugas' } } } })).expect(200)
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ object: { objectType: 'Activity', id, definition: { name: { id: 'Tugas' }, type } } })).expect(200)
    expect((await activity(id)).definition).toEqual({ name: { id: 'Tugas' }, type })
  })

  it('format=canonical answers the canonical definition, not the one in the statement (Communication 2.1.3)', async () => {
    const id = `https://tln.example/modules/${randomUUID()}`
    const [first] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { id: 'Versi 1' }))).expect(200)).body
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement(activityWith(id, { id: 'Versi 2' }))).expect(200)
    const res = await t.http.get(`/xapi/statements?statementId=${first}&format=canonical`).set(V103).set('Accept-Language', 'id').set('Authorization', t.auth).expect(200)
    expect(res.body.object.definition.name).toEqual({ id: 'Versi 2' })
  })
})
