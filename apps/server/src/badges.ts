import { ActiveFrameworks, BadgeIssuer, BadgeStore, ClrIssuer, IssuerKeyStore } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { ViewerDeps } from '@tln/lti-tool'
import { Router } from 'express'
import type { Config } from './config.ts'
import { badgesRouter } from './http/badges-router.ts'
import { learnerAccess } from './http/clr-access.ts'
import { caseRouter } from './http/case-router.ts'
import type { Logger } from './logger.ts'
import { purposeKey, resolveSecretKey, SECRET_KEY_MISSING } from './secret-key.ts'

/** The 32-byte key that seals the badge issuers' private keys, derived from the server secret for that use only. */
export function badgeKeySecret(secretKey: string): Uint8Array {
  return purposeKey(secretKey, 'tln-badge-keys')
}

export interface MountedBadges {
  /** `/badges/…` and the read-only CASE endpoints `/ims/case/v1p0/…`, mounted at the root. */
  readonly router: Router
  /** The issuing loop, when the server has its secret (issuing signs, and the key is sealed under it). */
  readonly issuer?: BadgeIssuer
}

/**
 * Open Badges 3.0 for completed tiers (issue 6): the public routes always; the issuing loop only
 * with `TLN_SECRET_KEY` (or the embedded data dir's secret), because every process must open the
 * same sealed signing key. Every process runs a loop; the store serialises them per tenant.
 */
export function mountBadges(options: {
  config: Config
  knex: Knex
  publicUrl: string
  logger: Logger
  /** The LTI tool's sessions and organisation (`LtiTool.sessions`, `.org`): who may download whose CLR 2.0 transcript. */
  viewers?: Omit<ViewerDeps, 'knex'>
}): MountedBadges {
  const { knex, publicUrl, logger } = options
  const secretKey = resolveSecretKey(options.config)
  const secret = secretKey === undefined ? undefined : badgeKeySecret(secretKey)
  const badges = new BadgeStore(knex, { publicUrl })
  const keys = new IssuerKeyStore(knex, secret)
  const frameworks = new ActiveFrameworks(knex)
  const router = Router()
  // A CLR is signed when it is asked for, so it needs the secret as well as the viewer's session.
  const clr = secret !== undefined && options.viewers !== undefined
    ? { issuer: new ClrIssuer({ badges, keys, frameworks, publicUrl }), access: learnerAccess({ knex, ...options.viewers }), logger: logger.child({ component: 'clr' }) }
    : undefined
  router.use(badgesRouter({ badges, keys, canSign: secret !== undefined, publicUrl, timeZone: options.config.timeZone, ...(clr !== undefined && { clr }) }))
  router.use(caseRouter({ frameworks, publicUrl }))
  if (secret === undefined) {
    logger.warn({ reason: SECRET_KEY_MISSING }, 'Open Badges are not issued: no server secret')
    return { router }
  }
  const issuer = new BadgeIssuer({ badges, keys, frameworks, publicUrl, logger: logger.child({ component: 'badge-issuer' }) })
  return { router, issuer }
}
