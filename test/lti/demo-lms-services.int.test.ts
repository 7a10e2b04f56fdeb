import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestDb } from '@tln/db/testing'
import type { Db } from '@tln/db'
import { generateToolKey, getResults, importSigningKey, SCOPE, type ServiceContext, type ToolKey } from '@tln/lti-v1p3'
import { MemoryAccessTokenCache, MemoryKeyStore } from '@tln/lti-v1p3/testing'
import express from 'express'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../apps/server/src/logger.ts'
import { DemoCourseStore } from '../../apps/server/src/demo-lms/demo-lms-course.ts'
import { DEMO_COURSE, demoLmsPeople } from '../../apps/server/src/demo-lms/demo-lms-people.ts'
import { demoLmsRouter, resourceLinksOf } from '../../apps/server/src/demo-lms/demo-lms-router.ts'
import type { DemoLms } from '../../apps/server/src/demo-lms/demo-lms-setup.ts'
import { hintKey, issueHint } from '../../apps/server/src/demo-lms/message-hint.ts'

/**
 * The demo LMS's LTI Advantage services over HTTP (`src/demo-lms/demo-lms-services.ts`), on a fresh
 * database of each engine: the token endpoint's client-assertion checks (Security Framework 1.0 §4.1,
 * RFC 7523, errors per RFC 6749 §5.2), AGS 2.0 line items, scores and results, NRPS 2.0 members, and
 * the course that Deep Linking adds to. The whole flow with the real tool is in demo-lms.int.test.ts.
 */
const PORT = 19611
const base = `http://127.0.0.1:${PORT}`
const issuer = `${base}/demo/lms`
const tokenUrl = `${issuer}/token`
const SCORE_TYPE = 'application/vnd.ims.lis.v1.score+json'
let db: Db
let server: Server
let toolKey: ToolKey
let toolKeys: MemoryKeyStore
let course: DemoCourseStore
let lineItemUrl: string

beforeAll(async () => {
  db = await createTestDb()
  const keys = new MemoryKeyStore()
  toolKeys = keys
  toolKey = await generateToolKey()
  await keys.rotate(toolKey, 0)
  const lms: DemoLms = { issuer, clientId: 'tln-demo-lms', deploymentId: 'd-1', key: await generateToolKey(), people: demoLmsPeople(), registration: 'added' }
  course = new DemoCourseStore(db.knex, issuer, DEMO_COURSE.id)
  await course.addContentItems([{ type: 'ltiResourceLink', title: 'RPPH', url: `${base}/lti/items/task-rpph`, custom: { tln_item: 'task-rpph' }, lineItem: { scoreMaximum: 100, label: 'RPPH', resourceId: 'task-rpph', tag: 'RPPH' } }])
  const app = express()
  // A deployment on WIT (Papua), not Lombok's WITA: the gradebook follows the server's zone.
  app.use('/demo/lms', demoLmsRouter({ lms, course, publicUrl: base, secretKey: 'k'.repeat(32), toolKeys: keys, logger: createLogger('silent'), timeZone: 'Asia/Jayapura' }))
  server = createServer(app)
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve))
  expect((server.address() as AddressInfo).port).toBe(PORT)
  lineItemUrl = `${issuer}/lineitems/${(await course.activities())[0]!.lineItemId}`
})
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await db?.close()
})

let jtiSeq = 0
/** A client assertion as the tool signs it (RFC 7523 §2.2), with `overrides`. */
async function assertion(overrides: { aud?: string; jti?: string; key?: ToolKey; iss?: string } = {}): Promise<string> {
  const key = overrides.key ?? toolKey
  const iat = Math.floor(Date.now() / 1000)
  return new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).setIssuer(overrides.iss ?? 'tln-demo-lms').setSubject('tln-demo-lms')
    .setAudience(overrides.aud ?? tokenUrl).setIssuedAt(iat).setExpirationTime(iat + 300).setJti(overrides.jti ?? `jti-${++jtiSeq}-${Date.now()}`).sign(await importSigningKey(key))
}
const tokenRequest = async (clientAssertion: string, scope = `${SCOPE.score} ${SCOPE.lineItem} ${SCOPE.resultReadOnly} ${SCOPE.membershipReadOnly}`, grantType = 'client_credentials') =>
  fetch(tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: grantType, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: clientAssertion, scope }) })
