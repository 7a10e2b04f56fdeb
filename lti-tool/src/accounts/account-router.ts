import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import passport from 'passport'
import passportLocal from 'passport-local'
import { LtiToolError } from '../errors.ts'
import { readCookie, readCookies, setSessionCookie } from '../http/cookies.ts'
import { toolErrorHandler, TOOL_ERROR_STATUS } from '../http/error-page.ts'
import { navigation } from '../http/pages.ts'
import type { ToolLogger } from '../logger.ts'
import { accessOf } from '../org/grant-guard.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { SessionStore } from '../session/session-store.ts'
import { accountPage, accountPageHeaders, invitePage, loginPage, messagePage } from './account-pages.ts'
import { LOCAL_ISSUER, type Accounts, type LoginOutcome } from './accounts.ts'
import type { Csrf } from './csrf.ts'

export interface AccountRouterDeps {
  readonly accounts: Accounts
  readonly sessions: SessionStore
  readonly org: OrgStore
  readonly csrf: Csrf
  readonly https: boolean
  readonly sessionTtlMs: number
  readonly logger: ToolLogger
}

const LOCKED = { id: 'Terlalu banyak percobaan masuk yang gagal. Akun dikunci sementara; coba lagi 15 menit lagi.', en: 'Too many failed sign-ins. The account is locked for a while; try again in 15 minutes.' }
const WRONG = { id: 'Email atau kata sandi salah.', en: 'Wrong e-mail or password.' }
const LINK_INVALID = { id: 'Tautan undangan ini tidak dikenal, sudah dipakai, atau kedaluwarsa. Minta administrator TLN mengirim tautan baru.', en: 'This invitation link is unknown, used or expired. Ask a TLN administrator for a new one.' }

/**
 * Sign-in for local accounts, mounted at the root: `/login` (GET form, POST through
 * passport-local), `/invite/<token>` (choose a password; single use), `/logout` (POST) and
 * `/account`. Every form carries the CSRF token (`csrf.ts`); a post without it is refused with
 * 403 before anything else happens. A successful sign-in opens the same database session as an
 * LTI launch (`SessionStore`), with the same cookie.
 */
