import { randomUUID } from 'node:crypto'
import { testEngine } from '@tln/db/testing'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../apps/server/test/test-app.ts'

/**
 * U+0000 inside the strings of xAPI statement JSON (issue 7, Security). JSON allows it (RFC 8259
 * §7: any code point may be escaped, `\u0000` included) and xAPI 1.0.3 asks only for valid JSON
 * (Data 2.2), but PostgreSQL cannot hold it in text or jsonb. TLN keeps each statement as the JSON
 * text it was stored as (a `json` column, which keeps escapes as text), so a statement carrying it
 * is stored and returned exactly, on PostgreSQL and PGlite alike. The one place it cannot go is the
 * canonical Activity definition (jsonb; Communication 2.5): there it used to answer 500 after the
 * statement transaction had begun; now it is refused with 400 naming the property path, before
 * anything is stored.
 */
let t: TestApp
let auth: string
beforeAll(async () => {
  t = await createTestApp()
  const { credential, secret } = await t.lrs.credentials.create({ scopes: ['all'] })
  auth = `Basic ${Buffer.from(`${credential.key}:${secret}`).toString('base64')}`
})
afterAll(async () => { await t?.db.close() })

const xapi = (r: request.Test) => r.set('authorization', auth).set('x-experience-api-version', '1.0.3')
const statement = (): Record<string, any> => ({
  id: randomUUID(),
  actor: { mbox: 'mailto:siti@example.org', name: 'Siti' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
  object: { id: `https://tln.example/activities/${randomUUID()}`, definition: { name: { 'en-US': 'Q1' } } },
})
const exact = async (id: string) => xapi(request(t.app).get(`/xapi/statements?statementId=${id}&format=exact`))
const errorsLogged = () => t.logs().filter((l) => (l.level as number) >= 50)

describe(`U+0000 in statement strings on ${testEngine()}`, () => {
  const stored: Array<[string, (s: Record<string, any>) => void, (s: Record<string, any>) => unknown, string]> = [
    ['result.response', (s) => { s.result = { response: 'a\u0000b' } }, (s) => s.result.response, 'a\u0000b'],
    ['actor.name', (s) => { s.actor.name = 'Si\u0000ti' }, (s) => s.actor.name, 'Si\u0000ti'],
    ['verb.display', (s) => { s.verb.display['en-US'] = 'ans\u0000wered' }, (s) => s.verb.display['en-US'], 'ans\u0000wered'],
    ['a context extension value', (s) => { s.context = { extensions: { 'https://tln.example/ext/x': 'v\u0000' } } }, (s) => s.context.extensions['https://tln.example/ext/x'], 'v\u0000'],
    ['a key inside an extension value', (s) => { s.context = { extensions: { 'https://tln.example/ext/x': { 'k\u0000': 1 } } } }, (s) => Object.keys(s.context.extensions['https://tln.example/ext/x'])[0], 'k\u0000'],
  ]
  for (const [where, put, read, expected] of stored) {
    it(`in ${where}: stored and returned exactly (xAPI 1.0.3 Data 2.2: valid JSON; RFC 8259 §7)`, async () => {
      const s = statement()
      put(s)
      const post = await xapi(request(t.app).post('/xapi/statements')).set('content-type', 'application/json').send(JSON.stringify(s))
      expect(post.status, post.text).toBe(200)
      const got = await exact(s.id)
      expect(got.status).toBe(200)
      expect(got.text).toContain('\\u0000')
      expect(read(JSON.parse(got.text))).toBe(expected)
    })
  }

  const refused: Array<[string, (s: Record<string, any>) => void, string]> = [
    ['object.definition.name["en-US"]', (s) => { s.object.definition.name['en-US'] = 'Q\u00001' }, 'object.definition.name["en-US"]'],
    ['a context Activity description', (s) => { s.context = { contextActivities: { parent: [{ id: 'https://tln.example/activities/p', definition: { description: { id: 'x\u0000' } } }] } } }, 'context.contextActivities.parent[0].definition.description.id'],
    ['an interaction choice id', (s) => { Object.assign(s.object.definition, { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', interactionType: 'choice', correctResponsesPattern: ['a'], choices: [{ id: 'a\u0000', description: { 'en-US': 'A' } }] }) }, 'object.definition.choices[0].id'],
    ['a definition extension', (s) => { s.object.definition.extensions = { 'https://tln.example/ext/y': ['ok', 'no\u0000'] } }, 'object.definition.extensions["https://tln.example/ext/y"][1]'],
  ]
  for (const [where, put, path] of refused) {
    it(`in ${where} of an Activity definition: 400 naming the path, nothing stored (PostgreSQL jsonb cannot hold it)`, async () => {
      const s = statement()
      put(s)
      const other = statement()
      const before = errorsLogged().length
      const post = await xapi(request(t.app).post('/xapi/statements')).set('content-type', 'application/json').send(JSON.stringify([other, s]))
      expect(post.status, post.text).toBe(400)
      const issues = (post.body.error?.issues ?? []) as Array<{ path: string; rule: string }>
      expect(issues, post.text).toContainEqual(expect.objectContaining({ path: `[1].${path}`, rule: 'no-nul-in-definition' }))
      // The batch is refused whole (Communication 2.1.2): neither statement is stored.
      expect((await exact(s.id)).status).toBe(404)
      expect((await exact(other.id)).status).toBe(404)
      expect(errorsLogged().length).toBe(before)
      // PUT with the statement alone: the same path, without the batch index.
      const put1 = await xapi(request(t.app).put(`/xapi/statements?statementId=${s.id}`)).set('content-type', 'application/json').send(JSON.stringify(s))
      expect(put1.status, put1.text).toBe(400)
      expect(put1.body.error.issues).toContainEqual(expect.objectContaining({ path, rule: 'no-nul-in-definition' }))
    })
  }
})