async function token(scope?: string): Promise<string> {
  const r = await tokenRequest(await assertion(), scope)
  expect(r.status).toBe(200)
  return ((await r.json()) as { access_token: string }).access_token
}
const postScore = (bearer: string, body: unknown, type = SCORE_TYPE) => fetch(`${lineItemUrl}/scores`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) })
const goodScore = (over: Record<string, unknown> = {}) => ({ userId: 'demo-ptk-001', scoreGiven: 86, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date().toISOString(), ...over })

describe('demo LMS token endpoint (Security Framework 1.0 §4.1; RFC 7523 §3; RFC 6749 §5.2)', () => {
  it('issues a bearer token for a client_credentials grant with the tool\'s signed assertion, with the scopes asked for (RFC 6749 §5.1)', async () => {
    const r = await tokenRequest(await assertion(), SCOPE.score)
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(await r.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE.score, access_token: expect.any(String) })
  })

  it('refuses an assertion whose aud is not the token endpoint: 401 invalid_client (RFC 7523 §3, item 3)', async () => {
    const r = await tokenRequest(await assertion({ aud: `${issuer}/auth` }))
    expect(r.status).toBe(401)
    const body = await r.json() as { error: string; error_description: string }
    expect(body.error).toBe('invalid_client')
    expect(body.error_description).toContain('aud')
  })

  it('refuses an assertion whose jti was used already: 401 invalid_client (RFC 7523 §3, item 7)', async () => {
    const once = await assertion({ jti: 'used-once' })
    expect((await tokenRequest(once)).status).toBe(200)
    const again = await tokenRequest(once)
    expect(again.status).toBe(401)
    expect(await again.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringContaining('jti') })
  })

  it('refuses an assertion signed by a key not in the tool\'s JWKS (unknown kid): 401 invalid_client (Security Framework 1.0 §4.1)', async () => {
    const r = await tokenRequest(await assertion({ key: await generateToolKey() }))
    expect(r.status).toBe(401)
    expect(await r.json()).toMatchObject({ error: 'invalid_client' })
  })

  it('refuses another grant type (unsupported_grant_type) and a scope it does not grant (invalid_scope), with 400 (RFC 6749 §5.2)', async () => {
    expect(await (await tokenRequest(await assertion(), SCOPE.score, 'password')).json()).toMatchObject({ error: 'unsupported_grant_type' })
    const r = await tokenRequest(await assertion(), 'https://example.org/scope/admin')
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: 'invalid_scope' })
  })
})

describe('demo LMS token endpoint: assertions it could not keep, repeated parameters', () => {
  /** An assertion with `claims` over the usual ones, signed by the tool. */
  const signed = async (claims: Record<string, unknown>) => {
    const iat = Math.floor(Date.now() / 1000)
    return new SignJWT({ iss: 'tln-demo-lms', sub: 'tln-demo-lms', aud: tokenUrl, iat, exp: iat + 300, jti: `jti-${++jtiSeq}-${Date.now()}`, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: toolKey.kid }).sign(await importSigningKey(toolKey))
  }

  it('refuses an assertion whose exp is years ahead or past any date, or whose jti is too long to keep: 401 invalid_client, nothing kept (RFC 7523 §3, items 4 and 7)', async () => {
    const jtis = async () => Number(((await db.knex('demo_lms_assertion_jti').count({ n: '*' })) as Array<{ n: string | number }>)[0]!.n)
    const before = await jtis()
    for (const claims of [{ exp: 1e20 }, { exp: 9e15 }, { exp: Math.floor(Date.now() / 1000) + 86_400 * 365 }, { jti: randomBytes(4500).toString('base64') }]) {
      const r = await tokenRequest(await signed(claims))
      expect(r.status, Object.keys(claims)[0]).toBe(401)
      expect(await r.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/exp|jti/) })
    }
    expect(await jtis()).toBe(before)
  })

  it('refuses a parameter given twice: 400 invalid_request naming it (RFC 6749 §3.2)', async () => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion(), scope: SCOPE.score })
    body.append('grant_type', 'client_credentials')
    const r = await fetch(tokenUrl, { method: 'POST', body })
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('grant_type is repeated') })
  })
})

