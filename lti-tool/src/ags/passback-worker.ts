import {
  findOrCreateLineItem, listLineItems, LtiServiceError, postScore, SCOPE,
  LtiError, type AccessTokenCache, type FetchLike, type KeyStore, type LineItemGrants, type ServiceContext,
} from '@tln/lti-v1p3'
import type { ToolLogger } from '../logger.ts'
import { createPlatformOutbound, type PlatformOutbound } from '../outbound/platform-outbound.ts'
import { PollingWorker } from '../polling-worker.ts'
import { toPlatform, type DbPlatformStore } from '../stores/platform-store.ts'
import type { ScoreRecorder } from '../xapi/score-recorder.ts'
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts'
import type { ClaimedPassback, PassbackError, PassbackErrorCode, PassbackStore } from './passback-store.ts'

export interface PassbackWorkerOptions {
  readonly store: PassbackStore
  readonly platforms: DbPlatformStore
  readonly keys: KeyStore
  /** The database token cache: one access token serves every process until it expires. */
  readonly tokenCache: AccessTokenCache
  readonly recorder: ScoreRecorder
  readonly logger: ToolLogger
  /**
   * The fetch per platform (`createPlatformOutbound`). Default: the global fetch for operator
   * platforms, the guarded one with no private address allowed for dynamically registered ones.
   */
  readonly outbound?: PlatformOutbound
  readonly now?: () => number
  /** Jitter source in [0, 1); tests fix it. */
  readonly random?: () => number
  readonly backoff?: Partial<BackoffPolicy>
  /** How long a claimed job stays this worker's; default 5 minutes (well above the calls' 15 s timeouts). */
  readonly leaseMs?: number
  /** How often an idle worker looks for due jobs; default 2 s. */
  readonly pollMs?: number
}

/** What became of one claimed job. */
export type PassbackOutcome = 'sent' | 'retry' | 'failed' | 'released'

/**
 * The grade passback worker (AGS 2.0): claims one due job at a time, gets an access token (from
 * the database cache, else the client-credentials grant), finds or creates the line item, posts
 * the score to `<line item path>/scores` (query kept; the library builds it), stores the `scored`
 * statement, and marks the job `sent`.
 *
 * Failures: retryable ones (network, 408, 429, 5xx) come back after an exponential backoff with
 * jitter, until `maxAttempts`; others — Moodle's 400 for a user who cannot be graded, or for a
 * missing timestamp or scoreMaximum — end `failed` with the platform's status and answer, for the
 * facilitator to see (`listPassbacks`) and an operator to retry (`tln grades retry`).
 *
 * Only the scopes the launch's AGS claim granted are asked for (AGS 2.0 §3.1, `target.grantedScopes`;
 * unknown for older jobs: `lineitem` and `score` as before): without `score` nothing is posted and
 * the job ends `failed` with `ERR_PASSBACK_SCOPE_NOT_GRANTED`; with `lineitem.readonly` only, the
 * line item is looked up with it and never created. A dynamically registered platform's URL that
 * resolves to a private address is refused before any connection (`createPlatformOutbound`): the job
 * ends `failed` at once with `ERR_LTI_PLATFORM_PRIVATE_ADDRESS`, since retrying reaches the same address.
 *
 * Stopping (or an abort signal) mid-job gives the job back before its score was posted, so another
 * worker posts it once. A crash leaves the lease to run out instead. Delivery to the platform is
 * at-least-once in the worst case (a crash between the platform's answer and the bookkeeping);
 * the replay carries the same `timestamp`, which AGS platforms treat as the same score.
 */
export class PassbackWorker extends PollingWorker {
  private readonly policy: BackoffPolicy
  private readonly now: () => number
  private readonly outbound: PlatformOutbound

  /** `stop` gives the job in flight back (or finishes it when its score was already posted). */
  constructor(private readonly options: PassbackWorkerOptions) {
    super({
      pollMs: options.pollMs ?? 2_000,
      // The database is away: log, wait, try again; the jobs are safe in it.
      onError: (err) => options.logger.error({ err }, 'grade passback worker: claiming a job failed'),
    })
    this.policy = { ...DEFAULT_BACKOFF, ...options.backoff }
    this.now = options.now ?? Date.now
    this.outbound = options.outbound ?? createPlatformOutbound()
  }

