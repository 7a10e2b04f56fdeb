import {
  BadgeError, badgeUrls, issuerJwks, issuerProfile, isBadgeId, OB_V3_CONTEXT, signCredential, statusListCredential, verifyBadge,
  type BadgeErrorCode, type BadgeRecord, type BadgeStore, type ClrIssuer, type IssuerInfo, type IssuerKeyStore,
} from '@tln/competence'
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import { badgePage, BADGE_PAGE_CSP } from './badge-page.ts'
import type { LearnerAccess } from './clr-access.ts'

export interface BadgesRouterOptions {
  readonly badges: BadgeStore
  /** Public keys always; with the secret it also signs the revocation list as a VC-JWT. */
  readonly keys: IssuerKeyStore
  readonly canSign: boolean
  readonly publicUrl: string
  /** The deployment's IANA zone (`TLN_TIME_ZONE`): the badge page dates on its calendar. */
  readonly timeZone: string
  readonly clock?: () => Date
  /**
   * CLR 2.0 transcripts: made and signed on request (needs the secret) for a signed-in viewer who
   * may read the learner (`learnerAccess`); without them `/badges/clr/…` is not served.
   */
  readonly clr?: { readonly issuer: ClrIssuer; readonly access: LearnerAccess; readonly logger: { info(object: object, message: string): void } }
}

/** The one error → status table of the badge routes (STYLE.md rule 3). */
const STATUS: Record<BadgeErrorCode, number> = {
  ERR_BADGE_INVALID_ID: 400,
  ERR_BADGE_NOT_FOUND: 404,
  ERR_BADGE_ISSUER_NOT_FOUND: 404,
  ERR_BADGE_SEALED_KEY_INVALID: 500,
  ERR_BADGE_KEY_RETIRED: 500,
  ERR_BADGE_CLR_EMPTY: 404,
  ERR_BADGE_NOT_SIGNED_IN: 401,
  ERR_BADGE_FORBIDDEN: 403,
  ERR_BADGE_INVALID_JWT: 400,
}

const JSON_LD_TYPES = ['application/ld+json', 'application/vc+ld+json', 'application/json'] as const

/**
 * Public badge URLs, no sign-in (issue 6: "downloadable and verifiable at a public URL"):
 * - `GET /badges/:id`: HTML page, or the credential as JSON-LD by `Accept` (`application/ld+json`,
 *   `application/vc+ld+json`, `application/json`); `/badges/:id.json` and `/badges/:id.jwt` download;
 * - `GET /badges/:id/verify`: every verification check, named;
 * - `GET /badges/issuer/:tenant` (OB 3.0 Profile), `/jwks` (the keys `kid` dereferences to),
 *   `GET /badges/revocations/:tenant` (the Bitstring Status List; VC-JWT by `Accept`);
 * - with `clr`: `GET /badges/clr/:learnerKey` (URL-encoded xAPI actor key), signed in: the
 *   learner's CLR 2.0 ClrCredential as a VC-JWT download, or as JSON-LD by `Accept`; and
 *   `POST /badges/clr/verify` (body: the VC-JWT), public: every verification check, named.
 */
