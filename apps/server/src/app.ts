import express, { type Express, type Router } from 'express'
import type { Db } from '@tln/db'
import type { Lrs } from '@tln/lrs'
import type { Config } from './config.ts'
import { lastErrorHandler, notFound } from './http/fallback.ts'
import { methodNotAllowed } from './http/method-not-allowed.ts'
import { compressAnswers } from './http/compression.ts'
import { mountHealth } from './http/health.ts'
import { LANDING_STYLE_HASH, landingPage } from './http/landing-page.ts'
import { requestLog } from './http/request-log.ts'
import { refuseNulInForm, refuseNulInUrl, refuseOversizeBody } from './http/request-guard.ts'
import { securityHeaders } from './http/security-headers.ts'
import { mountXapiProfile } from './http/xapi-profile.ts'
import type { Logger } from './logger.ts'

/**
 * Bodies announced over this (or over `TLN_BODY_LIMIT`, if larger) are refused unread. No tool
 * route takes more than 10 MB plus 64 KB of form fields; each route still answers its own 413
 * with its own message up to here, reading and discarding at most this much.
 */
const UNREAD_BODY_LIMIT = 32 * 1024 * 1024

/** The largest HTML form a TLN page posts (the organisation CSV import, 2 MB): form bodies up to this are checked for NUL. */
const FORM_SCAN_LIMIT = 2 * 1024 * 1024

export interface AppOptions {
  config: Config
  db: Db
  logger: Logger
  /** The LRS, wired by the composition root (`main.ts`); its router is mounted at `/xapi`. */
  lrs: Lrs
  /** The public base URL, as `resolvePublicUrl` gives it. */
  publicUrl: string
  /** True once shutdown has begun (readiness then fails). */
  draining?: () => boolean
  /** The LTI tool's router (`lti/mount-lti.ts`), mounted at `/lti` when given. */
  lti?: Router
  /** The local-account pages (`/login`, `/invite/…`, `/logout`, `/account`; `LtiTool.accountRouter`), mounted at the root when given. */
  accounts?: Router
  /** Competence reports (`LtiTool.reportsRouter` at `/reports`, `reportsApiRouter` at `/api/reports`), mounted when given. */
  reports?: { pages: Router; api: Router }
  /** Open Badges and the read-only CASE endpoints (`/badges/…`, `/ims/case/v1p0/…`; `mountBadges`), mounted at the root when given. */
  badges?: Router
  /** The demo LMS (`demo-lms/`), mounted at `/demo/lms` only by `tln serve --demo`. */
  demoLms?: Router
}

/**
 * The HTTP application: request log and security headers around every route, health probes,
 * the landing page, the LRS at `/xapi`, then JSON 405 (a path known under other methods) or 404
 * and the last error handler. No state of
 * its own: everything lives in the database, so several processes behind a load balancer
 * behave as one (ARCHITECTURE.md, "The server is stateless").
 */
export function createApp(options: AppOptions): Express {
  const { db, logger, lrs, publicUrl } = options
  const app = express()
  app.disable('x-powered-by')
  // The client address (`req.ip`) counts failed authentications: trust X-Forwarded-For only from the proxies the operator named.
  if (options.config.trustProxy !== undefined) app.set('trust proxy', options.config.trustProxy)
  app.use(requestLog(logger))
  app.use(securityHeaders({ styleHashes: [LANDING_STYLE_HASH], https: publicUrl.startsWith('https:') }))
  // gzip/Brotli by Accept-Encoding; the statement export flushed per chunk, multipart xAPI answers never (`http/compression.ts`).
  app.use(compressAnswers())
  // Hostile input every route would otherwise meet on its own: NUL in the URL, a body over every limit.
  app.use(refuseNulInUrl)
  app.use(refuseOversizeBody(Math.max(options.config.bodyLimit, UNREAD_BODY_LIMIT)))
  mountHealth(app, { knex: db.knex, logger, draining: options.draining ?? (() => false) })
  app.get('/', landingPage(publicUrl))
  // Browsers ask every site for /favicon.ico; a 404 there is a console error on the first page of every visit.
  // TLN has no icon: answer "no content", cached for a day, so the browser stops asking.
  app.get('/favicon.ico', (_req, res) => { res.status(204).set('Cache-Control', 'public, max-age=86400').end() })
  mountXapiProfile(app)
  app.use('/xapi', lrs.router)
  // The pages' forms: a NUL in a field is refused naming the field, before a route reads it (the LRS above validates its own input).
  app.use(refuseNulInForm(FORM_SCAN_LIMIT))
  if (options.lti !== undefined) app.use('/lti', options.lti)
  if (options.accounts !== undefined) app.use(options.accounts)
  if (options.reports !== undefined) app.use('/reports', options.reports.pages).use('/api/reports', options.reports.api)
  if (options.badges !== undefined) app.use(options.badges)
  if (options.demoLms !== undefined) app.use('/demo/lms', options.demoLms)
  app.use('/api/export', lrs.exportRouter)
  app.use('/api/admin/forwarding', lrs.forwardingRouter)
  // A path the routes have under other methods: 405 with Allow (RFC 9110 §15.5.6); any other path: 404.
  app.use(methodNotAllowed(app))
  app.use(notFound)
  app.use(lastErrorHandler(logger))
  return app
}
