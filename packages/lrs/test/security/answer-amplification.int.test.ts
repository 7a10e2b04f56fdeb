import { testEngine } from '@tln/db/testing'
import { MAX_ISSUES } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestLrs, V103, type TestLrs } from '../test-lrs.ts'

/**
 * Requests within the size limit that cost the server far more than they cost the client (task A
 * probe): a 9 MB batch of `{}` made one issue object per broken rule (4 GB, no answer for minutes),
 * an alternate request of a million unknown fields answered 120 MB after 7 s, and 50,000 repeats of
 * one form field held the event loop for minutes, before authentication. Each is now a small 400.
 */
let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(async () => {
  await t.close()
})

const count = async () => Number(((await t.db.knex('xapi_statement').count('* as n').first()) as { n: string | number }).n)
const form = (fields: string) => t.http.post('/xapi/statements?method=GET').set('Content-Type', 'application/x-www-form-urlencoded')
  .send(`${new URLSearchParams({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' })}&${fields}`)

describe(`answers that grew with the request on ${testEngine()}`, () => {
  it(`lists at most ${MAX_ISSUES} issues for a batch of 300,000 broken statements, storing nothing (xAPI 1.0.3 Communication 2.1.2)`, async () => {
    const before = await count()
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json')
      .send(`[${Array.from({ length: 300_000 }, () => '{}').join(',')}]`)
    expect(res.status).toBe(400)
    expect(res.body.error.issues).toHaveLength(MAX_ISSUES)
    expect(res.body.error.message).toContain('validation stopped there')
    expect(res.text.length).toBeLessThan(50_000)
    expect(await count()).toBe(before)
  })

  it(`lists at most ${MAX_ISSUES} of 1,000 unknown query parameters (Communication 3.2.s3.b7)`, async () => {
    const res = await t.http.get(`/xapi/statements?${Array.from({ length: 1_000 }, (_, i) => `p${i}=1`).join('&')}`).set(V103).set('Authorization', t.auth)
    expect(res.status).toBe(400)
    expect(res.body.error.issues).toHaveLength(MAX_ISSUES)
    expect(res.body.error.message).toContain(`(and 999 more; the first ${MAX_ISSUES} are listed)`)
  })

  it('refuses an alternate request of 100,000 fields, or of one field repeated 100,000 times, unparsed and before authentication (rule max-form-fields)', async () => {
    for (const fields of [Array.from({ length: 100_000 }, (_, i) => `f${i}=1`).join('&'), Array.from({ length: 100_000 }, () => 'limit=1').join('&')]) {
      const res = await form(fields)
      expect(res.status).toBe(400)
      expect(res.body.error).toMatchObject({ path: 'body', message: expect.stringContaining('rule max-form-fields') })
    }
    const anonymous = await t.http.post('/xapi/statements?method=GET').set('Content-Type', 'application/x-www-form-urlencoded').send(Array.from({ length: 100_000 }, () => 'limit=1').join('&'))
    expect(anonymous.status).toBe(400)
  })
})
