import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import type { Platform } from '../platform.ts'

interface LineItem { id: string; label: string; scoreMaximum: number; resourceId?: string; tag?: string; resourceLinkId?: string }
interface Member { user_id: string; roles: string[]; name?: string; email?: string; status?: string }

/**
 * The platform's service endpoints as a request handler (used by `createPlatformDouble`):
 * token endpoint (client-credentials grant with a JWT assertion, Security Framework 1.0 §4.1),
 * AGS line items, scores and results (AGS 2.0), NRPS memberships with `Link: rel="next"` paging
 * (NRPS 2.0 §2.4.2), openid-configuration and client registration (Dynamic Registration 1.0).
 * Behaves like Moodle where it matters: the scores URL keeps the line item's query string, and a
 * score without `timestamp` or `scoreMaximum`, or for an unknown user, gets a 400.
 */
export function createServiceHandlers({ platform, now }: { platform: Platform; now: () => number }) {
  const base = `${platform.issuer}/mod/lti/services.php/course-1`
  const state = {
    lineItemsUrl: `${base}/lineitems?type_id=7`,
    membershipsUrl: `${base}/memberships`,
    openidConfigurationUrl: `${platform.issuer}/mod/lti/openid-configuration.php`,
    registrationEndpoint: `${platform.issuer}/mod/lti/openid-registration.php`,
    registrationToken: 'reg-token-1',
    lineItems: [] as LineItem[],
    scores: [] as { lineItemId: string; contentType: string | null; body: Record<string, unknown> }[],
    members: [
      { user_id: 'user-17', roles: ['Learner'], name: 'Siti Rahayu', email: 'siti@example.org', status: 'Active' },
      { user_id: 'user-18', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Budi' },
      { user_id: 'user-19', roles: ['Instructor'], name: 'Dewi' },
      { user_id: 'user-20', roles: ['Instructor#TeachingAssistant'], name: 'Agus' },
      { user_id: 'user-21', roles: ['Learner'], name: 'Rina' },
    ] as Member[],
    pageSize: 2,
    tokenRequests: 0,
    registrations: [] as Record<string, unknown>[],
    toolJwks: { keys: [] } as JSONWebKeySet,
    issuedTokens: new Map<string, string[]>(),
    /** Answer the next service request with this instead (fault injection), then clear. */
    fault: undefined as Response | undefined,
    handle,
  }

  const bearerScopes = (request: Request): string[] | undefined => {
    const token = /^Bearer (.+)$/u.exec(request.headers.get('authorization') ?? '')?.[1]
    return token ? state.issuedTokens.get(token) : undefined
  }
  const requireScope = (request: Request, scope: string): Response | undefined => {
    const scopes = bearerScopes(request)
    if (!scopes) return new Response('invalid token', { status: 401 })
    return scopes.includes(scope) ? undefined : new Response('insufficient scope', { status: 403 })
  }
  const scope = (name: string) => `https://purl.imsglobal.org/spec/lti-ags/scope/${name}`

  async function handle(request: Request): Promise<Response | undefined> {
    if (state.fault) {
      const fault = state.fault
      state.fault = undefined
      return fault
    }
    const url = new URL(request.url)
    const path = url.origin + url.pathname
    if (request.url === platform.tokenEndpoint && request.method === 'POST') return token(request)
    if (request.url === state.openidConfigurationUrl) return Response.json(openidConfiguration())
    if (request.url === state.registrationEndpoint && request.method === 'POST') return register(request)
    if (path === `${base}/lineitems`) {
      if (request.method === 'POST') return (requireScope(request, scope('lineitem')) ?? createLineItem(await request.json()))
      // A read takes either line-item scope (AGS 2.0 §3.1: `lineitem.readonly` reads only).
      return (bearerScopes(request)?.includes(scope('lineitem.readonly')) ? undefined : requireScope(request, scope('lineitem'))) ?? listLineItems(url)
    }
    const item = state.lineItems.find((li) => path.startsWith(`${new URL(li.id).origin}${new URL(li.id).pathname}/`))
    if (item && path.endsWith('/lineitem/scores') && request.method === 'POST') return requireScope(request, scope('score')) ?? postScore(item, request, url)
    if (item && path.endsWith('/lineitem/results')) return requireScope(request, scope('result.readonly')) ?? results(item)
    if (path === state.membershipsUrl) return requireScope(request, 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly') ?? memberships(url)
    return undefined
  }

  async function token(request: Request): Promise<Response> {
    state.tokenRequests += 1
    const form = new URLSearchParams(await request.text())
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return Response.json({ error: 'unsupported_grant_type' }, { status: 400 })
    }
    try {
      await jwtVerify(form.get('client_assertion') ?? '', createLocalJWKSet(state.toolJwks), {
        algorithms: ['RS256'], issuer: platform.clientId, subject: platform.clientId, audience: platform.tokenEndpoint, currentDate: new Date(now()),
      })
    } catch {
      return Response.json({ error: 'invalid_client' }, { status: 401 })
    }
    const accessToken = `at-${state.tokenRequests}`
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
    state.issuedTokens.set(accessToken, scopes)
    return Response.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope: scopes.join(' ') })
  }

  function listLineItems(url: URL): Response {
    const filter = (li: LineItem) =>
      (!url.searchParams.has('resource_id') || li.resourceId === url.searchParams.get('resource_id')) &&
      (!url.searchParams.has('tag') || li.tag === url.searchParams.get('tag')) &&
      (!url.searchParams.has('resource_link_id') || li.resourceLinkId === url.searchParams.get('resource_link_id'))
    return Response.json(state.lineItems.filter(filter), { headers: { 'content-type': 'application/vnd.ims.lis.v2.lineitemcontainer+json' } })
  }

  function createLineItem(body: Record<string, unknown>): Response {
    const n = state.lineItems.length + 1
    const item: LineItem = {
      id: `${base}/lineitems/${n}/lineitem?type_id=7`, label: String(body.label), scoreMaximum: Number(body.scoreMaximum),
      ...(typeof body.resourceId === 'string' && { resourceId: body.resourceId }),
      ...(typeof body.tag === 'string' && { tag: body.tag }),
      ...(typeof body.resourceLinkId === 'string' && { resourceLinkId: body.resourceLinkId }),
    }
    state.lineItems.push(item)
    return Response.json(item, { status: 201, headers: { 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' } })
  }

  async function postScore(item: LineItem, request: Request, url: URL): Promise<Response> {
    if (url.searchParams.get('type_id') !== '7') return new Response('lost query string', { status: 404 })
    const body = (await request.json()) as Record<string, unknown>
    if (typeof body.timestamp !== 'string' || (body.scoreGiven !== undefined && typeof body.scoreMaximum !== 'number')) {
      return new Response('Incorrect score received', { status: 400 })
    }
    if (!state.members.some((m) => m.user_id === body.userId)) return new Response('User cannot be graded', { status: 400 })
    state.scores.push({ lineItemId: item.id, contentType: request.headers.get('content-type'), body })
    return new Response(null, { status: 204 })
  }

  function results(item: LineItem): Response {
    const rows = state.scores.filter((s) => s.lineItemId === item.id).map((s, i) => ({
      id: `${item.id}/results/${i}`, scoreOf: item.id, userId: s.body.userId, resultScore: s.body.scoreGiven, resultMaximum: s.body.scoreMaximum,
    }))
    return Response.json(rows, { headers: { 'content-type': 'application/vnd.ims.lis.v2.resultcontainer+json' } })
  }

  function memberships(url: URL): Response {
    const page = Number(url.searchParams.get('page') ?? '0')
    const members = state.members.slice(page * state.pageSize, (page + 1) * state.pageSize)
    const headers = new Headers({ 'content-type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' })
    if ((page + 1) * state.pageSize < state.members.length) {
      headers.set('link', `<${state.membershipsUrl}?page=${page + 1}>; rel="next", <${state.membershipsUrl}?since=1>; rel="differences"`)
    }
    return Response.json({ id: url.href, context: { id: 'course-1', label: 'PAUD-1', title: 'Pelatihan PAUD' }, members }, { headers })
  }

  function openidConfiguration(): Record<string, unknown> {
    return {
      issuer: platform.issuer,
      authorization_endpoint: platform.authorizationEndpoint,
      token_endpoint: platform.tokenEndpoint,
      jwks_uri: platform.jwksUri,
      registration_endpoint: state.registrationEndpoint,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', scope('lineitem'), scope('result.readonly'), scope('score'), 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
      claims_supported: ['iss', 'aud', 'sub', 'name', 'given_name', 'family_name', 'email'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'moodle', version: '5.1',
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
      },
    }
  }

  async function register(request: Request): Promise<Response> {
    if (request.headers.get('authorization') !== `Bearer ${state.registrationToken}`) return new Response('invalid registration token', { status: 401 })
    const body = (await request.json()) as Record<string, unknown>
    state.registrations.push(body)
    return Response.json({ ...body, client_id: platform.clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': {
      ...(body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as object), deployment_id: 'deployment-1',
    } })
  }

  return state
}

export type ServiceDoubleState = ReturnType<typeof createServiceHandlers>
