import { checkScore, checkTokenRequest, MEDIA_TYPE, SCOPE, toolJwks, type KeyStore } from '@tln/lti-v1p3'
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express'
import type { Logger } from '../logger.ts'
import type { DemoCourseStore, DemoLineItem } from './demo-lms-course.ts'
import { DEMO_COURSE, lisRole } from './demo-lms-people.ts'
import type { DemoLms } from './demo-lms-setup.ts'
import { formParams } from './request-checks.ts'
import { readResultsQuery } from './results-query.ts'

/** What the demo LMS grants the tool: AGS (AGS 2.0 §3.1) and NRPS (NRPS 2.0 §3.6.1). */
export const DEMO_LMS_SCOPES = [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score, SCOPE.membershipReadOnly] as const
/** Lifetime of an access token it issues (RFC 6749 §5.1 `expires_in`). */
const TOKEN_TTL_S = 3600
/** The largest line item id (`demo_lms_line_item.id` is a PostgreSQL `integer`). */
const MAX_LINE_ITEM_ID = 2_147_483_647

/** The service URLs of the demo LMS, named in launches' AGS and NRPS claims. */
export const serviceUrls = (issuer: string) => ({
  token: `${issuer}/token`,
  lineItems: `${issuer}/lineitems`,
  lineItem: (id: number) => `${issuer}/lineitems/${id}`,
  memberships: `${issuer}/memberships`,
})

/**
 * The demo LMS's LTI Advantage services: the token endpoint (Security Framework 1.0 §4.1, checks in
 * `@tln/lti-v1p3`'s `checkTokenRequest`), AGS 2.0 line items, scores and results (one user's with
 * `user_id`, paged by `limit` with `Link: rel="next"`, §3.3), and NRPS 2.0 memberships of the one
 * course. Every service request needs a bearer token it issued with the service's scope: 401
 * without one (RFC 6750 §3.1 `invalid_token`), 403 with too few scopes (`insufficient_scope`).
 * Bad bodies and query parameters are 400 naming the field.
 */