describe('demo LMS AGS 2.0 and NRPS 2.0 services', () => {
  it('enforces the scopes: 401 without a token, 403 with a token lacking the service\'s scope (AGS 2.0 §3.1; RFC 6750 §3.1)', async () => {
    expect((await fetch(`${issuer}/lineitems`)).status).toBe(401)
    const onlyMembers = await token(SCOPE.membershipReadOnly)
    const r = await postScore(onlyMembers, goodScore())
    expect(r.status).toBe(403)
    expect(await r.json()).toMatchObject({ error: 'insufficient_scope' })
    expect(await course.scores()).toEqual([])
  })

  it('answers a score with a bad body with 400 naming the field, and records nothing (AGS 2.0 §3.4)', async () => {
    const bearer = await token()
    const cases: Array<[Record<string, unknown>, string]> = [
      [goodScore({ userId: undefined }), 'userId'],
      [goodScore({ activityProgress: 'Done' }), 'activityProgress'],
      [goodScore({ gradingProgress: undefined }), 'gradingProgress'],
      [goodScore({ timestamp: 'yesterday' }), 'timestamp'],
      [goodScore({ scoreGiven: -1 }), 'scoreGiven'],
      [goodScore({ scoreMaximum: undefined }), 'scoreMaximum'],
      [goodScore({ userId: 'someone-else' }), 'userId'],
    ]
    for (const [body, field] of cases) {
      const r = await postScore(bearer, body)
      expect(r.status, field).toBe(400)
      expect(await r.json(), field).toMatchObject({ field })
    }
    const plainJson = await postScore(bearer, goodScore(), 'application/json')
    expect(plainJson.status).toBe(400)
    expect(await plainJson.json()).toMatchObject({ field: 'Content-Type' })
    expect(await course.scores()).toEqual([])
  })

  it('answers 404 for a line item id that cannot exist (past the integer column, not decimal), on every line item route', async () => {
    const auth = { authorization: `Bearer ${await token()}` }
    for (const id of ['2147483648', '99999999999', '0x1', '%201', '1e0']) {
      expect((await fetch(`${issuer}/lineitems/${id}`, { headers: auth })).status, id).toBe(404)
      expect((await fetch(`${issuer}/lineitems/${id}/results`, { headers: auth })).status, id).toBe(404)
      expect((await fetch(`${issuer}/lineitems/${id}/scores`, { method: 'POST', headers: { ...auth, 'content-type': SCORE_TYPE }, body: JSON.stringify(goodScore()) })).status, id).toBe(404)
    }
  })

  it('answers a body that is not JSON with 400 naming the body and the rule, in the services\' JSON (RFC 8259)', async () => {
    const bearer = await token()
    for (const body of ['{"userId":', '{"scoreGiven":NaN}']) {
      const r = await postScore(bearer, body)
      expect(r.status).toBe(400)
      expect(await r.json()).toMatchObject({ error: 'invalid_request', field: '(body)', rule: 'RFC 8259 (JSON)' })
    }
    expect(await course.scores()).toEqual([])
  })

  it('refuses a score timestamp of a day that does not exist or of year 0000: 400 naming timestamp, nothing recorded (AGS 2.0 §3.4.3)', async () => {
    const bearer = await token()
    for (const timestamp of ['0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z']) {
      const r = await postScore(bearer, goodScore({ timestamp }))
      expect(r.status, timestamp).toBe(400)
      expect(await r.json()).toMatchObject({ field: 'timestamp' })
    }
    expect(await course.scores()).toEqual([])
  })

  it('records a score as the result; an older score does not replace a newer one (AGS 2.0 §3.4.3); results list it (AGS 2.0 §3.3)', async () => {
    const bearer = await token()
    const t = Date.now()
    expect((await postScore(bearer, goodScore({ scoreGiven: 90, timestamp: new Date(t).toISOString() }))).status).toBe(204)
    expect((await postScore(bearer, goodScore({ scoreGiven: 10, timestamp: new Date(t - 60_000).toISOString() }))).status).toBe(204)
    const results = await fetch(`${lineItemUrl}/results`, { headers: { authorization: `Bearer ${bearer}` } })
    expect(results.headers.get('content-type')).toContain('application/vnd.ims.lis.v2.resultcontainer+json')
    expect(await results.json()).toEqual([expect.objectContaining({ userId: 'demo-ptk-001', resultScore: 90, resultMaximum: 100, scoreOf: lineItemUrl })])
    const page = await (await fetch(issuer)).text()
    expect(page).toContain('id="demo-lms-gradebook"')
    expect(page).toMatch(/Baiq Nurhasanah<\/td><td>RPPH<\/td>\s*<td>90 \/ 100/)
    expect(page).toMatch(/<time datetime="[^"]+">\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIT<\/time>/)
  })

  it('lists, reads and creates line items, filtered by resource_link_id (AGS 2.0 §3.2)', async () => {
    const bearer = await token(SCOPE.lineItem)
    const auth = { authorization: `Bearer ${bearer}` }
    const rl = (await course.activities())[0]!.resourceLinkId
    const list = (await (await fetch(`${issuer}/lineitems?resource_link_id=${encodeURIComponent(rl)}`, { headers: auth })).json()) as Array<{ id: string }>
    expect(list).toEqual([{ id: lineItemUrl, label: 'RPPH', scoreMaximum: 100, resourceLinkId: rl, resourceId: 'task-rpph', tag: 'RPPH' }])
    expect(await (await fetch(lineItemUrl, { headers: auth })).json()).toMatchObject({ id: lineItemUrl })
    const bad = await fetch(`${issuer}/lineitems`, { method: 'POST', headers: { ...auth, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' }, body: JSON.stringify({ label: 'X', scoreMaximum: 0 }) })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ field: 'scoreMaximum' })
    const made = await fetch(`${issuer}/lineitems`, { method: 'POST', headers: { ...auth, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' }, body: JSON.stringify({ label: 'Kehadiran', scoreMaximum: 10, tag: 'attendance' }) })
    expect(made.status).toBe(201)
    expect(await made.json()).toMatchObject({ label: 'Kehadiran', scoreMaximum: 10, id: expect.stringMatching(new RegExp(`^${issuer}/lineitems/\\d+$`)) })
  })

  it('lists the course\'s members with their roles, all Active (NRPS 2.0 §2.2)', async () => {
    const r = await fetch(`${issuer}/memberships`, { headers: { authorization: `Bearer ${await token(SCOPE.membershipReadOnly)}` } })
    expect(r.headers.get('content-type')).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json')
    const body = (await r.json()) as { context: { id: string }; members: Array<{ user_id: string; roles: string[]; status: string }> }
    expect(body.context.id).toBe(DEMO_COURSE.id)
    expect(body.members.map((m) => m.user_id)).toEqual(['demo-ptk-001', 'demo-ptk-004', 'demo-ptk-006', 'demo-fas-02'])
    expect(body.members.every((m) => m.status === 'Active')).toBe(true)
    expect(body.members.at(-1)!.roles).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'])
  })
})

describe('demo LMS result service (AGS 2.0 §3.3)', () => {
  const MEMBERS = ['demo-fas-02', 'demo-ptk-001', 'demo-ptk-004', 'demo-ptk-006']
  let resultsUrl: string
  let auth: { authorization: string }
  /** The results at `query` (a query string), with the next link's URL if any. */
  const results = async (query: string) => {
    const r = await fetch(`${resultsUrl}${query}`, { headers: auth })
    const link = r.headers.get('link')
    return { status: r.status, body: (await r.json()) as Array<{ userId: string; resultScore?: number }> & { field?: string; rule?: string }, next: link === null ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1] }
  }

  beforeAll(async () => {
    // A line item of its own, a result for every member of the course.
    const li = await course.createLineItem({ label: 'Observasi', scoreMaximum: 10, tag: 'results' })
    resultsUrl = `${issuer}/lineitems/${li.id}/results`
    const bearer = await token()
    auth = { authorization: `Bearer ${bearer}` }
    for (const [i, userId] of MEMBERS.entries()) {
      const r = await fetch(`${issuer}/lineitems/${li.id}/scores`, { method: 'POST', headers: { ...auth, 'content-type': SCORE_TYPE }, body: JSON.stringify(goodScore({ userId, scoreGiven: i + 1, scoreMaximum: 10 })) })
      expect(r.status).toBe(204)
    }
  })

  it('answers only the result of the user named by user_id, and none for a member without one (AGS 2.0 §3.3: user_id)', async () => {
    expect(await results('?user_id=demo-ptk-004')).toMatchObject({ status: 200, body: [{ userId: 'demo-ptk-004', resultScore: 3 }], next: undefined })
    expect(await results('?user_id=demo-ptk-999')).toMatchObject({ status: 200, body: [], next: undefined })
    expect((await results('')).body.map((r) => r.userId)).toEqual(MEMBERS)
  })

  it('answers at most limit results a page and the rest behind Link rel="next", with no link on the last page (AGS 2.0 §3.3: limit; §3.2.3 paging)', async () => {
    const first = await results('?limit=3')
    expect(first.body.map((r) => r.userId)).toEqual(MEMBERS.slice(0, 3))
    expect(first.next).toMatch(new RegExp(`^${resultsUrl}\\?`))
    expect(new URL(first.next!).searchParams.get('limit')).toBe('3')
    const second = await fetch(first.next!, { headers: auth })
    expect(second.headers.get('link')).toBeNull()
    expect(((await second.json()) as Array<{ userId: string }>).map((r) => r.userId)).toEqual(MEMBERS.slice(3))
    // Page by page, one at a time: every result once, in the same order.
    const seen: string[] = []
    for (let url: string | undefined = `${resultsUrl}?limit=1`; url !== undefined;) {
      const page: Response = await fetch(url, { headers: auth })
      const body = (await page.json()) as Array<{ userId: string }>
      expect(body.length).toBeLessThanOrEqual(1)
      seen.push(...body.map((r) => r.userId))
      url = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1]
    }
    expect(seen).toEqual(MEMBERS)
    // With user_id, the filter holds on every page; a limit past what a page holds is served, not refused.
    expect(await results('?user_id=demo-ptk-001&limit=1')).toMatchObject({ body: [{ userId: 'demo-ptk-001' }], next: undefined })
    expect((await results('?limit=99999999999999999999')).body).toHaveLength(MEMBERS.length)
  })

  it('refuses a limit that is not a positive integer, or given twice: 400 naming limit (AGS 2.0 §3.3: limit)', async () => {
    for (const query of ['limit=0', 'limit=-1', 'limit=1.5', 'limit=abc', 'limit=', 'limit=1e2', 'limit=%201', 'limit=%2B1', 'limit=0x10', 'limit=1&limit=2']) {
      const r = await results(`?${query}`)
      expect(r.status, query).toBe(400)
      expect(r.body, query).toMatchObject({ error: 'invalid_request', field: 'limit', rule: expect.stringContaining('AGS 2.0 §3.3') })
    }
  })

  it('is read whole by TLN\'s AGS client, which follows every Link rel="next" (AGS 2.0 §3.3; §3.2.3)', async () => {
    const requests: string[] = []
    const ctx: ServiceContext = {
      platform: { issuer, clientId: 'tln-demo-lms', authorizationEndpoint: `${issuer}/auth`, tokenEndpoint: tokenUrl, jwksUri: `${issuer}/jwks` },
      keys: toolKeys, tokenCache: new MemoryAccessTokenCache(),
      fetch: (url, init) => { requests.push(url); return fetch(url, init) },
    }
    const lineItem = resultsUrl.replace(/\/results$/, '')
    expect((await getResults(ctx, lineItem, { limit: 1 })).map((r) => r.userId)).toEqual(MEMBERS)
    expect(requests.filter((u) => u.startsWith(resultsUrl))).toHaveLength(MEMBERS.length)
    expect(await getResults(ctx, lineItem, { userId: 'demo-ptk-006', limit: 2 })).toMatchObject([{ userId: 'demo-ptk-006', resultScore: 4, resultMaximum: 10 }])
  })

  it('refuses an empty user_id or one given twice: 400 naming user_id (AGS 2.0 §3.3: user_id)', async () => {
    for (const query of ['user_id=', 'user_id=demo-ptk-001&user_id=demo-ptk-004']) {
      const r = await results(`?${query}`)
      expect(r.status, query).toBe(400)
      expect(r.body, query).toMatchObject({ error: 'invalid_request', field: 'user_id' })
    }
  })
})

describe('demo LMS course: what Deep Linking places (Deep Linking 2.0 §3.3, §4.5)', () => {
  it('adds picked links once, with a line item when the item asks for one', async () => {
    const item = { type: 'ltiResourceLink' as const, title: 'Media', url: `${base}/lti/items/task-media`, custom: { tln_item: 'task-media' }, lineItem: { scoreMaximum: 100, resourceId: 'task-media' } }
    expect(await course.addContentItems([item])).toBe(1)
    expect(await course.addContentItems([item])).toBe(0)
    const media = (await course.activities()).filter((a) => a.title === 'Media')
    expect(media).toHaveLength(1)
    expect(media[0]!.lineItemId).toBeDefined()
    expect(await course.lineItems({ resourceId: 'task-media' })).toHaveLength(1)
  })

  it('refuses a content item that is not an ltiResourceLink with a URL, naming the item', () => {
    expect(resourceLinksOf([{ type: 'file', url: `${base}/f.pdf` }], base)).toBe('item 0: type must be ltiResourceLink')
    expect(resourceLinksOf([{ type: 'ltiResourceLink', url: 'javascript:alert(1)' }], base)).toBe('item 0: url must be an http(s) URL')
    expect(resourceLinksOf([{ type: 'ltiResourceLink', url: `${base}/lti/launch`, lineItem: { scoreMaximum: -1 } }], base)).toContain('lineItem.scoreMaximum')
  })

  it('refuses a content item whose url is not the tool\'s: it would become the launch\'s target_link_uri (Deep Linking 2.0 §3.3; Security Framework 1.0 §5.1.1.1)', () => {
    expect(resourceLinksOf([{ type: 'ltiResourceLink', url: 'https://attacker.example/lti/launch' }], base)).toBe(`item 0: url must be a URL of the tool (${base})`)
    expect(resourceLinksOf([{ type: 'ltiResourceLink', url: `${base}.attacker.example/lti/launch` }], base)).toContain('url must be a URL of the tool')
    expect(resourceLinksOf([{ type: 'ltiResourceLink', url: `${base}/lti/launch` }], base)).toHaveLength(1)
  })
})

/** A Deep Linking response as the tool signs it (Deep Linking 2.0 §4.5), with `changes` (undefined deletes a claim). */
async function deepLinkingResponse(changes: Record<string, unknown> = {}): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  const claims: Record<string, unknown> = {
    iss: 'tln-demo-lms', aud: issuer, iat, exp: iat + 300, nonce: `nonce-${++jtiSeq}-${Date.now()}`,
    'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse', 'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
    'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'd-1',
    'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [{ type: 'ltiResourceLink', title: 'Picked', url: `${base}/lti/items/picked-${jtiSeq}`, custom: { tln_item: 'picked' } }],
  }
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete claims[k]; else claims[k] = v
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: toolKey.kid, typ: 'JWT' }).sign(await importSigningKey(toolKey))
}
const returnDeepLink = (jwt: string) => fetch(`${issuer}/deep-link-return`, { method: 'POST', body: new URLSearchParams({ JWT: jwt }) })
const refusal = async (r: Response) => /Request refused \(<code>([^<]*)<\/code>, ([^)]*\)?)\)/.exec(await r.text())?.slice(1, 3)