export function badgesRouter(options: BadgesRouterOptions): Router {
  const { badges, keys, publicUrl } = options
  const now = options.clock ?? (() => new Date())
  const router = Router()

  const issuerOf = async (slug: string): Promise<IssuerInfo> => {
    const issuer = await badges.issuerBySlug(slug)
    if (issuer === undefined) throw new BadgeError('ERR_BADGE_ISSUER_NOT_FOUND', `no badge issuer "${slug}"`, 'tenant')
    return issuer
  }
  const jwksOf = async (issuer: IssuerInfo) => issuerJwks(publicUrl, issuer.slug, await keys.publicKeys(issuer.tenantId))
  const badgeOf = async (id: string): Promise<BadgeRecord> => {
    if (!isBadgeId(id)) throw new BadgeError('ERR_BADGE_INVALID_ID', 'the badge id must be a UUID (e.g. /badges/3b241101-e2bb-4255-8caf-4136c566a962)', 'id')
    const badge = await badges.find(id)
    if (badge === undefined) throw new BadgeError('ERR_BADGE_NOT_FOUND', `no badge ${id}`, 'id')
    return badge
  }
  const verify = async (badge: BadgeRecord) => {
    const issuer = (await badges.issuer(badge.tenantId))!
    return verifyBadge(badge, await jwksOf(issuer), now())
  }

  if (options.clr !== undefined) {
    const { issuer: clrIssuer, access, logger } = options.clr
    // Registered before `/badges/:id/verify`, which would take `/badges/clr/verify` for a badge id.
    router.post('/badges/clr/verify', express.text({ type: ['application/vc+jwt', 'application/jwt', 'text/plain'], limit: '4mb' }), handle(async (req, res) => {
      const jwt = typeof req.body === 'string' ? req.body.trim() : ''
      if (jwt === '') throw new BadgeError('ERR_BADGE_INVALID_JWT', 'POST the ClrCredential VC-JWT as the body, Content-Type application/vc+jwt', 'body')
      res.set('Cache-Control', 'no-store').json(await clrIssuer.verify(jwt))
    }))
    router.get('/badges/clr/:learnerKey', handle(async (req, res) => {
      const learnerKey = String(req.params.learnerKey)
      clrIssuer.checkLearnerKey(learnerKey)
      const reader = await access(req, learnerKey)
      const { credential, jwt } = await clrIssuer.issue(reader.tenantId, learnerKey)
      // Who pulled whose records (DOMAIN.md, "Privacy": audit who viewed or pulled whose records).
      logger.info({ userId: reader.userId, tenantId: reader.tenantId, learnerKey, clr: credential.id }, 'CLR downloaded')
      res.set('Cache-Control', 'no-store').vary('Accept')
      const wanted = req.accepts(['application/vc+jwt', 'application/jwt', ...JSON_LD_TYPES])
      if (wanted !== false && wanted !== 'application/vc+jwt' && wanted !== 'application/jwt') {
        res.type(wanted).send(JSON.stringify(credential, null, 2))
        return
      }
      // attachment() first: it sets the type from the file name, which says nothing of a .jwt.
      res.attachment(`clr-${credential.validFrom.slice(0, 10)}.jwt`).type('application/vc+jwt').send(jwt)
    }))
  }

  router.get('/badges/issuer/:tenant', handle(async (req, res) => {
    const issuer = await issuerOf(String(req.params.tenant))
    res.type('application/ld+json').set('Cache-Control', 'public, max-age=300')
    res.send(JSON.stringify({ '@context': [OB_V3_CONTEXT], ...issuerProfile(issuer, publicUrl) }))
  }))

  router.get('/badges/issuer/:tenant/jwks', handle(async (req, res) => {
    const jwks = await jwksOf(await issuerOf(String(req.params.tenant)))
    res.type('application/jwk-set+json').set('Cache-Control', 'public, max-age=300').send(JSON.stringify(jwks))
  }))

  router.get('/badges/revocations/:tenant', handle(async (req, res) => {
    const issuer = await issuerOf(String(req.params.tenant))
    const urls = badgeUrls(publicUrl, issuer.slug)
    const validFrom = new Date(Math.floor(now().getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
    const list = statusListCredential({ url: urls.statusList, issuer: issuerProfile(issuer, publicUrl), validFrom, revoked: await badges.revokedIndexes(issuer.tenantId) })
    res.set('Cache-Control', 'public, max-age=60').vary('Accept')
    if (options.canSign && req.accepts(['application/ld+json', 'application/json', 'application/vc+jwt', 'application/jwt']) === 'application/vc+jwt') {
      const key = await keys.signingKey(issuer.tenantId)
      res.type('application/vc+jwt').send(await signCredential(list, key.privateJwk, urls.kid(key.thumbprint)))
      return
    }
    res.type('application/ld+json').send(JSON.stringify(list))
  }))

  router.get('/badges/:id/verify', handle(async (req, res) => {
    const badge = await badgeOf(String(req.params.id))
    res.set('Cache-Control', 'no-store').json({ id: badge.credential.id, ...(await verify(badge)) })
  }))

  router.get('/badges/:file', handle(async (req, res) => {
    const [, id = '', ext] = /^(.*?)(?:\.(jwt|json))?$/u.exec(String(req.params.file))!
    const badge = await badgeOf(id)
    res.set('Cache-Control', 'no-cache').vary('Accept')
    if (ext === 'jwt') {
      res.type('application/jwt').attachment(`badge-${badge.id}.jwt`).send(badge.jwt)
      return
    }
    const wanted = ext === 'json' ? 'application/ld+json' : req.accepts(['text/html', ...JSON_LD_TYPES])
    if (wanted !== 'text/html' && wanted !== false) {
      if (ext === 'json') res.attachment(`badge-${badge.id}.json`)
      res.type(wanted).send(JSON.stringify(badge.credential, null, 2))
      return
    }
    const page = badgePage(badge, await verify(badge), await badges.learnerName(badge.tenantId, badge.learnerKey), options.timeZone)
    res.set('Content-Security-Policy', BADGE_PAGE_CSP).type('html').send(page)
  }))

  return router
}

/** Runs an async handler; a BadgeError becomes its status and a JSON error naming the field, anything else goes to the last error handler. */
function handle(run: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    run(req, res).catch((error: unknown) => {
      if (error instanceof BadgeError && STATUS[error.code] < 500) {
        res.status(STATUS[error.code]).json({ error: { code: error.code, message: error.message, ...(error.field !== undefined ? { field: error.field } : {}) } })
        return
      }
      next(error)
    })
  }
}
