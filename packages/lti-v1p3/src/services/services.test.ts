import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { SCOPE } from '../claims.ts'
import { LtiServiceError } from '../errors.ts'
import type { FetchLike } from '../fetch-like.ts'
import { rotateToolKeys } from '../keys/rotate-tool-keys.ts'
import { toolJwks } from '../keys/tool-jwks.ts'
import { ROLE } from '../roles.ts'
import { T0 } from '../testing/launch-harness.ts'
import { MemoryAccessTokenCache, MemoryKeyStore } from '../testing/memory-stores.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { getAccessToken, MAX_TOKEN_LIFETIME_S } from './access-token.ts'
import { findOrCreateLineItem, listLineItems } from './ags-line-items.ts'
import { getResults } from './ags-results.ts'
import { postScore } from './ags-scores.ts'
import { getAllPages, nextLink } from './authorized-request.ts'
import { MAX_RETRY_AFTER_S, MAX_SERVICE_RESPONSE_BYTES, retryAfterSeconds } from './http.ts'
import { getMemberships } from './nrps-memberships.ts'
import type { ServiceContext } from './service-context.ts'
import { lineItemSubUrl } from './service-url.ts'

const keys = new MemoryKeyStore()
await rotateToolKeys(keys, { now: T0 })
const jwks = await toolJwks(keys)

async function setup() {
  const clock = { now: T0 }
  const double = await createPlatformDouble({ now: () => clock.now })
  double.services.toolJwks = jwks
  const ctx: ServiceContext = { platform: double.platform, keys, tokenCache: new MemoryAccessTokenCache(), fetch: double.fetch, now: () => clock.now }
  return { clock, double, ctx }
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as LtiServiceError)

