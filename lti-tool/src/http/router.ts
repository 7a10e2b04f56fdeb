import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import type { PassportStatic } from 'passport'
import {
  cookiesWork, cookiesWorkCookie, createLoginRequest, expiredStateCookie, LtiError, loginRestart, renderPlatformStoragePage, resumeLoginRequest,
  startRegistration, stateCookieMatches, toolJwks, publicJwkOf,
  type FetchLike, type KeyStore, type PrivateAddressAllowance, type ResolveHost, type LoginOptions, type LtiAuthenticateOptions, type ToolConfiguration,
} from '@tln/lti-v1p3'
import { pickerItems, type Catalogue, type CatalogueItem, type PickerCatalogue } from '../catalogue.ts'
import type { PendingDeepLinking, DeepLinkingStore } from '../deep-linking/deep-linking-store.ts'
import { LOCAL_ISSUER } from '../accounts/accounts.ts'
import { LtiToolError, RateLimitedError } from '../errors.ts'
import { randomId } from '../hash.ts'
import type { ToolLogger } from '../logger.ts'
import type { DbPlatformStore } from '../stores/platform-store.ts'
import type { DbLoginStateStore } from '../stores/login-state-store.ts'
import type { Session, SessionStore, LaunchSummary } from '../session/session-store.ts'
import type { TlnUser } from '../session/user-store.ts'
import { readCookie, readCookies, setSessionCookie } from './cookies.ts'
import { toolErrorHandler } from './error-page.ts'
import { notFromThisOrigin, sameOriginPost } from './fetch-metadata.ts'
import { toolPageHeaders } from './headers.ts'
import { landingPage, registrationDonePage } from './pages.ts'
import { csrfToken } from './session-token.ts'
import { itemPage, pickerPage } from './picker-page.ts'
import { STATIC_FILES } from './static-files.ts'
import { isLoopback } from '../admin/platform-form.ts'

/** What the passport strategy hands the launch route once a launch passed every check. */
export interface LaunchedUser {
  readonly user: TlnUser
  readonly launch: LaunchSummary
  readonly deepLinking: boolean
  /** A Deep Linking request: the picker's token and what the platform accepts. */
  readonly picker?: { readonly token: string; readonly multiple: boolean; readonly acceptsLinks: boolean; readonly catalogue: PickerCatalogue }
  /** A resource-link launch whose custom parameters name a catalogue item. */
  readonly item?: CatalogueItem
  /** A teacher's launch of a task item: their assignment (`tasks/`). */
  readonly assignmentId?: string
}

export interface ToolRouterDeps {
  readonly publicUrl: string
  readonly platforms: DbPlatformStore
  readonly loginStates: DbLoginStateStore
  readonly keys: KeyStore
  readonly sessions: SessionStore
  readonly passport: Pick<PassportStatic, 'authenticate'>
  readonly loginOptions: LoginOptions
  readonly toolConfiguration: ToolConfiguration
  readonly dynamicRegistration: 'pending' | 'active'
  readonly registrationTenant: string
  /** Counts each Dynamic Registration initiation per client address (`AddressRateLimit` of `@tln/lrs`): each one makes outbound requests. */
  readonly registrationLimit: { take(address: string | undefined): Promise<{ retryAfterS: number } | undefined> }
  readonly sessionTtlMs: number
  /** Keys the session-bound form (CSRF) tokens (`session-token.ts`): the framed menu's hand-off forms carry one. */
  readonly secret: Uint8Array
  readonly fetch?: FetchLike
  /** Private addresses a registering platform may be at (`LtiToolConfig.platformAllowPrivate`). */
  readonly platformAllowPrivate?: PrivateAddressAllowance
  /** Host name resolution of the registration's guarded fetch (tests). */
  readonly resolveHost?: ResolveHost
  readonly logger: ToolLogger
  /** Called on each login; the tool throttles it (expired rows cleanup). */
  readonly onLogin: () => void
  readonly deepLinking: DeepLinkingStore
  /** The tenant's modules and tasks (`catalogue.ts`): the picker's offer, and the item a link names. */
  readonly catalogue: Pick<Catalogue, 'forInstructorId' | 'item'>
  /** Sign the Deep Linking response for the chosen items (`deep-linking/answer-deep-linking.ts`). */
  readonly answerDeepLinking: (pending: PendingDeepLinking, chosen: readonly CatalogueItem[]) => Promise<{ html: string; action: string }>
  /** Performance tasks (`tasks/router.ts`): their routes, and the page a task item's launch shows. */
  readonly tasks?: {
    readonly router: Router
    launchPage(input: { user: TlnUser; launch: LaunchSummary; assignmentId?: string; sessionId: string; ticket: string }): Promise<string | undefined>
    itemPage(input: { session: Session; sessionId: string; key: string }): Promise<string | undefined>
  }
}

