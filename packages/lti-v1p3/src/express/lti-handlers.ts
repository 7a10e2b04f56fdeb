import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import { LtiError } from '../errors.ts'
import { toolJwks } from '../keys/tool-jwks.ts'
import type { LtiLaunch } from '../launch/lti-launch.ts'
import { validateLaunch, type LaunchOptions } from '../launch/validate-launch.ts'
import { createLoginRequest, type LoginOptions, type LoginRequest } from '../login/create-login-request.ts'
import { expiredStateCookie } from '../login/state-cookie.ts'
import type { KeyStore } from '../stores/key-store.ts'
import { LTI_ERROR_STATUS } from './error-status.ts'

export interface LtiHandlersOptions {
  readonly login: LoginOptions
  readonly launch: LaunchOptions
  readonly keys: KeyStore
  /** What to do with a valid launch: open a session, render, redirect. */
  readonly onLaunch: (launch: LtiLaunch, req: Request, res: Response, next: NextFunction) => void | Promise<void>
  /**
   * Render the platform-storage login page when the platform sent `lti_storage_target`
   * (`renderPlatformStoragePage`); without it the login always redirects, and the launch needs the
   * state cookie (these handlers do not run the platform-storage check page).
   */
  readonly onPlatformStorageLogin?: (login: LoginRequest, req: Request, res: Response) => void | Promise<void>
}

/**
 * Thin Express handlers for the tool URLs: `login` (GET and POST, Security Framework 1.0
 * §5.1.1.1; sets the state cookie), `launch` (POST, §5.1.1.3; bound to the browser by that
 * cookie), `jwks` (GET, §6.3), and `errors`, which maps `LtiError` codes through `LTI_ERROR_STATUS`. Handlers, not a Router, so the library has no runtime
 * dependency on express; mount them with the app's own router.
 */
export function createLtiHandlers(options: LtiHandlersOptions): { login: RequestHandler; launch: RequestHandler; jwks: RequestHandler; errors: ErrorRequestHandler } {
  return {
    login: (req, res, next) => {
      void (async () => {
        const input = req.method === 'POST' ? await readForm(req) : (req.query as Record<string, unknown>)
        const login = await createLoginRequest(input, options.login)
        res.append('Set-Cookie', login.stateCookie.header)
        if (login.platformStorage && options.onPlatformStorageLogin) return options.onPlatformStorageLogin(login, req, res)
        res.redirect(302, login.redirectUrl)
      })().catch(next)
    },
    launch: (req, res, next) => {
      void (async () => {
        const form = await readForm(req)
        const launch = await validateLaunch(form, options.launch, { cookieHeader: req.headers.cookie })
        // The state is spent: its cookie goes too.
        res.append('Set-Cookie', expiredStateCookie(String(form.state), options.login.redirectUri))
        await options.onLaunch(launch, req, res, next)
      })().catch(next)
    },
    jwks: (_req, res, next) => {
      toolJwks(options.keys).then((jwks) => { res.set('cache-control', 'public, max-age=300').json(jwks) }, next)
    },
    errors: (error: unknown, _req, res, next) => {
      if (!(error instanceof LtiError)) return next(error)
      const status = LTI_ERROR_STATUS[error.code]
      res.status(status).json({ error: error.code, message: status < 500 ? error.message : 'The learning platform could not be reached.' })
    },
  }
}

/** The urlencoded form body: `req.body` if a parser ran, else read from the stream (64 KiB cap). */
async function readForm(req: Request): Promise<Record<string, unknown>> {
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object') return req.body as Record<string, unknown>
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 65_536) throw new LtiError('ERR_LTI_MISSING_ID_TOKEN', 'launch form too large')
    chunks.push(chunk)
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
}