describe('getAccessToken (Security Framework 1.0 §4.1, RFC 7523)', () => {
  it('obtains a token with a signed client assertion the platform verifies', async () => {
    const { ctx } = await setup()
    const token = await getAccessToken(ctx, [SCOPE.score, SCOPE.lineItem])
    expect(token).toMatchObject({ tokenType: 'Bearer', scopes: [SCOPE.lineItem, SCOPE.score], expiresAt: T0 + 3_600_000 })
  })
  it('serves the cached token until shortly before expiry, then asks again', async () => {
    const { clock, double, ctx } = await setup()
    await getAccessToken(ctx, [SCOPE.score])
    await getAccessToken(ctx, [SCOPE.score])
    expect(double.services.tokenRequests).toBe(1)
    clock.now = T0 + 3_600_000 - 30_000
    await getAccessToken(ctx, [SCOPE.score])
    expect(double.services.tokenRequests).toBe(2)
  })
  /** The client assertion the tool sends, captured before the platform double answers. */
  async function assertionAudience(platform: Partial<ServiceContext['platform']>): Promise<unknown> {
    const { ctx } = await setup()
    let aud: unknown
    const fetch: FetchLike = async (url, init) => {
      if (url === ctx.platform.tokenEndpoint) aud = decodeJwt(new URLSearchParams(String(init?.body)).get('client_assertion')!).aud
      return ctx.fetch!(url, init)
    }
    await getAccessToken({ ...ctx, fetch, platform: { ...ctx.platform, ...platform } }, [SCOPE.score])
    return aud
  }
  it('addresses the client assertion to the token endpoint when the platform names no authorization_server (RFC 7523 §3; Dynamic Registration 1.0 §3.4)', async () => {
    const { ctx } = await setup()
    expect(await assertionAudience({})).toBe(ctx.platform.tokenEndpoint)
  })
  it('addresses the client assertion to the token endpoint alone when the platform names another authorization_server: Brightspace answers 500 to an aud array of two values (oat-sa/lib-lti1p3-core#187), Canvas checks aud for its token URL (Canvas::Oauth::ClientCredentialsProvider)', async () => {
    const { ctx } = await setup()
    // Canvas Cloud's openid-configuration: "authorization_server": "sso.canvaslms.com"; Brightspace's audience: https://api.brightspace.com/auth/token.
    expect(await assertionAudience({ authorizationServer: 'sso.canvaslms.com' })).toBe(ctx.platform.tokenEndpoint)
    expect(await assertionAudience({ authorizationServer: 'https://api.brightspace.com/auth/token' })).toBe(ctx.platform.tokenEndpoint)
    expect(await assertionAudience({ authorizationServer: ctx.platform.tokenEndpoint })).toBe(ctx.platform.tokenEndpoint)
  })
  it('asks once more with the authorization_server alone as aud when the token endpoint refuses the token URL (Dynamic Registration 1.0 §3.4; RFC 6749 §5.2)', async () => {
    const { ctx } = await setup()
    const audience = 'https://api.lms.example/auth/token'
    const auds: unknown[] = []
    // A platform that takes only its authorization_server as aud, and refuses anything else with 401 invalid_client.
    const fetch: FetchLike = async (url, init) => {
      if (url !== ctx.platform.tokenEndpoint) return ctx.fetch!(url, init)
      const aud = decodeJwt(new URLSearchParams(String(init?.body)).get('client_assertion')!).aud
      auds.push(aud)
      if (aud !== audience) return Response.json({ error: 'invalid_client' }, { status: 401 })
      return Response.json({ access_token: 'at-aud', token_type: 'Bearer', expires_in: 3600 })
    }
    const token = await getAccessToken({ ...ctx, fetch, platform: { ...ctx.platform, authorizationServer: audience } }, [SCOPE.score])
    expect(token.accessToken).toBe('at-aud')
    expect(auds).toEqual([ctx.platform.tokenEndpoint, audience])
  })
  it('does not ask again with the authorization_server after a 5xx, nor without one (only a refusal of the assertion, 400 or 401, names a wrong aud)', async () => {
    const { ctx } = await setup()
    let requests = 0
    const fetch: FetchLike = async (url, init) => {
      if (url !== ctx.platform.tokenEndpoint) return ctx.fetch!(url, init)
      requests += 1
      return new Response('down', { status: 503 })
    }
    const error = await failure(getAccessToken({ ...ctx, fetch, platform: { ...ctx.platform, authorizationServer: 'https://api.lms.example/auth/token' } }, [SCOPE.score]))
    expect(error).toMatchObject({ code: 'ERR_LTI_SERVICE_HTTP', status: 503, retryable: true })
    expect(requests).toBe(1)
  })
  it('surfaces a refused assertion as a non-retryable ERR_LTI_SERVICE_HTTP with status and body', async () => {
    const { double, ctx } = await setup()
    double.services.toolJwks = { keys: [] }
    const error = await failure(getAccessToken(ctx, [SCOPE.score]))
    expect(error).toMatchObject({ code: 'ERR_LTI_SERVICE_HTTP', status: 401, retryable: false })
    expect(error?.body).toContain('invalid_client')
  })
})