export function accountRouter(deps: AccountRouterDeps): Router {
  const router = express.Router()
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 })
  const wrap = (handler: (req: Request, res: Response, next: NextFunction) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { handler(req, res, next).catch(next) }
  const requireCsrf = (req: Request, _res: Response, next: NextFunction) => {
    next(deps.csrf.valid(req) ? undefined : new LtiToolError('ERR_TOOL_CSRF', 'form without a valid CSRF token'))
  }

  // A Passport of its own (STYLE.md rule 8); the verify step is `Accounts.login`.
  const instance = new passport.Passport()
  instance.use('local', new passportLocal.Strategy(
    { usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false },
    (req, email, password, done) => {
      deps.accounts.login(email, password, addressOf(req)).then(
        (outcome) => {
          if (outcome.ok) return done(null, outcome as unknown as Express.User)
          const info = { message: outcome.code, ...outcome }
          done(null, false, info)
        },
        (error: unknown) => done(error),
      )
    },
  ))

  const openSession = async (req: Request, res: Response, outcome: LoginOutcome & { ok: true }) => {
    // In place of the session this browser had (a colleague's, on a shared computer), which stops working.
    const id = await deps.sessions.create(outcome.user.id, { issuer: LOCAL_ISSUER, deploymentId: 'local', role: outcome.role }, deps.sessionTtlMs, readCookies(req, deps.sessions.cookieName))
    setSessionCookie(res, id, { https: deps.https, maxAgeS: Math.floor(deps.sessionTtlMs / 1000), crossSite: false })
  }

  router.get('/login', (req, res) => {
    accountPageHeaders(res)
    res.type('html').send(loginPage({ csrf: deps.csrf.token(req, res) }))
  })

  router.post('/login', form, requireCsrf, (req, res, next) => {
    instance.authenticate('local', { session: false }, (error: unknown, outcome: (LoginOutcome & { ok: true }) | false, info: unknown) => {
      if (error) return next(error)
      if (outcome === false) {
        const failure = info as Partial<LoginOutcome & { ok: false }> | undefined
        const code = failure?.code ?? 'ERR_TOOL_LOGIN_FAILED'
        const email = typeof req.body?.email === 'string' ? req.body.email.slice(0, 200) : ''
        deps.logger.debug({ code, address: addressOf(req) }, 'local sign-in refused')
        accountPageHeaders(res)
        res.status(TOOL_ERROR_STATUS[code]).set('X-TLN-Error', code).type('html')
          .send(loginPage({ csrf: deps.csrf.token(req, res), email, problem: code === 'ERR_TOOL_ACCOUNT_LOCKED' ? LOCKED : WRONG }))
        return
      }
      openSession(req, res, outcome).then(() => {
        deps.logger.info({ userId: outcome.user.id, accountId: outcome.account.id }, 'local sign-in')
        res.redirect(303, '/account')
      }, next)
    })(req, res, next)
  })

  router.get('/invite/:token', wrap(async (req, res) => {
    const token = String(req.params.token)
    const account = await deps.accounts.invitation(token)
    accountPageHeaders(res)
    if (account === undefined) {
      res.status(401).set('X-TLN-Error', 'ERR_TOOL_TICKET_INVALID').type('html').send(messagePage('Tautan tidak berlaku', LINK_INVALID))
      return
    }
    res.type('html').send(invitePage({ csrf: deps.csrf.token(req, res), token, name: account.name, email: account.email }))
  }))

  router.post('/invite', form, requireCsrf, wrap(async (req, res) => {
    const body = req.body as Record<string, unknown>
    const token = typeof body.token === 'string' ? body.token : ''
    const password = typeof body.password === 'string' ? body.password : ''
    const account = token === '' ? undefined : await deps.accounts.invitation(token)
    accountPageHeaders(res)
    if (account === undefined) {
      res.status(401).set('X-TLN-Error', 'ERR_TOOL_TICKET_INVALID').type('html').send(messagePage('Tautan tidak berlaku', LINK_INVALID))
      return
    }
    const again = (problem: { id: string; en: string }) => {
      res.status(400).set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST').type('html').send(invitePage({ csrf: deps.csrf.token(req, res), token, name: account.name, email: account.email, problem }))
    }
    if (password !== body.password2) return again({ id: 'Kedua kata sandi tidak sama.', en: 'The two passwords differ.' })
    try {
      const outcome = await deps.accounts.acceptInvitation(token, password)
      await openSession(req, res, outcome)
      deps.logger.info({ accountId: outcome.account.id }, 'invitation accepted')
      res.redirect(303, '/account')
    } catch (error) {
      if (error instanceof LtiToolError && error.code === 'ERR_TOOL_BAD_REQUEST') return again({ id: 'Kata sandi terlalu pendek atau terlalu panjang (10–200 karakter).', en: 'The password is too short or too long (10–200 characters).' })
      if (error instanceof LtiToolError && error.code === 'ERR_TOOL_TICKET_INVALID') {
        res.status(401).set('X-TLN-Error', error.code).type('html').send(messagePage('Tautan tidak berlaku', LINK_INVALID))
        return
      }
      throw error
    }
  }))

  router.post('/logout', form, requireCsrf, wrap(async (req, res) => {
    const id = readCookie(req, deps.sessions.cookieName)
    if (id !== undefined) await deps.sessions.delete(id)
    res.append('Set-Cookie', `${deps.sessions.cookieName}=; Path=/; HttpOnly; Max-Age=0${deps.https ? '; SameSite=Lax; Secure' : '; SameSite=Lax'}`)
    // A session opened by an LTI launch lives in the partitioned cookie jar: clear that one too.
    if (deps.https) res.append('Set-Cookie', `${deps.sessions.cookieName}=; Path=/; HttpOnly; Max-Age=0; SameSite=None; Secure; Partitioned`)
    res.redirect(303, '/login')
  }))

  router.get('/account', wrap(async (req, res) => {
    const id = readCookie(req, deps.sessions.cookieName)
    const session = id === undefined ? undefined : await deps.sessions.find(id)
    if (session === undefined) {
      res.redirect(303, '/login')
      return
    }
    const { person, grants } = await accessOf(deps.org, session.user)
    const named = await Promise.all(grants.map(async (g) => {
      const node = g.nodeId === undefined ? undefined : await deps.org.node(session.user.tenantId, g.nodeId)
      return { role: g.role, ...(node !== undefined && { node: `${node.name} (${node.code})` }) }
    }))
    accountPageHeaders(res)
    res.type('html').send(accountPage({
      csrf: deps.csrf.token(req, res), name: person?.name ?? session.user.name ?? session.user.sub,
      ...(session.user.email !== undefined && { email: session.user.email }), grants: named, menu: navigation({ grants }),
    }))
  }))

  // The sign-in pages are never framed (`accountPageHeaders`), and neither are their errors.
  router.use(toolErrorHandler(deps.logger, { framing: 'none' }))
  return router
}

/** The client's address as Express sees it (`trust proxy` decides whether forwarded headers count). */
function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown'
}
