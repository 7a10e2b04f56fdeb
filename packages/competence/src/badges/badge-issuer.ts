import { randomUUID } from 'node:crypto'
import { PollLoop } from '@tln/db'
import { buildAchievement } from './achievement.ts'
import { BadgeError } from './badge-error.ts'
import type { ActiveFrameworks } from './active-framework.ts'
import type { BadgeStore, IssuedBatch, PendingCompletion } from './badge-store.ts'
import { badgeUrls } from './badge-urls.ts'
import { buildCredential, issuerProfile } from './credential.ts'
import { hashedIdentity } from './identity-hash.ts'
import type { IssuerKeyStore } from './issuer-key-store.ts'
import type { IssuerInfo } from './types.ts'
import { signCredential } from './vc-jwt.ts'

export interface BadgeIssuerLogger {
  info(object: object, message: string): void
  error(object: object, message: string): void
}

export interface BadgeIssuerOptions {
  readonly badges: BadgeStore
  readonly keys: IssuerKeyStore
  readonly frameworks: ActiveFrameworks
  readonly publicUrl: string
  readonly logger: BadgeIssuerLogger
  /** Pause between passes that found nothing to do (default 3 s). */
  readonly pollMs?: number
  /** Completions per transaction (default 100); a pass issues batches until the tenant's list is empty. */
  readonly batchSize?: number
  readonly clock?: () => Date
}

export interface PassResult {
  readonly issued: number
  readonly revoked: number
}

/** VC DM 2.0 dateTime to the second: `nbf` (NumericDate, seconds) MUST equal `validFrom`, so no fraction. */
function toSecond(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/**
 * Issues an Open Badges 3.0 credential for every non-voided `tier-completed` fact without one, and
 * revokes the badge of a completion that was voided (issue 6, "Credentials for achievement"). Every
 * server process runs one; `BadgeStore.issueBatch` serialises them per tenant, so a completion gets
 * one badge however many run. The work comes from `badge_pending` (completions not yet looked at),
 * so a pass with nothing to do is a few index probes, however many badges were issued before.
 */
export class BadgeIssuer {
  private readonly pollMs: number
  private readonly batchSize: number
  private readonly clock: () => Date
  private readonly loop: PollLoop

  constructor(private readonly options: BadgeIssuerOptions) {
    this.pollMs = options.pollMs ?? 3000
    this.batchSize = options.batchSize ?? 100
    this.clock = options.clock ?? (() => new Date())
    this.loop = new PollLoop(
      async () => {
        const { issued, revoked } = await this.pass()
        return issued + revoked > 0
      },
      (error) => this.options.logger.error({ err: error }, 'badge issuing pass failed'),
      { intervalMs: this.pollMs },
    )
  }

  start(): this {
    this.loop.start()
    return this
  }

  /** Stops after the pass in flight. */
  async stop(): Promise<void> {
    await this.loop.stop()
  }

  /** One pass over every tenant with tier completions. */
  async pass(): Promise<PassResult> {
    let issued = 0
    let revoked = 0
    for (const tenantId of await this.options.badges.tenantsWithCompletions()) {
      if (this.loop.stopping) break
      const ids = await this.options.badges.revokeVoided(tenantId, this.clock())
      if (ids.length > 0) this.options.logger.info({ tenantId, badges: ids }, 'badges revoked: tier completion voided')
      revoked += ids.length
      issued += await this.issueFor(tenantId)
    }
    return { issued, revoked }
  }

  /**
   * Issues the tenant's listed completions in batches of `batchSize` (one transaction each) until
   * the list is empty or a batch only failed. A tenant with nothing listed costs one index probe.
   */
  private async issueFor(tenantId: string): Promise<number> {
    if (!(await this.options.badges.hasPending(tenantId))) return 0
    const issuer = await this.options.badges.issuer(tenantId)
    if (issuer === undefined) return 0
    let key = await this.options.keys.signingKey(tenantId)
    const active = await this.options.frameworks.of(tenantId)
    const make = async (completion: PendingCompletion, statusIndex: number) => {
      const badgeId = randomUUID()
      const credential = this.credentialFor(badgeId, issuer, completion, active, statusIndex)
      const kid = badgeUrls(this.options.publicUrl, issuer.slug).kid(key.thumbprint)
      return { id: badgeId, credential, jwt: await signCredential(credential, key.privateJwk, kid), issuedAt: this.clock() }
    }
    let issued = 0
    while (!this.loop.stopping) {
      let batch: IssuedBatch
      try {
        batch = await this.options.badges.issueBatch(tenantId, this.batchSize, make, key.thumbprint)
      } catch (error) {
        // `tln badges keys rotate` ran since the key was read: sign with the new one (once; a second refusal is an error).
        if (!(error instanceof BadgeError && error.code === 'ERR_BADGE_KEY_RETIRED')) throw error
        key = await this.options.keys.signingKey(tenantId)
        batch = await this.options.badges.issueBatch(tenantId, this.batchSize, make, key.thumbprint)
      }
      issued += batch.issued.length
      // One completion that cannot be issued (e.g. an actor key of an unknown form) must not hold up the others.
      for (const failure of batch.failed) this.options.logger.error({ err: failure.error, tenantId, statementId: failure.statementId }, 'badge not issued')
      if (!batch.more || batch.issued.length + batch.settled === 0) break
    }
    if (issued > 0) this.options.logger.info({ tenantId, issued }, 'badges issued')
    return issued
  }

  private credentialFor(id: string, issuer: IssuerInfo, completion: PendingCompletion, active: Awaited<ReturnType<ActiveFrameworks['of']>>, statusIndex: number) {
    const profile = issuerProfile(issuer, this.options.publicUrl)
    const achievement = buildAchievement({
      tenantId: issuer.tenantId, tier: { id: completion.tierId, name: completion.tierName },
      framework: active.framework, rules: active.rules, publicUrl: this.options.publicUrl, creator: profile,
    })
    // validFrom is when the tier was completed, unless that lies ahead of the clock (a client's skewed timestamp).
    const validFrom = toSecond(new Date(Math.min(completion.at.getTime(), this.clock().getTime())))
    return buildCredential({ id, publicUrl: this.options.publicUrl, issuer, achievement, identity: hashedIdentity(completion.learnerKey), validFrom, statusIndex })
  }
}