describe('AGS 2.0', () => {
  it('appends /scores to the path and keeps the query string (AGS 2.0 §3.4)', () => {
    expect(lineItemSubUrl('https://lms.example.org/mod/lti/services.php/2/lineitems/5/lineitem?type_id=1', 'scores'))
      .toBe('https://lms.example.org/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=1')
    expect(lineItemSubUrl('https://p.example/li/5/', 'results')).toBe('https://p.example/li/5/results')
  })
  it('creates a line item once, then finds it by resourceId (AGS 2.0 §3.2.5)', async () => {
    const { double, ctx } = await setup()
    const created = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    const again = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    expect(again.id).toBe(created.id)
    expect(double.services.lineItems).toHaveLength(1)
    expect(await listLineItems(ctx, double.services.lineItemsUrl, { resourceId: 'other' })).toEqual([])
  })
  it('reads line items with lineitem.readonly when the platform granted it (AGS 2.0 §3.1)', async () => {
    const { double, ctx } = await setup()
    await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    const found = await listLineItems(ctx, double.services.lineItemsUrl, { resourceId: 'task-rpph' }, { grantedScopes: [SCOPE.lineItemReadOnly, SCOPE.score] })
    expect(found.map((i) => i.resourceId)).toEqual(['task-rpph'])
    expect([...double.services.issuedTokens.values()].at(-1)).toEqual([SCOPE.lineItemReadOnly])
  })
  it('reads line items with lineitem when that is the only line-item scope granted, or grants are unknown (AGS 2.0 §3.1)', async () => {
    const { double, ctx } = await setup()
    await listLineItems(ctx, double.services.lineItemsUrl, {}, { grantedScopes: [SCOPE.lineItem, SCOPE.score] })
    await listLineItems(ctx, double.services.lineItemsUrl)
    expect([...double.services.issuedTokens.values()]).toEqual([[SCOPE.lineItem]])
  })
  it('finds or creates with one lineitem token when lineitem is granted, and finds with lineitem.readonly when only that is (AGS 2.0 §3.1)', async () => {
    const { double, ctx } = await setup()
    const spec = { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' }
    const created = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, spec, { grantedScopes: [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.score] })
    expect([...double.services.issuedTokens.values()]).toEqual([[SCOPE.lineItem]])
    const found = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, spec, { grantedScopes: [SCOPE.lineItemReadOnly, SCOPE.score] })
    expect(found.id).toBe(created.id)
    expect([...double.services.issuedTokens.values()]).toEqual([[SCOPE.lineItem], [SCOPE.lineItemReadOnly]])
  })
  it('posts a score with the score media type and all fields, and reads it back as a result (AGS 2.0 §3.3–3.4)', async () => {
    const { double, ctx } = await setup()
    const item = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    await postScore(ctx, item.id, { userId: 'user-17', scoreGiven: 85, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })
    expect(double.services.scores[0]).toMatchObject({
      contentType: 'application/vnd.ims.lis.v1.score+json',
      body: { userId: 'user-17', scoreGiven: 85, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date(T0).toISOString() },
    })
    expect(await getResults(ctx, item.id)).toMatchObject([{ userId: 'user-17', resultScore: 85, resultMaximum: 100 }])
  })
  it('surfaces Moodle\'s 400 for a user who cannot be graded as non-retryable, with the body', async () => {
    const { double, ctx } = await setup()
    const item = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    const error = await failure(postScore(ctx, item.id, { userId: 'stranger', scoreGiven: 1, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded' }))
    expect(error).toMatchObject({ code: 'ERR_LTI_SERVICE_HTTP', status: 400, body: 'User cannot be graded', retryable: false })
  })
  it('marks a platform 503 as retryable', async () => {
    const { double, ctx } = await setup()
    const item = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    double.services.fault = new Response('maintenance', { status: 503 })
    const error = await failure(postScore(ctx, item.id, { userId: 'user-17', activityProgress: 'Submitted', gradingProgress: 'Pending' }))
    expect(error).toMatchObject({ status: 503, retryable: true })
  })
  it('marks a network failure as retryable', async () => {
    const { ctx } = await setup()
    const broken = { ...ctx, fetch: async () => { throw new TypeError('fetch failed') } }
    expect(await failure(getAccessToken(broken, [SCOPE.score]))).toMatchObject({ code: 'ERR_LTI_SERVICE_NETWORK', retryable: true })
  })
  it('refuses a scoreGiven without scoreMaximum before calling the platform (TypeError)', async () => {
    const { ctx } = await setup()
    await expect(postScore(ctx, 'https://lms.example.org/li/1', { userId: 'u', scoreGiven: 3, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })).rejects.toThrow(TypeError)
  })
  it('posts a scoreGiven higher than scoreMaximum unchanged (AGS 2.0 §3.4.4: "The platform MUST support scoreGiven higher than scoreMaximum")', async () => {
    const { double, ctx } = await setup()
    const item = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 1, resourceId: 'task-rpph' })
    await postScore(ctx, item.id, { userId: 'user-17', scoreGiven: 1.1, scoreMaximum: 1, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })
    expect(double.services.scores[0]?.body).toMatchObject({ scoreGiven: 1.1, scoreMaximum: 1 })
  })
  it('sends the timestamp in ISO 8601 with sub-second precision and the Z designator, whatever form it was given in (AGS 2.0 §3.4.9)', async () => {
    const { double, ctx } = await setup()
    const item = await findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    await postScore(ctx, item.id, { userId: 'user-17', activityProgress: 'Started', gradingProgress: 'NotReady', timestamp: '2026-11-30T17:00:00+07:00' })
    await postScore(ctx, item.id, { userId: 'user-17', activityProgress: 'Submitted', gradingProgress: 'PendingManual', timestamp: new Date(Date.UTC(2026, 10, 30, 10, 0, 1, 7)) })
    expect(double.services.scores.map((s) => (s.body as { timestamp: string }).timestamp)).toEqual(['2026-11-30T10:00:00.000Z', '2026-11-30T10:00:01.007Z'])
  })
  it('refuses a negative scoreGiven before calling the platform (AGS 2.0 §3.4.4: "MUST be positive number (including 0)"; TypeError)', async () => {
    const { ctx } = await setup()
    await expect(postScore(ctx, 'https://lms.example.org/li/1', { userId: 'u', scoreGiven: -1, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })).rejects.toThrow(TypeError)
  })
  it.each([
    ['activityProgress', '§3.4.7', { activityProgress: 'Finished', gradingProgress: 'FullyGraded' }],
    ['gradingProgress', '§3.4.8', { activityProgress: 'Completed', gradingProgress: 'Graded' }],
  ])('refuses a %s outside the AGS 2.0 values before calling the platform (AGS 2.0 %s; TypeError)', async (field, section, progress) => {
    const { ctx } = await setup()
    let calls = 0
    const counting: ServiceContext = { ...ctx, fetch: async (url, init) => { calls += 1; return ctx.fetch!(url, init) } }
    const score = { userId: 'u', ...progress } as unknown as Parameters<typeof postScore>[2]
    await expect(postScore(counting, 'https://lms.example.org/li/1', score)).rejects.toThrow(`${field} must be one of`)
    await expect(postScore(counting, 'https://lms.example.org/li/1', score)).rejects.toThrow(expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(section) }))
    expect(calls).toBe(0)
  })
  it('asks the result service for user_id and limit, and refuses a limit that is not a positive integer before calling the platform (AGS 2.0 §3.3; TypeError)', async () => {
    const { ctx } = await setup()
    const urls: string[] = []
    const recording: ServiceContext = { ...ctx, fetch: async (url, init) => { urls.push(url); return url.includes('/results') ? Response.json([]) : ctx.fetch!(url, init) } }
    expect(await getResults(recording, 'https://lms.example.org/li/1?type_id=4', { userId: 'user 17', limit: 50 })).toEqual([])
    expect(urls.at(-1)).toBe('https://lms.example.org/li/1/results?type_id=4&user_id=user+17&limit=50')
    for (const limit of [0, -1, 1.5, Number.NaN]) await expect(getResults(recording, 'https://lms.example.org/li/1', { limit }), String(limit)).rejects.toThrow(TypeError)
    expect(urls).toHaveLength(2)
  })
})