describe('demo LMS Deep Linking return (Deep Linking 2.0 §4.5; Security Framework 1.0 §5.2.3)', () => {
  it('takes a response once: the same signed response posted again is refused, naming the nonce, and adds nothing (Security Framework 1.0 §5.2.3, item 9)', async () => {
    const jwt = await deepLinkingResponse({ 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [{ type: 'ltiResourceLink', title: '"><img src=x onerror=alert(1)><script>alert(2)</script>', url: `${base}/lti/items/xss`, custom: {} }] })
    const first = await returnDeepLink(jwt)
    expect(first.status).toBe(200)
    expect(await first.text()).toContain('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;&#60;script&#62;')
    const before = (await course.activities()).length
    const again = await returnDeepLink(jwt)
    expect(again.status).toBe(400)
    expect(await refusal(again)).toEqual(['nonce', 'Security Framework 1.0 §5.2.3, item 9'])
    expect((await course.activities()).length).toBe(before)
    // The course page shows the picked title as text, never as markup.
    const page = await (await fetch(issuer)).text()
    expect(page).not.toContain('<img src=x')
    expect(page).not.toContain('<script>alert')
  })

  it('refuses a response without nonce, of another deployment or message type, or living over an hour, adding nothing (Security Framework 1.0 §5.2.2–5.2.3; Deep Linking 2.0 §4.5)', async () => {
    const before = (await course.activities()).length
    const iat = Math.floor(Date.now() / 1000)
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ nonce: undefined }, 'JWT'],
      [{ exp: undefined }, 'JWT'],
      [{ 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'd-2' }, 'https://purl.imsglobal.org/spec/lti/claim/deployment_id'],
      [{ 'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest' }, 'https://purl.imsglobal.org/spec/lti/claim/message_type'],
      [{ exp: iat + 86_400 * 365 }, 'exp'],
      [{ exp: 1e20 }, 'exp'],
      [{ nonce: 'n'.repeat(5000) }, 'nonce'],
    ]
    for (const [changes, field] of cases) {
      const r = await returnDeepLink(await deepLinkingResponse(changes))
      expect(r.status, field).toBe(400)
      expect((await refusal(r))?.[0], JSON.stringify(changes).slice(0, 80)).toBe(field)
    }
    expect((await course.activities()).length).toBe(before)
  })

  it('refuses a form with two JWT fields, naming the field (Security Framework 1.0 §5.2.1: a single parameter)', async () => {
    const body = new URLSearchParams({ JWT: await deepLinkingResponse() })
    body.append('JWT', await deepLinkingResponse())
    const r = await fetch(`${issuer}/deep-link-return`, { method: 'POST', body })
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('the form has more than one JWT')
  })
})