  protected async pass(): Promise<boolean> {
    return (await this.runOnce()) !== 'idle'
  }

  /** Process due jobs until none is left (tests, CLI). */
  async drain(signal?: AbortSignal): Promise<Record<PassbackOutcome, number>> {
    const counts: Record<PassbackOutcome, number> = { sent: 0, retry: 0, failed: 0, released: 0 }
    for (;;) {
      const outcome = await this.runOnce(signal)
      if (outcome === 'idle') return counts
      counts[outcome] += 1
      if (outcome === 'released') return counts
    }
  }

  /** Claim and process one due job; `idle` when none is due. */
  async runOnce(signal?: AbortSignal): Promise<PassbackOutcome | 'idle'> {
    const combined = signal === undefined ? this.signal : AbortSignal.any([signal, this.signal])
    if (combined.aborted) return 'idle'
    const job = await this.options.store.claim(new Date(this.now()), this.options.leaseMs ?? 300_000)
    if (job === undefined) return 'idle'
    return this.process(job, combined)
  }

  private async process(job: ClaimedPassback, signal: AbortSignal): Promise<PassbackOutcome> {
    const { store, logger } = this.options
    const record = await this.options.platforms.byId(job.platformId)
    if (record === undefined) {
      await store.markFailed(job, { message: 'the platform registration is gone' }, new Date(this.now()))
      return 'failed'
    }
    const platform = toPlatform(record)
    const ctx: ServiceContext = {
      platform, keys: this.options.keys, tokenCache: this.options.tokenCache, now: this.now,
      fetch: abortable(this.outbound.fetchFor(platform), signal),
    }
    let lineItemUrl = job.lineItemUrl
    try {
      const granted = job.target.grantedScopes
      if (granted !== undefined && !granted.includes(SCOPE.score)) {
        throw new NotGranted(`the platform did not grant the AGS score scope (${SCOPE.score}) in the launch's endpoint claim (AGS 2.0 §3.1), so no score is posted; allow grade passback for the tool in the LMS, then launch again`)
      }
      if (lineItemUrl === undefined) {
        const t = job.target as Extract<ClaimedPassback['target'], { lineItemsUrl: string }>
        lineItemUrl = (await this.lineItemFor(ctx, t, job.scoreMaximum!, granted === undefined ? {} : { grantedScopes: granted })).id
        await store.saveLineItem(job, lineItemUrl)
      }
      signal.throwIfAborted()
      await postScore(ctx, lineItemUrl, {
        userId: job.userSub, activityProgress: job.activityProgress, gradingProgress: job.gradingProgress, timestamp: job.timestamp,
        ...(job.scoreGiven !== undefined && { scoreGiven: job.scoreGiven, scoreMaximum: job.scoreMaximum! }),
        ...(job.comment !== undefined && { comment: job.comment }),
      })
    } catch (error) {
      if (signal.aborted) {
        await store.release(job)
        logger.info({ passbackId: job.id }, 'grade passback given back (worker stopping)')
        return 'released'
      }
      return this.failed(job, error)
    }
    // The platform has the score: finish the bookkeeping whatever the signal says.
    // A grade that stored its own `scored` statement (tasks) names it; the others get one here.
    let statementId: string | undefined = job.statementId
    try {
      statementId ??= await this.options.recorder.record(job, lineItemUrl)
    } catch (err) {
      logger.error({ err, passbackId: job.id }, 'grade passback: the score reached the platform but the scored statement was not stored')
    }
    const now = new Date(this.now())
    if (!(await store.markSent(job, { ...(statementId !== undefined && { statementId }), now }))) {
      logger.warn({ passbackId: job.id }, 'grade passback: lease lost before the job was marked sent')
    }
    logger.info({ passbackId: job.id, issuer: record.issuer, lineItemUrl, attempts: job.attempts }, 'grade passback sent')
    return 'sent'
  }