describe('the headers the certification suite verifies on each service request (LTI Advantage Certification Guide §4.3–4.4 "Verify JSON Header", "Verify Bearer Token", "Verify Bearer Scope")', () => {
  it('sends each AGS and NRPS request with its media type (AGS 2.0 §3.2–3.4, NRPS 2.0 §2.4) and a bearer token of its scope', async () => {
    const { double, ctx } = await setup()
    const seen: { method: string; path: string; accept: string | null; contentType: string | null; scopes?: readonly string[] }[] = []
    const recording: ServiceContext = { ...ctx, fetch: async (url, init) => {
      const headers = new Headers(init?.headers)
      const token = headers.get('authorization')?.replace(/^Bearer /u, '')
      if (url !== double.platform.tokenEndpoint) {
        seen.push({ method: init?.method ?? 'GET', path: new URL(url).pathname, accept: headers.get('accept'), contentType: headers.get('content-type'), scopes: token === undefined ? undefined : double.services.issuedTokens.get(token) })
      }
      return double.fetch(url, init)
    } }
    const item = await findOrCreateLineItem(recording, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' })
    await postScore(recording, item.id, { userId: 'user-17', scoreGiven: 85, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })
    await getResults(recording, item.id)
    await getMemberships(recording, double.services.membershipsUrl)
    expect(seen[0]).toMatchObject({ method: 'GET', accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json', scopes: [SCOPE.lineItem] })
    expect(seen[1]).toMatchObject({ method: 'POST', contentType: 'application/vnd.ims.lis.v2.lineitem+json', scopes: [SCOPE.lineItem] })
    expect(seen.find((r) => r.path.endsWith('/scores'))).toMatchObject({ method: 'POST', contentType: 'application/vnd.ims.lis.v1.score+json', scopes: [SCOPE.score] })
    expect(seen.find((r) => r.path.endsWith('/results'))).toMatchObject({ method: 'GET', accept: 'application/vnd.ims.lis.v2.resultcontainer+json', scopes: [SCOPE.resultReadOnly] })
    const nrps = seen.filter((r) => r.path === new URL(double.services.membershipsUrl).pathname)
    expect(nrps.length).toBeGreaterThan(0)
    for (const r of nrps) expect(r).toMatchObject({ method: 'GET', accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json', scopes: [SCOPE.membershipReadOnly] })
  })
})

/** The simulated platform with its NRPS URLs answered by `answer`, and the URLs asked, in order. */
async function nrpsAnswering(answer: (url: string) => Response): Promise<{ urls: string[]; recording: ServiceContext }> {
  const { double, ctx } = await setup()
  const urls: string[] = []
  const recording: ServiceContext = { ...ctx, fetch: async (url, init) => {
    if (!url.startsWith('https://lms.example.org/nrps')) return double.fetch(url, init)
    urls.push(url)
    return answer(url)
  } }
  return { urls, recording }
}

describe('NRPS 2.0', () => {
  it('follows Link rel="next" until absent and normalises short role names (NRPS 2.0 §2.4.2)', async () => {
    const { double, ctx } = await setup()
    const membership = await getMemberships(ctx, double.services.membershipsUrl)
    expect(membership.context).toEqual({ id: 'course-1', label: 'PAUD-1', title: 'Pelatihan PAUD' })
    expect(membership.members.map((m) => m.userId)).toEqual(['user-17', 'user-18', 'user-19', 'user-20', 'user-21'])
    expect(membership.members.map((m) => m.roles[0])).toEqual([ROLE.learner, ROLE.learner, ROLE.instructor, ROLE.teachingAssistant, ROLE.learner])
  })
  it('asks for one resource link\'s members with rlid and for one role with role, keeping the URL\'s own query (NRPS 2.0 §2.4.1, §3.1)', async () => {
    const { urls, recording } = await nrpsAnswering((url) => Response.json({ id: url, context: { id: 'course-1' }, members: [{ user_id: 'user-17', roles: ['Learner'] }] }))
    const membership = await getMemberships(recording, 'https://lms.example.org/nrps/5/memberships?type=course', { resourceLinkId: 'rl 1', role: ROLE.learner })
    expect(urls).toEqual([`https://lms.example.org/nrps/5/memberships?type=course&role=${encodeURIComponent(ROLE.learner)}&rlid=rl+1`])
    expect(membership.members.map((m) => m.userId)).toEqual(['user-17'])
  })
  it('sends limit with role on the URL\'s own query, then follows the platform\'s next link as written, adding nothing to it (NRPS 2.0 §2.4.1–2.4.2)', async () => {
    const first = `https://lms.example.org/nrps/5/memberships?type=course&role=${encodeURIComponent(ROLE.learner)}&limit=2`
    const next = `https://lms.example.org/nrps/5/memberships?type=course&role=${encodeURIComponent(ROLE.learner)}&limit=2&after=u2`
    const { urls, recording } = await nrpsAnswering((url) => url === first
      ? new Response(JSON.stringify({ members: [{ user_id: 'u1', roles: ['Learner'] }, { user_id: 'u2', roles: ['Learner'] }] }), { headers: { link: `<${next}>; rel="next"` } })
      : Response.json({ members: [{ user_id: 'u3', roles: ['Learner'] }] }))
    const membership = await getMemberships(recording, 'https://lms.example.org/nrps/5/memberships?type=course', { role: ROLE.learner, limit: 2 })
    expect(urls).toEqual([first, next])
    expect(membership.members.map((m) => m.userId)).toEqual(['u1', 'u2', 'u3'])
  })
  it('follows a relative next link, resolved against the page that named it (RFC 8288 §3.2; NRPS 2.0 §2.4.2)', async () => {
    const { urls, recording } = await nrpsAnswering((url) => url.endsWith('/memberships')
      ? new Response(JSON.stringify({ members: [{ user_id: 'u1', roles: [] }] }), { headers: { link: '<memberships?page=2>; rel="next"' } })
      : Response.json({ members: [{ user_id: 'u2', roles: [] }] }))
    expect((await getMemberships(recording, 'https://lms.example.org/nrps/5/memberships')).members).toHaveLength(2)
    expect(urls).toEqual(['https://lms.example.org/nrps/5/memberships', 'https://lms.example.org/nrps/5/memberships?page=2'])
  })
  it('does not follow a Link rel="differences" (NRPS 2.0 §2.4.3: for a later call), only rel="next"', async () => {
    const { urls, recording } = await nrpsAnswering(() => new Response(JSON.stringify({ members: [{ user_id: 'user-17', roles: [] }] }), { headers: { link: '<https://lms.example.org/nrps/5/memberships?since=42>; rel="differences"' } }))
    expect((await getMemberships(recording, 'https://lms.example.org/nrps/5/memberships')).members).toHaveLength(1)
    expect(urls).toEqual(['https://lms.example.org/nrps/5/memberships'])
  })
  it('parses Link headers with several relations', () => {
    expect(nextLink('<https://a/m?page=2>; rel="next", <https://a/m?since=1>; rel="differences"')).toBe('https://a/m?page=2')
    expect(nextLink('<https://a/d>; rel="differences"')).toBeUndefined()
    expect(nextLink('<https://a/n>; rel=next')).toBe('https://a/n')
    expect(nextLink(null)).toBeUndefined()
  })
  it('stops on a paging loop instead of spinning forever', async () => {
    const { double, ctx } = await setup()
    const loop: ServiceContext = { ...ctx, fetch: async (url, init) => {
      const response = await double.fetch(url, init)
      if (!url.startsWith(double.services.membershipsUrl)) return response
      return new Response(await response.text(), { headers: { link: `<${double.services.membershipsUrl}>; rel="next"` } })
    } }
    expect(await failure(getMemberships(loop, double.services.membershipsUrl))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
  })
})

describe('a hostile or broken platform\'s service answers', () => {
  /** The double's services, with the answers to URLs starting with `prefix` replaced. */
  async function answering(prefix: (double: Awaited<ReturnType<typeof setup>>['double']) => string, answer: (url: string, init?: RequestInit) => Response | Promise<Response>) {
    const s = await setup()
    const requests: { url: string; authorization: string | null }[] = []
    const fetch: FetchLike = async (url, init) => {
      requests.push({ url, authorization: new Headers(init?.headers).get('authorization') })
      return url.startsWith(prefix(s.double)) ? answer(url, init) : s.double.fetch(url, init)
    }
    return { ...s, ctx: { ...s.ctx, fetch }, requests }
  }
  const memberships = (d: { services: { membershipsUrl: string } }) => d.services.membershipsUrl
  const page = (members: unknown[], next?: string) => new Response(JSON.stringify({ members }), { headers: next === undefined ? {} : { link: `<${next}>; rel="next"` } })

  it('never sends the bearer token to another origin: a next link elsewhere stops the paging (RFC 6750 §5.3; NRPS 2.0 §2.4.2)', async () => {
    const { ctx, double, requests } = await answering(memberships, (url) => page([{ user_id: 'u1', roles: [] }], url.includes('evil') ? undefined : 'https://evil.example/steal'))
    expect(await failure(getMemberships(ctx, double.services.membershipsUrl))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
    expect(requests.some((r) => r.url.startsWith('https://evil.example'))).toBe(false)
  })

  it('refuses a downgrade of the paging from https to http (RFC 6750 §5.3)', async () => {
    const { ctx, double } = await answering(memberships, () => page([], double.services.membershipsUrl.replace('https:', 'http:') + '?p=2'))
    expect(await failure(getMemberships(ctx, double.services.membershipsUrl))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
  })

  it('stops when a page links back to an earlier page, not only to itself', async () => {
    let n = 0
    const { ctx, double } = await answering(memberships, () => { n += 1; return page([], `${double.services.membershipsUrl}?p=${n % 2}`) })
    expect(await failure(getMemberships(ctx, double.services.membershipsUrl))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
    expect(n).toBe(3)
  })

  it('stops paging that goes on forever at maxPages', async () => {
    let n = 0
    const { ctx, double } = await answering(memberships, () => { n += 1; return page([], `${double.services.membershipsUrl}?p=${n}`) })
    expect(await failure(getAllPages(ctx, [SCOPE.membershipReadOnly], double.services.membershipsUrl, 'application/json', { maxPages: 5 }))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
    expect(n).toBe(5)
  })

  it('stops reading when all pages together pass maxTotalBytes', async () => {
    let n = 0
    const { ctx, double } = await answering(memberships, () => { n += 1; return page([{ user_id: 'x'.repeat(1000), roles: [] }], `${double.services.membershipsUrl}?p=${n}`) })
    expect(await failure(getAllPages(ctx, [SCOPE.membershipReadOnly], double.services.membershipsUrl, 'application/json', { maxTotalBytes: 10_000 }))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
    expect(n).toBeLessThanOrEqual(10)
  })

  it('reads a course of 100,000 members in one page (Moodle pages nothing)', async () => {
    const members = Array.from({ length: 100_000 }, (_, i) => ({ user_id: `user-${i}`, roles: ['Learner'], name: `Guru ${i}` }))
    const body = JSON.stringify({ context: { id: 'c' }, members })
    const { ctx, double } = await answering(memberships, () => new Response(body))
    expect((await getMemberships(ctx, double.services.membershipsUrl)).members).toHaveLength(100_000)
  })

  it('refuses an answer larger than MAX_SERVICE_RESPONSE_BYTES whatever fetch is used, reading no further', async () => {
    let pulled = 0
    const endless = () => new Response(new ReadableStream({ pull(controller) { pulled += 65_536; controller.enqueue(new Uint8Array(65_536).fill(32)) } }))
    const { ctx } = await answering((d) => d.platform.tokenEndpoint, endless)
    expect(await failure(getAccessToken(ctx, [SCOPE.score]))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
    expect(pulled).toBeLessThan(MAX_SERVICE_RESPONSE_BYTES + 4 * 65_536)
  })

  it('refuses an answer that is not JSON, whatever its content type says', async () => {
    const { ctx } = await answering((d) => d.platform.tokenEndpoint, () => new Response('<html>Moodle error</html>', { headers: { 'content-type': 'application/json' } }))
    expect(await failure(getAccessToken(ctx, [SCOPE.score]))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE', body: '<html>Moodle error</html>' })
  })

  it.each([[0, 300], [-5, 300], ['3600', 300], [undefined, 300], [30, 30], [7200, 7200], [1e12, MAX_TOKEN_LIFETIME_S], [1e300, MAX_TOKEN_LIFETIME_S]])(
    'keeps a token with expires_in %s for %s s: positive and at most a day (RFC 6749 §5.1)', async (expiresIn, lifetimeS) => {
      const { ctx } = await answering((d) => d.platform.tokenEndpoint, () => Response.json({ access_token: 'at', token_type: 'Bearer', ...(expiresIn !== undefined && { expires_in: expiresIn }) }))
      expect((await getAccessToken(ctx, [SCOPE.score])).expiresAt).toBe(T0 + lifetimeS * 1000)
    })

  it('carries Retry-After of a 429 or 503 on the error, in seconds, at most a day (RFC 6585 §4; RFC 9110 §10.2.3)', async () => {
    const { ctx, double } = await answering(memberships, () => new Response('slow down', { status: 429, headers: { 'retry-after': '120' } }))
    expect(await failure(getMemberships(ctx, double.services.membershipsUrl))).toMatchObject({ status: 429, retryable: true, retryAfterS: 120 })
    expect(retryAfterSeconds('Wed, 15 Jan 2025 08:10:00 GMT', T0)).toBe(600)
    expect(retryAfterSeconds('999999999999', T0)).toBe(MAX_RETRY_AFTER_S)
    expect(retryAfterSeconds('soon', T0)).toBeUndefined()
    expect(retryAfterSeconds(null, T0)).toBeUndefined()
  })

  it('refuses a line item whose id lies outside the container\'s origin: its scores would carry the token there (AGS 2.0 §3.2.3; RFC 6750 §5.3)', async () => {
    const { ctx, double, requests } = await answering((d) => d.services.lineItemsUrl.split('?')[0]!, () => Response.json([{ id: 'https://evil.example/li/1', label: 'x', scoreMaximum: 10, resourceId: 'task-rpph' }]))
    expect(await failure(findOrCreateLineItem(ctx, double.services.lineItemsUrl, { label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph' }))).toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
    expect(requests.some((r) => r.url.startsWith('https://evil.example'))).toBe(false)
  })

  it('calls a body that breaks off mid-way a network failure (retryable), not an unclassified error', async () => {
    const broken = () => new Response(new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{"access_')); controller.error(new Error('socket hang up')) } }))
    const { ctx } = await answering((d) => d.platform.tokenEndpoint, broken)
    expect(await failure(getAccessToken(ctx, [SCOPE.score]))).toMatchObject({ code: 'ERR_LTI_SERVICE_NETWORK', retryable: true })
  })

  it('skips a member whose user_id is no id and leaves out fields of unstorable text, keeping the rest of the roster (LTI Core 1.3 §5.3.6; RFC 8259 §8.2)', async () => {
    const { ctx, double } = await answering(memberships, () => Response.json({ context: { id: 'c1', title: 'Kelas\u0000' }, members: [
      { user_id: 'u1', roles: ['Learner', 'In\u0000structor'], name: 'Siti\u0000', email: 'siti@example.org' },
      { user_id: 'x'.repeat(256), roles: ['Learner'] },
      { user_id: 'u\uD800', roles: ['Learner'] },
      { user_id: 'u2', roles: ['Instructor'], given_name: 'Budi' },
    ] }))
    const membership = await getMemberships(ctx, double.services.membershipsUrl)
    expect(membership.context).toEqual({ id: 'c1', label: undefined, title: undefined })
    expect(membership.members.map((m) => [m.userId, m.name, m.email, m.roles])).toEqual([
      ['u1', undefined, 'siti@example.org', [ROLE.learner]],
      ['u2', undefined, undefined, [ROLE.instructor]],
    ])
  })
})