describe('demo LMS launches are started by its own page (login CSRF)', () => {
  it('refuses a "Launch as" POST another site started: 403 naming Sec-Fetch-Site, no login form (Fetch Metadata; Origin where it is absent)', async () => {
    const activity = (await course.activities())[0]!.resourceLinkId
    const form = new URLSearchParams({ person: 'demo-ptk-001', activity })
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'http://attacker.example' }] as Array<Record<string, string>>) {
      const r = await fetch(`${issuer}/launch`, { method: 'POST', headers, body: form })
      expect(r.status, JSON.stringify(headers)).toBe(403)
      const html = await r.text()
      expect(html).toContain('Sec-Fetch-Site')
      expect(html).not.toContain('lti_message_hint')
    }
    const own = await fetch(`${issuer}/launch`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin', origin: base }, body: form })
    expect(own.status).toBe(200)
    expect(await own.text()).toContain('lti_message_hint')
  })

  it('refuses an authentication request reached from another site: a login it started would sign its visitor in as a demo person (Security Framework 1.0 §5.1.1.2: the user of the platform\'s own session)', async () => {
    const r = await fetch(`${issuer}/auth?scope=openid`, { headers: { 'sec-fetch-site': 'cross-site' } })
    expect(r.status).toBe(403)
    expect(await r.text()).not.toContain('id_token')
  })

  it('refuses a "Launch as" form naming a field twice, naming it (HTML form; RFC 6749 §3.1)', async () => {
    const activity = (await course.activities())[0]!.resourceLinkId
    const r = await fetch(`${issuer}/launch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `person=demo-ptk-001&person=demo-fas-02&activity=${encodeURIComponent(activity)}` })
    expect(r.status).toBe(400)
    expect(await refusal(r)).toEqual(['person', 'HTML form'])
  })
})

describe('demo LMS authentication endpoint (Security Framework 1.0 §5.1.1.2)', () => {
  it('signs with the lti_message_hint it checked: a hint that expires during the request is answered, not a 500', async () => {
    const exp = Date.now() + 60_000
    // The first clock reading is the hint's last valid millisecond; every later one is past it.
    let reading = exp - 1
    const now = () => { const t = reading; reading = exp + 1; return t }
    const lms: DemoLms = { issuer, clientId: 'tln-demo-lms', deploymentId: 'd-1', key: await generateToolKey(), people: demoLmsPeople(), registration: 'added' }
    const app = express().use('/demo/lms', demoLmsRouter({ lms, course, publicUrl: base, secretKey: 'k'.repeat(32), toolKeys: new MemoryKeyStore(), logger: createLogger('silent'), now, timeZone: 'Asia/Makassar' }))
    const clocked = createServer(app)
    await new Promise<void>((resolve) => clocked.listen(0, '127.0.0.1', resolve))
    try {
      const link = (await course.activities())[0]!.resourceLinkId
      const query = new URLSearchParams({
        scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: 'tln-demo-lms', redirect_uri: `${base}/lti/launch`,
        login_hint: 'demo-ptk-001', lti_message_hint: issueHint({ sub: 'demo-ptk-001', message: 'resource-link', link, exp }, hintKey('k'.repeat(32))), state: 's-1', nonce: 'n-1',
      })
      const r = await fetch(`http://127.0.0.1:${(clocked.address() as AddressInfo).port}/demo/lms/auth?${query}`)
      expect(r.status).toBe(200)
      expect(await r.text()).toContain('name="id_token"')
    } finally {
      await new Promise((resolve) => clocked.close(resolve))
    }
  })
})