export function demoLmsServices(deps: { lms: DemoLms; course: DemoCourseStore; toolKeys: KeyStore; logger: Logger; now: () => number }): Router {
  const { lms, course, logger, now } = deps
  const urls = serviceUrls(lms.issuer)
  const router = express.Router()

  router.post('/token', (req, res, next) => {
    void (async () => {
      const form = formParams(req.body)
      const checked = await checkTokenRequest(form, {
        clientId: lms.clientId, tokenEndpoint: urls.token, toolJwks: await toolJwks(deps.toolKeys), scopes: DEMO_LMS_SCOPES, now: now(),
        consumeJti: (jti, expiresAt) => course.consumeJti(jti, expiresAt),
      })
      res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache')
      if (!checked.ok) {
        logger.debug(checked.problem, 'demo LMS: token request refused')
        res.status(checked.problem.status).json({ error: checked.problem.error, error_description: checked.problem.errorDescription })
        return
      }
      const accessToken = await course.issueToken(checked.scopes, TOKEN_TTL_S, now())
      res.json({ access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL_S, scope: checked.scopes.join(' ') })
    })().catch(next)
  })

  /** A bearer token with one of `scopes` (RFC 6750 §3.1), else 401 / 403 with the RFC's error codes. */
  const needs = (...scopes: string[]) => (req: Request, res: Response, next: NextFunction) => {
    const token = /^Bearer (\S+)$/iu.exec(req.get('authorization') ?? '')?.[1]
    void (async () => {
      const granted = token === undefined ? undefined : await course.tokenScopes(token, now())
      if (granted === undefined) {
        res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').json({ error: 'invalid_token', error_description: 'a bearer token from the demo LMS\'s token endpoint is required' })
        return
      }
      if (!scopes.some((s) => granted.includes(s))) {
        res.status(403).set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`).json({ error: 'insufficient_scope', error_description: `needs ${scopes.join(' or ')}` })
        return
      }
      next()
    })().catch(next)
  }
  const bad = (res: Response, field: string, rule: string, message: string) => { res.status(400).json({ error: 'invalid_request', field, rule, message }) }
  const lineItemJson = (li: DemoLineItem) => ({
    id: urls.lineItem(li.id), label: li.label, scoreMaximum: li.scoreMaximum,
    ...(li.resourceLinkId !== undefined && { resourceLinkId: li.resourceLinkId }), ...(li.resourceId !== undefined && { resourceId: li.resourceId }), ...(li.tag !== undefined && { tag: li.tag }),
  })
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => { fn(req, res).catch(next) }
  /** The line item of `:id`, or a 404: an id is the decimal number `lineItems` gave, within the column's range (PostgreSQL `integer`). */
  const lineItemOf = async (req: Request, res: Response) => {
    const id = /^[1-9]\d{0,9}$/u.test(String(req.params.id)) ? Number(req.params.id) : Number.NaN
    const li = id <= MAX_LINE_ITEM_ID ? await course.lineItem(id) : undefined
    if (li === undefined) res.status(404).json({ error: 'not_found', message: 'no such line item in this course' })
    return li
  }
  const readable = needs(SCOPE.lineItem, SCOPE.lineItemReadOnly)
  const json = express.json({ limit: '16kb', type: ['application/json', MEDIA_TYPE.lineItem] })

  // AGS 2.0 §3.2: the course's line item container.
  router.get('/lineitems', readable, wrap(async (req, res) => {
    const q = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined)
    const items = await course.lineItems({
      ...(q('resource_link_id') !== undefined && { resourceLinkId: q('resource_link_id')! }), ...(q('resource_id') !== undefined && { resourceId: q('resource_id')! }), ...(q('tag') !== undefined && { tag: q('tag')! }),
    })
    res.type(MEDIA_TYPE.lineItemContainer).send(JSON.stringify(items.map(lineItemJson)))
  }))
  router.post('/lineitems', needs(SCOPE.lineItem), json, wrap(async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>
    if (typeof b.label !== 'string' || b.label.trim() === '') return bad(res, 'label', 'AGS 2.0 §3.2.7', 'label is required')
    if (typeof b.scoreMaximum !== 'number' || !(b.scoreMaximum > 0) || !Number.isFinite(b.scoreMaximum)) return bad(res, 'scoreMaximum', 'AGS 2.0 §3.2.8', 'scoreMaximum must be a number > 0')
    for (const f of ['resourceLinkId', 'resourceId', 'tag'] as const) if (b[f] !== undefined && typeof b[f] !== 'string') return bad(res, f, 'AGS 2.0 §3.2', `${f} must be a string`)
    if (typeof b.resourceLinkId === 'string' && (await course.activity(b.resourceLinkId)) === undefined) return bad(res, 'resourceLinkId', 'AGS 2.0 §3.2.9', 'no such resource link in this course')
    const li = await course.createLineItem({
      label: b.label, scoreMaximum: b.scoreMaximum,
      ...(typeof b.resourceLinkId === 'string' && { resourceLinkId: b.resourceLinkId }), ...(typeof b.resourceId === 'string' && { resourceId: b.resourceId }), ...(typeof b.tag === 'string' && { tag: b.tag }),
    })
    res.status(201).type(MEDIA_TYPE.lineItem).send(JSON.stringify(lineItemJson(li)))
  }))
  router.get('/lineitems/:id', readable, wrap(async (req, res) => {
    const li = await lineItemOf(req, res)
    if (li !== undefined) res.type(MEDIA_TYPE.lineItem).send(JSON.stringify(lineItemJson(li)))
  }))

  // AGS 2.0 §3.4: a score for a user; the latest becomes the user's result.
  router.post('/lineitems/:id/scores', needs(SCOPE.score), express.json({ limit: '16kb', type: () => true }), wrap(async (req, res) => {
    if (!req.is(MEDIA_TYPE.score)) return bad(res, 'Content-Type', 'AGS 2.0 §3.4', `the score must be sent as ${MEDIA_TYPE.score}`)
    const li = await lineItemOf(req, res)
    if (li === undefined) return
    const checked = checkScore(req.body)
    if (!checked.ok) return bad(res, checked.problem.field, checked.problem.rule, checked.problem.message)
    if (!lms.people.some((p) => p.sub === checked.score.userId)) return bad(res, 'userId', 'AGS 2.0 §3.4.1', 'not a member of this course')
    await course.putScore(li.id, checked.score)
    logger.info({ lineItem: li.id, userId: checked.score.userId, scoreGiven: checked.score.scoreGiven }, 'demo LMS: score received')
    res.status(204).end()
  }))

  // AGS 2.0 §3.3 (result service): the line item's results, only one user's with `user_id`, at most
  // `limit` a page; the rest behind `Link: <…>; rel="next"` (as the line item container pages, §3.2.3).
  router.get('/lineitems/:id/results', needs(SCOPE.resultReadOnly), wrap(async (req, res) => {
    const li = await lineItemOf(req, res)
    if (li === undefined) return
    const read = readResultsQuery(new URL(req.originalUrl, lms.issuer).searchParams)
    if (!read.ok) return bad(res, read.problem.field, read.problem.rule, read.problem.message)
    const query = read.query
    const page = await course.resultsPage(li.id, query)
    const results = page.scores.map((s) => ({
      id: `${urls.lineItem(li.id)}/results/${encodeURIComponent(s.userId)}`, scoreOf: urls.lineItem(li.id), userId: s.userId,
      ...(s.scoreGiven !== undefined && { resultScore: s.scoreGiven, resultMaximum: s.scoreMaximum ?? li.scoreMaximum }), ...(s.comment !== undefined && { comment: s.comment }),
    }))
    if (page.more) {
      const next = new URLSearchParams({
        ...(query.userId !== undefined && { user_id: query.userId }), ...(query.limited && { limit: String(query.limit) }), after: page.scores.at(-1)!.userId,
      })
      res.set('Link', `<${urls.lineItem(li.id)}/results?${next}>; rel="next"`)
    }
    res.type(MEDIA_TYPE.resultContainer).send(JSON.stringify(results))
  }))

  // NRPS 2.0 §2.2: the course's members, all active, in one page.
  router.get('/memberships', needs(SCOPE.membershipReadOnly), (_req, res) => {
    const members = lms.people.map((p) => ({
      user_id: p.sub, roles: [lisRole(p)], status: 'Active', name: p.name, email: `${p.externalId}@demo.tln.example`,
    }))
    res.type(MEDIA_TYPE.membershipContainer).send(JSON.stringify({ id: urls.memberships, context: { id: DEMO_COURSE.id, label: DEMO_COURSE.label, title: DEMO_COURSE.title }, members }))
  })

  router.use(unreadableBody(logger))
  return router
}

/**
 * A body the parsers could not read (malformed JSON, over the size limit, an unknown charset or
 * encoding) answered like the services' other bad requests, as JSON naming the body and the rule,
 * rather than by the server's last error handler. Errors without a client status go on to it.
 */
function unreadableBody(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    const { status, type, message } = error as { status?: unknown; type?: unknown; message?: unknown }
    if (typeof status !== 'number' || status < 400 || status >= 500 || typeof type !== 'string' || res.headersSent) { next(error); return }
    logger.debug({ status, type }, 'demo LMS: unreadable body')
    const rule = type === 'entity.parse.failed' ? 'RFC 8259 (JSON)' : type === 'entity.too.large' ? 'demo LMS body limit' : 'RFC 9110 §8.3–8.4'
    res.status(status).json({ error: 'invalid_request', field: '(body)', rule, message: String(message) })
  }
}