  /**
   * The line item of a container target: found or created with `lineitem` (or unknown grants), only
   * looked up when the platform granted `lineitem.readonly` alone (AGS 2.0 §3.1: creating needs `lineitem`).
   */
  private async lineItemFor(ctx: ServiceContext, t: Extract<ClaimedPassback['target'], { lineItemsUrl: string }>, scoreMaximum: number, grants: LineItemGrants): Promise<{ id: string }> {
    const spec = {
      ...(t.resourceLinkId !== undefined && { resourceLinkId: t.resourceLinkId }),
      ...(t.tag !== undefined && { tag: t.tag }), ...(t.resourceId !== undefined && { resourceId: t.resourceId }),
    }
    const granted = grants.grantedScopes
    if (granted === undefined || granted.includes(SCOPE.lineItem)) return findOrCreateLineItem(ctx, t.lineItemsUrl, { label: t.label, scoreMaximum, ...spec }, grants)
    if (!granted.includes(SCOPE.lineItemReadOnly)) {
      throw new NotGranted(`the platform granted no line item scope (${SCOPE.lineItem} or ${SCOPE.lineItemReadOnly}; AGS 2.0 §3.1), so the tool cannot find the line item for this link; allow it in the LMS, or make the link a graded item there, then launch again`)
    }
    const [found] = await listLineItems(ctx, t.lineItemsUrl, spec, grants)
    if (found === undefined) {
      throw new NotGranted(`the platform has no line item for this link and granted only ${SCOPE.lineItemReadOnly} (AGS 2.0 §3.1), so the tool may not create one; make a grade item for the link in the LMS, then retry`)
    }
    return found
  }

  private async failed(job: ClaimedPassback, error: unknown): Promise<PassbackOutcome> {
    const { store, logger } = this.options
    const now = new Date(this.now())
    const detail = describe(error)
    // A TypeError is a score the library refuses to send; a service error says itself whether it may pass later;
    // a scope the platform did not grant stays ungranted until the LMS changes, and a refused address until the operator allows it.
    const retryable = error instanceof LtiServiceError ? error.retryable : !(error instanceof TypeError || error instanceof NotGranted || isAddressRefusal(error))
    if (retryable && job.attempts < this.policy.maxAttempts) {
      // A platform that said when to come back (429 or 503 with Retry-After, RFC 6585 §4, RFC 9110 §10.2.3) is not asked sooner, up to the backoff cap.
      const retryAfterMs = error instanceof LtiServiceError && error.retryAfterS !== undefined ? Math.min(error.retryAfterS * 1000, this.policy.capMs) : 0
      const delay = Math.max(backoffDelayMs(job.attempts, this.policy, (this.options.random ?? Math.random)()), retryAfterMs)
      await store.markRetry(job, detail, new Date(now.getTime() + delay), now)
      logger.warn({ passbackId: job.id, attempts: job.attempts, retryInMs: delay, status: detail.status, error: detail.message }, 'grade passback failed; will retry')
      return 'retry'
    }
    const final = retryable ? { ...detail, message: `gave up after ${job.attempts} attempts: ${detail.message}` } : detail
    await store.markFailed(job, final, now)
    logger.warn({ passbackId: job.id, attempts: job.attempts, status: detail.status, error: final.message, body: detail.body }, 'grade passback failed')
    return 'failed'
  }
}

/** A job that needs a scope the launch's AGS claim did not grant: nothing is asked of the platform. */
class NotGranted extends Error {
  readonly code: PassbackErrorCode = 'ERR_PASSBACK_SCOPE_NOT_GRANTED'
}

/** The guarded fetch would not connect to a dynamically registered platform's private address (OWASP SSRF). */
function isAddressRefusal(error: unknown): error is LtiError {
  return error instanceof LtiError && error.code === 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS'
}

function describe(error: unknown): PassbackError {
  if (error instanceof NotGranted) return { message: error.message, code: error.code }
  if (isAddressRefusal(error)) return { message: error.message, code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS' }
  if (error instanceof LtiServiceError) {
    return { message: error.message, ...(error.status !== undefined && { status: error.status }), ...(error.body !== undefined && error.body !== '' && { body: error.body }) }
  }
  return { message: error instanceof Error ? error.message : String(error) }
}

/** Every platform call of a job also ends when the worker's signal aborts. */
function abortable(fetch: FetchLike | undefined, signal: AbortSignal): FetchLike {
  const base: FetchLike = fetch ?? ((input, init) => globalThis.fetch(input, init))
  return (input, init) => base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal })
}
