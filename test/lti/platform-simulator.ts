import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express from 'express'
import { CompactSign, createRemoteJWKSet, jwtVerify, type CryptoKey, type JWTPayload } from 'jose'
import { createPlatformDouble, type PlatformDouble } from '@tln/lti-v1p3/testing'

/** How the next id_token is made: claims to override or drop, header fields, another key, or a forged signature. */
export interface NextLaunch {
  claims?: Record<string, unknown>
  omit?: string[]
  header?: Record<string, unknown>
  key?: CryptoKey
  forge?: 'alg-none' | 'hs256-public-key' | 'tampered-payload'
  /** Seconds to shift iat/exp by (negative: an old token). */
  shiftS?: number
  messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest'
}

/** Answer matching service requests with this instead (fault injection), `times` times. */
export interface ServiceFault {
  method?: string
  path: RegExp
  status: number
  body: string
  /** Response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>
  times: number
}

/** A request to the simulator's service endpoints: AGS and NRPS name the media types (Accept, Content-Type); the bearer token tells the scopes. */
export interface ServiceRequest {
  method: string
  url: string
  accept: string | null
  contentType: string | null
  authorization: string | null
}

/** What the platform received at its Deep Linking return URL. */
export interface DeepLinkReturn {
  jwt: string
  /** The verified payload, or undefined when the JWT did not verify against the tool's JWKS. */
  payload?: JWTPayload
  error?: string
}

export interface ToolRegistration {
  loginUrl: string
  redirectUri: string
  jwksUri: string
}

/**
 * A real HTTP LMS (Moodle 5.1-like) for end-to-end LTI tests, on 127.0.0.1:0 (or another loopback
 * host): its own RS256 keys and JWKS, the OIDC authorization endpoint that validates the
 * authentication request and form-posts a signed id_token (60 s lifetime) to the redirect URI,
 * the token endpoint (client_credentials + JWT assertion checked against the tool's JWKS), AGS
 * line items/scores/results and NRPS memberships with `Link: rel="next"` paging,
 * openid-configuration and the Dynamic Registration endpoint. The protocol parts come from the
 * library's platform double; this file puts them on the network and adds the browser-facing pages.
 *
 * Like Moodle: the login initiation is a POST form; the redirect URI is matched exactly; unknown
 * parameters in the authentication request (e.g. `repost`) are refused; `lti_message_hint` must
 * come back unaltered.
 */
export async function startPlatformSimulator(options: { host?: string } = {}) {
  const host = options.host ?? '127.0.0.1'
  const app = express()
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, host, () => resolve(s)) })
  // Longer than the tool's client keeps an idle connection (undici: 4 s), as an LMS behind nginx
  // (75 s) is: with Node's default 5 s the simulator could close a connection the tool was
  // reusing at that moment, a reset no real platform causes this way (a flaky test under load).
  server.keepAliveTimeout = 65_000
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`
  const double: PlatformDouble = await createPlatformDouble({ issuer: origin, clientId: 'tln-client-1', deploymentId: 'deployment-1' })
  const state = {
    tool: undefined as ToolRegistration | undefined,
    next: {} as NextLaunch,
    user: { sub: 'user-17', name: 'Siti Rahayu', email: 'siti@example.org' },
    /** Offer `lti_storage_target` in login initiations (Moodle does not; others do). */
    platformStorage: false,
    authRequests: [] as Record<string, string>[],
    messageHint: '{"cmid":5,"launchid":"ltilaunch1_x"}',
    /** Every request to the service endpoints (token, AGS, NRPS), in order, with the headers the specs name. */
    serviceRequests: [] as ServiceRequest[],
    faults: [] as ServiceFault[],
    holds: [] as { method?: string; path: RegExp; reached: () => void; gate: Promise<void> }[],
    deepLinkReturns: [] as DeepLinkReturn[],
  }
  const services = double.services

  /** The login initiation Moodle sends (a POST form), as fields. */
  const initiation = (): Record<string, string> => ({
    iss: origin, login_hint: state.user.sub, target_link_uri: state.tool!.redirectUri, lti_message_hint: state.messageHint,
    client_id: double.clientId, lti_deployment_id: double.deploymentId,
    ...(state.platformStorage ? { lti_storage_target: '_parent' } : {}),
  })

  const signIdToken = async (nonce: string): Promise<string> => {
    const next = state.next
    state.next = {}
    const base = next.messageType === 'LtiDeepLinkingRequest' ? double.deepLinkingClaims(nonce) : double.launchClaims(nonce)
    const claims: Record<string, unknown> = {
      ...base, sub: state.user.sub, name: state.user.name, email: state.user.email,
      'https://purl.imsglobal.org/spec/lti/claim/target_link_uri': state.tool!.redirectUri, ...next.claims,
    }
    if (next.shiftS !== undefined) { claims.iat = Number(claims.iat) + next.shiftS; claims.exp = Number(claims.exp) + next.shiftS }
    for (const name of next.omit ?? []) delete claims[name]
    if (next.forge === 'alg-none') {
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
      return `${enc({ alg: 'none', typ: 'JWT', kid: double.kid })}.${enc(claims)}.`
    }
    if (next.forge === 'hs256-public-key') {
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: double.kid }).sign(new TextEncoder().encode(double.publicKeyPem))
    }
    const token = await double.sign(claims, { ...(next.header && { header: next.header }), ...(next.key && { key: next.key }) })
    if (next.forge === 'tampered-payload') {
      const [h, , s] = token.split('.')
      return `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin-1' })).toString('base64url')}.${s}`
    }
    return token
  }

  app.use(express.urlencoded({ extended: false }))

  // OIDC authorization endpoint (Security Framework 1.0 §5.1.1.2–5.1.1.3).
  app.get('/mod/lti/auth.php', async (req, res) => {
    const q = req.query as Record<string, string>
    state.authRequests.push(q)
    const allowed = new Set(['scope', 'response_type', 'response_mode', 'prompt', 'client_id', 'redirect_uri', 'login_hint', 'lti_message_hint', 'state', 'nonce'])
    const problems = [
      ...Object.keys(q).filter((k) => !allowed.has(k)).map((k) => `unexpected parameter ${k}`),
      q.scope !== 'openid' && 'scope', q.response_type !== 'id_token' && 'response_type', q.response_mode !== 'form_post' && 'response_mode',
      q.prompt !== 'none' && 'prompt', q.client_id !== double.clientId && 'client_id', q.redirect_uri !== state.tool?.redirectUri && 'redirect_uri (matched exactly)',
      q.login_hint !== state.user.sub && 'login_hint', q.lti_message_hint !== state.messageHint && 'lti_message_hint (altered)',
      !q.state && 'state', !q.nonce && 'nonce',
    ].filter((p): p is string => typeof p === 'string')
    if (problems.length > 0) return void res.status(400).type('text').send(`invalid authentication request: ${problems.join(', ')}`)
    const idToken = await signIdToken(q.nonce!)
    res.type('html').send(autoPost(q.redirect_uri!, { id_token: idToken, state: q.state! }))
  })

  // A course page framing the tool (browser tests): the frame loads the launch page, which POSTs the login initiation.
  app.get('/course/view.php', (_req, res) => {
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>Kursus PAUD</title></head><body>
<h1>Pelatihan PAUD (simulated LMS)</h1>
<iframe id="tool" name="tool" src="/mod/lti/launch.php" style="width:100%;height:600px" allow="storage-access"></iframe>
<script>
// Platform storage (LTI Client Side postMessage storage): answer lti.put_data / lti.get_data from the tool frame.
var store = {};
window.addEventListener('message', function (e) {
  var d = e.data || {}; if (!d.subject) return;
  if (d.subject === 'lti.put_data') { store[e.origin + ' ' + d.key] = d.value; e.source.postMessage({ subject: 'lti.put_data.response', message_id: d.message_id, key: d.key, value: d.value }, e.origin); }
  if (d.subject === 'lti.get_data') { e.source.postMessage({ subject: 'lti.get_data.response', message_id: d.message_id, key: d.key, value: store[e.origin + ' ' + d.key] }, e.origin); }
});
</script></body></html>`)
  })
  app.get('/mod/lti/launch.php', (_req, res) => { res.type('html').send(autoPost(state.tool!.loginUrl, initiation())) })

  // Deep Linking 2.0 §4.5: the tool form-posts its signed response here; like Moodle, verify it with the tool's JWKS.
  app.post('/mod/lti/contentitem_return.php', async (req, res) => {
    const jwt = typeof req.body?.JWT === 'string' ? (req.body.JWT as string) : ''
    try {
      const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(state.tool!.jwksUri)), { algorithms: ['RS256'], issuer: double.clientId, audience: origin })
      state.deepLinkReturns.push({ jwt, payload })
      res.type('html').send('<!doctype html><p>Content added</p>')
    } catch (error) {
      state.deepLinkReturns.push({ jwt, error: (error as Error).message })
      res.status(400).type('text').send('invalid deep linking response')
    }
  })

  // JWKS, token endpoint, AGS, NRPS, openid-configuration, registration: the double's handlers.
  app.all(/.*/, async (req, res) => {
    if (req.path !== '/mod/lti/certs.php' && req.path !== '/mod/lti/openid-configuration.php') {
      state.serviceRequests.push({
        method: req.method, url: `${origin}${req.originalUrl}`,
        accept: req.get('accept') ?? null, contentType: req.get('content-type') ?? null, authorization: req.get('authorization') ?? null,
      })
    }
    const matches = (f: { method?: string; path: RegExp }) => (f.method === undefined || f.method === req.method) && f.path.test(req.path)
    const hold = state.holds.find(matches)
    if (hold !== undefined) {
      state.holds.splice(state.holds.indexOf(hold), 1)
      hold.reached()
      await hold.gate
    }
    const fault = state.faults.find((f) => f.times > 0 && matches(f))
    if (fault !== undefined) {
      fault.times -= 1
      return void res.status(fault.status).set(fault.headers ?? {}).type('text').send(fault.body)
    }
    if (req.path === '/mod/lti/token.php' && state.tool) services.toolJwks = (await (await fetch(state.tool.jwksUri)).json()) as typeof services.toolJwks
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined
      : req.is('application/x-www-form-urlencoded') ? new URLSearchParams(req.body as Record<string, string>).toString() : await readRaw(req)
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
    const response = await double.fetch(`${origin}${req.originalUrl}`, { method: req.method, headers, ...(body !== undefined && { body }) })
    res.status(response.status)
    response.headers.forEach((v, k) => res.setHeader(k, v))
    res.send(Buffer.from(await response.arrayBuffer()))
  })

  return {
    origin, double, state,
    issuer: origin, clientId: double.clientId, deploymentId: double.deploymentId,
    platform: double.platform,
    /** Register the tool's URLs (done by Dynamic Registration or by hand). */
    setTool(tool: ToolRegistration) { state.tool = tool },
    /** The login initiation Moodle would POST. */
    initiation,
    /** Answer the next `times` matching service requests with `status` and `body`. */
    fail(fault: Omit<ServiceFault, 'times'> & { times?: number }) { state.faults.push({ times: 1, ...fault }) },
    /** Hold the next matching service request until `release()`; `reached` resolves when it arrives. */
    hold(match: { method?: string; path: RegExp }) {
      let reached!: () => void
      let release!: () => void
      const arrived = new Promise<void>((r) => { reached = r })
      const gate = new Promise<void>((r) => { release = r })
      state.holds.push({ ...match, reached, gate })
      return { reached: arrived, release }
    },
    registrationUrl: (toolRegisterUrl: string) => `${toolRegisterUrl}?openid_configuration=${encodeURIComponent(services.openidConfigurationUrl)}&registration_token=${services.registrationToken}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type PlatformSimulator = Awaited<ReturnType<typeof startPlatformSimulator>>

function escape(v: string): string {
  return v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A page that form-posts `fields` to `action` (what Moodle's pages do), readable by tests too. */
function autoPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>Redirecting</title></head><body>
<form id="auto" method="post" action="${escape(action)}">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.getElementById('auto').submit();</script>
</body></html>`
}

async function readRaw(req: express.Request): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}
