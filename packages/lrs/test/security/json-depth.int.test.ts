import { testEngine } from '@tln/db/testing'
import { MAX_JSON_DEPTH } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V2, type TestLrs } from '../test-lrs.ts'

/**
 * Bodies nested deeper than MAX_JSON_DEPTH are refused with a 400 naming the rule, and change
 * nothing (issue 7: "never a crash or a 500, always a clear 4xx"): a statement whose extension was
 * nested ~10,000 deep parsed, validated, and then overflowed JSON.stringify while being stored.
 * Content within the limit is stored and returned exactly, on both engines.
 */
let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(async () => {
  await t.close()
})

/** A value `depth` objects deep: {"a":{"a":…1…}}. */
const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
/** The statement around it adds three levels: statement → result → extensions. */
const deepStatement = (valueDepth: number) => aStatement({ result: { extensions: { 'https://tln.example/xapi/extensions/deep': valueDepth === 0 ? 1 : nested(valueDepth) } } })
const count = async () => Number(((await t.db.knex('xapi_statement').count('* as n').first()) as { n: string | number }).n)
const send = (body: string) => t.http.post('/xapi/statements').set(V2).set('Authorization', t.auth).set('Content-Type', 'application/json').send(body)

describe(`JSON nesting depth of request bodies on ${testEngine()}`, () => {
  it(`stores and returns a statement nested exactly ${MAX_JSON_DEPTH} deep`, async () => {
    const statement = deepStatement(MAX_JSON_DEPTH - 3)
    const res = await send(JSON.stringify(statement))
    expect(res.status).toBe(200)
    const got = await t.http.get('/xapi/statements').query({ statementId: res.body[0] }).set(V2).set('Authorization', t.auth)
    expect(got.status).toBe(200)
    expect(got.body.result.extensions).toEqual((statement.result as { extensions: unknown }).extensions)
  })

  it('refuses a statement nested one level deeper, and one nested 100,000 deep, with 400 max-depth, storing nothing', async () => {
    const before = await count()
    for (const body of [JSON.stringify(deepStatement(MAX_JSON_DEPTH - 2)), `{"actor":{"mbox":"mailto:a@paud.example"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://tln.example/a"},"result":{"extensions":{"https://tln.example/x":${'['.repeat(100_000)}1${']'.repeat(100_000)}}}}`]) {
      const res = await send(body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('ERR_LRS_BAD_REQUEST')
      expect(res.body.error.message).toContain('max-depth')
    }
    expect(await count()).toBe(before)
  })

  it('refuses a JSON document POST nested too deep (the merge would stringify it), leaving the stored document as it was', async () => {
    const url = `/xapi/activities/state?activityId=${encodeURIComponent('https://tln.example/a')}&agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:a@paud.example' }))}&stateId=deep`
    expect((await t.http.put(url).set(V2).set('Authorization', t.auth).send({ step: 1 })).status).toBe(204)
    const res = await t.http.post(url).set(V2).set('Authorization', t.auth).set('Content-Type', 'application/json').send(`{"step":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`)
    expect(res.status).toBe(400)
    expect(res.body.error.message).toContain('max-depth')
    expect((await t.http.get(url).set(V2).set('Authorization', t.auth)).body).toEqual({ step: 1 })
  })
})