const TICKET_TTL_MS = 10 * 60_000
/**
 * How long a browser that passed the cookie check skips it (one redirect less per login). Its cookie
 * policy rarely changes; when it does, the launch-time cookie check still refuses the launch.
 */
const COOKIES_WORK_MAX_AGE_S = 30 * 24 * 3600

/**
 * The tool URLs, stable because they go into every LMS's configuration: `/lti/login` (GET and
 * POST, OIDC third-party initiated login), `/lti/launch/check` (the login's cookie check, before
 * the platform is asked), `/lti/launch` (redirect URI), `/lti/jwks`,
 * `/lti/register` (Dynamic Registration initiation), `/lti/config.json` (manual registration),
 * plus the landing page `/lti/home`, the session probe `/lti/session`, the new-window hand-off
 * `/lti/continue` and the static scripts under `/lti/static/`. Mount at `/lti`.
 */
export function toolRouter(deps: ToolRouterDeps): Router {
  const router = express.Router()
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 })
  const https = deps.publicUrl.startsWith('https:')
  const launchUrl = `${deps.publicUrl}/lti/launch`
  const cookieCheckUrl = `${launchUrl}/check`
  const loginPath = new URL(`${deps.publicUrl}/lti/login`).pathname
  // A tool on plain-http loopback is a developer's: only it may register a platform on loopback too.
  const developmentTool = isHttpLoopback(deps.publicUrl)
  const wrap = (handler: (req: Request, res: Response, next: NextFunction) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { handler(req, res, next).catch(next) }

  router.get('/static/:file', (req, res, next) => {
    const name = String(req.params.file)
    // Own keys only: `__proto__` or `constructor` names no file.
    const file = Object.hasOwn(STATIC_FILES, name) ? STATIC_FILES[name] : undefined
    if (file === undefined) return next()
    res.type(file.type).set('Cache-Control', 'public, max-age=3600').set('X-Content-Type-Options', 'nosniff').send(file.body)
  })

  const login = wrap(async (req, res) => {
    deps.onLogin()
    const input = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>
    await refusePending(deps.platforms, input)
    const request = await createLoginRequest(input ?? {}, deps.loginOptions)
    // Binds this login to this browser (login CSRF): the launch is accepted with this cookie or a platform-storage check.
    res.append('Set-Cookie', request.stateCookie.header)
    toolPageHeaders(res)
    if (request.platformStorage !== undefined) {
      await deps.loginStates.markPlatformStorage(request.state, request.platformStorage.target)
      res.type('html').send(renderPlatformStoragePage({
        mode: 'put', target: request.platformStorage.target, platformOrigin: request.platformStorage.platformOrigin,
        keys: request.platformStorage, next: request.redirectUrl, scriptSrc: '/lti/static/storage.js',
      }))
      return
    }
    if (cookiesWork(req.headers.cookie, launchUrl)) return void res.redirect(302, request.redirectUrl)
    // Test the state cookie before the platform sees the request: a platform may spend
    // lti_message_hint on it (Moodle does), so a browser that drops the cookie must be stopped here,
    // while "open in a new window" can still restart this very login.
    res.redirect(303, `${cookieCheckUrl}?${new URLSearchParams({ s: request.state }).toString()}`)
  })
  router.get('/login', login)
  router.post('/login', form, login)

  // Under the launch path, so the state cookie (Path=/lti/launch over http; Path=/ as `__Host-` over https)
  // reaches it with no wider path or second cookie. `s` is the state itself: the store keeps only its hash, and the authentication request needs
  // it; the browser sends it to the platform one hop later anyway, and without the cookie it is worthless.
  router.get('/launch/check', wrap(async (req, res) => {
    const state = typeof req.query.s === 'string' && req.query.s !== '' ? req.query.s : undefined
    if (state === undefined) throw new LtiError('ERR_LTI_STATE_MISSING', 'the cookie check needs the login id `s`')
    const { redirectUrl } = await resumeLoginRequest(state, req.headers.cookie, deps.loginOptions)
    res.append('Set-Cookie', cookiesWorkCookie(loginPath, launchUrl, COOKIES_WORK_MAX_AGE_S))
    toolPageHeaders(res)
    res.redirect(302, redirectUrl)
  }))

  router.post('/launch', form, wrap(async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const state = typeof body.state === 'string' ? body.state : undefined
    let platformStorageVerified = false
    // A platform-storage login whose state cookie came back is bound already: no check page needed.
    const saved = state !== undefined && (await deps.loginStates.usesPlatformStorage(state)) ? await deps.loginStates.find(state) : undefined
    if (state !== undefined && saved !== undefined && !stateCookieMatches(req.headers.cookie, state, saved.cookieHash, launchUrl)) {
      const token = typeof body.lti_storage_check === 'string' ? body.lti_storage_check : undefined
      if (token === undefined) {
        // LTI Client Side postMessage storage: read the state back from the platform's storage in
        // this browser before the launch is accepted (binds the launch to the browser without a cookie).
        const check = randomId()
        await deps.loginStates.setCheckToken(state, check)
        const stored = await deps.loginStates.storageTarget(state)
        const restart = loginRestart(saved)
        toolPageHeaders(res)
        // The continue form must carry its origin (see `sameOriginPost`); `no-referrer` would send `Origin: null`.
        res.set('Referrer-Policy', 'same-origin')
        res.type('html').send(renderPlatformStoragePage({
          mode: 'check', target: stored.target, platformOrigin: stored.origin, next: launchUrl, scriptSrc: '/lti/static/storage.js',
          keys: { stateKey: `state_${state}`, state, nonceKey: '', nonce: '' },
          fields: { id_token: typeof body.id_token === 'string' ? body.id_token : '', state, lti_storage_check: check },
          // If platform storage fails too, the same login can start again top-level (first-party cookie).
          ...(restart !== undefined && { restartUrl: `/lti/login?${new URLSearchParams(restart as Record<string, string>).toString()}` }),
        }))
        return
      }
      if (!(await deps.loginStates.checkTokenMatches(state, token))) throw new LtiToolError('ERR_TOOL_STORAGE_CHECK_FAILED', 'platform-storage check token does not match the login')
      // The token is in the check page's HTML, so whoever posted the first form can read it: only the
      // page's own same-origin submit proves that this browser's platform storage answered.
      if (!sameOriginPost(req, deps.publicUrl)) throw new LtiToolError('ERR_TOOL_STORAGE_CHECK_FAILED', 'platform-storage continue form was not posted by the tool\'s own page', { secFetchSite: req.headers['sec-fetch-site'], origin: req.headers.origin })
      platformStorageVerified = true
    }
    const options: LtiAuthenticateOptions = { session: false, platformStorageVerified }
    deps.passport.authenticate('lti', options, (error: unknown, launched: LaunchedUser | false) => {
      if (error) return next(error)
      if (!launched) return next(new LtiToolError('ERR_TOOL_BAD_REQUEST', 'launch refused'))
      void openSession(req, res, launched, state).catch(next)
    })(req, res, next)
  }))

  async function openSession(req: Request, res: Response, launched: LaunchedUser, state: string | undefined): Promise<void> {
    // The session this browser had in this cookie jar (another user's launch in the same LMS, say) stops working.
    const id = await deps.sessions.create(launched.user.id, launched.launch, deps.sessionTtlMs, readCookies(req, deps.sessions.cookieName))
    const ticket = await deps.sessions.createTicket(launched.user.id, launched.launch, TICKET_TTL_MS)
    setSessionCookie(res, id, { https, maxAgeS: Math.floor(deps.sessionTtlMs / 1000) })
    // The state is spent: its cookie goes too.
    if (state !== undefined) res.append('Set-Cookie', expiredStateCookie(state, launchUrl))
    toolPageHeaders(res)
    if (launched.picker !== undefined) {
      res.type('html').send(pickerPage({ ...launched.picker, ...(launched.launch.contextTitle !== undefined && { courseTitle: launched.launch.contextTitle }) }))
      return
    }
    if (launched.item?.kind === 'task' && deps.tasks !== undefined) {
      const html = await deps.tasks.launchPage({ user: launched.user, launch: launched.launch, sessionId: id, ticket, ...(launched.assignmentId !== undefined && { assignmentId: launched.assignmentId }) })
      if (html !== undefined) {
        res.type('html').send(html)
        return
      }
    }
    if (launched.item !== undefined) {
      res.type('html').send(itemPage(launched.item, launched.user.name ?? launched.user.email ?? launched.user.sub))
      return
    }
    // In the frame: the menu asks for a session hand-off to reach never-framed pages (`handoff-router.ts`).
    res.type('html').send(landingPage(launched, { ticket, csrf: csrfToken(deps.secret, id) }))
  }

  // Deep Linking 2.0 §4.5: the picker's choice → the signed response, form-posted to the platform.
  router.post('/deep-linking', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 60 }), wrap(async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const token = typeof body.request === 'string' ? body.request : ''
    const pending = token === '' ? undefined : await deps.deepLinking.find(token)
    if (pending === undefined) throw new LtiToolError('ERR_TOOL_TICKET_INVALID', 'deep-linking request unknown, answered or expired')
    const cancel = body.cancel !== undefined
    const ids = (Array.isArray(body.item) ? body.item : body.item === undefined ? [] : [body.item]).filter((v): v is string => typeof v === 'string')
    // The offer is read again: only what this instructor may pick now is accepted (a task deleted or out of scope meanwhile is refused).
    const catalogue = await deps.catalogue.forInstructorId(pending.userId)
    if (catalogue === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'the user of this deep-linking request is gone')
    const offered = new Map(pickerItems(catalogue).map((item) => [item.id, item]))
    const chosen = cancel ? [] : [...new Set(ids)].map((id) => offered.get(id))
    if (chosen.some((item) => item === undefined)) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'the picker sent an item TLN does not offer this user', { ids })
    const acceptsLinks = pending.settings.acceptTypes.includes('ltiResourceLink')
    const multiple = pending.settings.acceptMultiple !== false
    if (!cancel && (chosen.length === 0 || !acceptsLinks || (!multiple && chosen.length > 1))) {
      toolPageHeaders(res)
      res.status(400).type('html').send(pickerPage({
        token, multiple, acceptsLinks, catalogue,
        problem: !multiple && chosen.length > 1
          ? { id: 'LMS ini hanya menerima satu item. Pilih satu saja.', en: 'This LMS accepts one item only. Choose one.' }
          : { id: 'Pilih setidaknya satu modul atau tugas.', en: 'Choose at least one module or task.' },
      }))
      return
    }
    // Single use: a form posted twice answers the platform once.
    const consumed = await deps.deepLinking.consume(token)
    if (consumed === undefined) throw new LtiToolError('ERR_TOOL_TICKET_INVALID', 'deep-linking request answered meanwhile')
    const answer = await deps.answerDeepLinking(consumed, chosen as CatalogueItem[])
    deps.logger.info({ platformId: consumed.platformId, userId: consumed.userId, items: chosen.map((i) => i!.id) }, 'LTI deep-linking answered')
    toolPageHeaders(res, { formActionOrigins: [new URL(answer.action).origin] })
    res.type('html').send(answer.html)
  }))

  // An item's page for a signed-in session (the launch renders it directly: the cookie may not come back in the iframe).
  router.get('/items/:id', wrap(async (req, res) => {
    const session = await currentSession(req)
    const item = await deps.catalogue.item(session.user.tenantId, String(req.params.id))
    if (item === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such catalogue item')
    const taskPage = item.kind === 'task' && deps.tasks !== undefined
      ? await deps.tasks.itemPage({ session, sessionId: readCookie(req, deps.sessions.cookieName)!, key: item.id })
      : undefined
    toolPageHeaders(res)
    res.type('html').send(taskPage ?? itemPage(item, session.user.name ?? session.user.email ?? session.user.sub))
  }))

  router.get('/home', wrap(async (req, res) => {
    const session = await currentSession(req)
    // A local account's home is `/account`: its menu follows its grants, not an LMS role.
    if (session.user.issuer === LOCAL_ISSUER) { res.redirect(303, '/account'); return }
    // The new-window hand-off lands here top-level; every signed-in page links back here, inside
    // the LMS frame too (`Sec-Fetch-Dest: iframe`), where never-framed menu pages need the hand-off form.
    toolPageHeaders(res)
    const framed = req.headers['sec-fetch-dest'] === 'iframe'
    res.type('html').send(landingPage(session, framed ? { csrf: csrfToken(deps.secret, readCookie(req, deps.sessions.cookieName)!) } : {}))
  }))

  router.get('/session', wrap(async (req, res) => {
    const id = readCookie(req, deps.sessions.cookieName)
    const session = id === undefined ? undefined : await deps.sessions.find(id)
    res.set('Cache-Control', 'no-store').json(session === undefined ? { signedIn: false } : { signedIn: true, role: session.user.role })
  }))

  router.post('/continue', form, wrap(async (req, res) => {
    // Login CSRF: another site auto-posting the attacker's own ticket would sign the victim into the attacker's account.
    if (notFromThisOrigin(req)) throw new LtiToolError('ERR_TOOL_CSRF', 'new-window ticket not posted by a TLN page', { secFetchSite: req.headers['sec-fetch-site'] })
    const ticket = typeof req.body?.ticket === 'string' ? req.body.ticket : ''
    // In place of the session this top-level window had, which stops working (see `SessionStore.create`).
    const id = ticket === '' ? undefined : await deps.sessions.redeemTicket(ticket, deps.sessionTtlMs, readCookies(req, deps.sessions.cookieName))
    if (id === undefined) throw new LtiToolError('ERR_TOOL_TICKET_INVALID', 'new-window ticket unknown, used or expired')
    // Top-level now (a new window): a first-party cookie, which every browser keeps. Nothing
    // cross-site needs it, so it is Lax, not the framed launch's SameSite=None.
    setSessionCookie(res, id, { https, maxAgeS: Math.floor(deps.sessionTtlMs / 1000), crossSite: false })
    toolPageHeaders(res, { framing: 'none' })
    res.redirect(303, '/lti/home')
  }))

  router.get('/jwks', wrap(async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').set('Access-Control-Allow-Origin', '*').json(await toolJwks(deps.keys))
  }))

  router.get('/config.json', wrap(async (_req, res) => {
    const key = await deps.keys.current()
    const t = deps.toolConfiguration
    res.set('Cache-Control', 'no-store').json({
      title: t.clientName,
      description: t.description,
      target_link_uri: t.targetLinkUri,
      oidc_initiation_url: t.initiateLoginUri,
      redirect_uris: t.redirectUris,
      jwks_uri: t.jwksUri,
      public_jwk: key === undefined ? undefined : publicJwkOf(key),
      domain: new URL(t.targetLinkUri).host,
      deep_linking_url: t.deepLinkingUri ?? t.targetLinkUri,
      dynamic_registration_url: `${deps.publicUrl}/lti/register`,
      scopes: t.scopes,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'],
    })
  }))

  router.get('/register', wrap(async (req, res) => {
    const configUrl = typeof req.query.openid_configuration === 'string' && req.query.openid_configuration !== '' ? req.query.openid_configuration : undefined
    if (configUrl === undefined) {
      // The page names the parameter: someone opened the registration URL by hand, not from the LMS.
      throw new LtiError('ERR_LTI_REGISTRATION_INVALID_CONFIGURATION', 'registration initiation lacks openid_configuration (Dynamic Registration 1.0 §3.3)', {
        field: 'openid_configuration', problem: 'the registration was not started by an LMS: the openid_configuration parameter is missing (LTI DR 1.0 §3.3)',
      })
    }
    const token = typeof req.query.registration_token === 'string' ? req.query.registration_token : undefined
    // Anyone can reach this route and each call makes the tool fetch and post elsewhere: limited per address, before any request goes out.
    const limited = await deps.registrationLimit.take(req.ip)
    if (limited !== undefined) throw new RateLimitedError(limited.retryAfterS, 'too many registration initiations from this address')
    const registration = await startRegistration({
      openidConfigurationUrl: configUrl, tool: deps.toolConfiguration, allowHttpLoopback: developmentTool,
      ...(deps.platformAllowPrivate !== undefined && { allowPrivate: deps.platformAllowPrivate }),
      ...(token !== undefined && { registrationToken: token }), ...(deps.fetch !== undefined && { fetch: deps.fetch }),
      ...(deps.resolveHost !== undefined && { resolve: deps.resolveHost }),
    })
    const pending = deps.dynamicRegistration === 'pending'
    await deps.platforms.add({
      platform: registration.platform, deploymentIds: registration.deploymentId ? [registration.deploymentId] : [],
      tenant: deps.registrationTenant, status: deps.dynamicRegistration, registeredBy: 'dynamic',
    })
    deps.logger.info({ issuer: registration.platform.issuer, clientId: registration.platform.clientId, deploymentId: registration.deploymentId, status: deps.dynamicRegistration }, 'platform registered dynamically')
    toolPageHeaders(res)
    res.type('html').send(registrationDonePage({ issuer: registration.platform.issuer, clientId: registration.platform.clientId, ...(registration.deploymentId && { deploymentId: registration.deploymentId }), pending, ...(registration.configuration.productFamilyCode !== undefined && { productFamilyCode: registration.configuration.productFamilyCode }) }))
  }))

  async function currentSession(req: Request) {
    const id = readCookie(req, deps.sessions.cookieName)
    const session = id === undefined ? undefined : await deps.sessions.find(id)
    if (session === undefined) throw new LtiToolError('ERR_TOOL_NOT_SIGNED_IN', 'no live session cookie')
    return session
  }

  if (deps.tasks !== undefined) router.use(deps.tasks.router)
  router.use(toolErrorHandler(deps.logger))
  return router
}

/** A login for a registration that exists but waits for activation gets its own clear page. */
async function refusePending(platforms: DbPlatformStore, input: Record<string, unknown> | undefined): Promise<void> {
  const iss = input?.iss
  const clientId = input?.client_id
  if (typeof iss !== 'string' || typeof clientId !== 'string') return
  const record = await platforms.record(iss, clientId)
  if (record?.status === 'pending') throw new LtiToolError('ERR_TOOL_PLATFORM_PENDING', 'registration waits for activation', { iss, clientId })
}


/** A tool on plain-http loopback is a developer's: platforms on loopback are allowed too (registration, later requests). */
export function isHttpLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url)
  return protocol === 'http:' && isLoopback(hostname)
}
