import type { ToolLogger } from '../logger.ts'
import { PollingWorker } from '../polling-worker.ts'
import type { DeliveryOutcome, StatementOutbox } from './statement-outbox.ts'

export interface OutboxDelivererOptions {
  readonly outbox: StatementOutbox
  readonly logger: ToolLogger
  /** How often an idle deliverer looks for due statements; default 5 s. */
  readonly pollMs?: number
  /** Rows claimed at a time; default 50. */
  readonly batch?: number
  /** While statements wait, their count is logged this often; default 60 s. */
  readonly reportEveryMs?: number
  readonly now?: () => number
}

/**
 * The background half of the tool's statement outbox: one per server process (started beside the
 * grade passback worker), it claims due rows — the ones whose request could not deliver them —
 * and stores them through the LRS, oldest first, retrying failures with backoff and jitter (the
 * outbox's `deliverRow`). Leases keep processes apart. While anything waits it logs the count,
 * the oldest and the last error (warn), so an operator sees an LRS that refuses the tool.
 */
export class OutboxDeliverer extends PollingWorker {
  private lastReport = Number.NEGATIVE_INFINITY
  private readonly now: () => number

  /** `stop` ends after the row in flight (a claimed row left behind is due again when its lease ends). */
  constructor(private readonly options: OutboxDelivererOptions) {
    super({
      pollMs: options.pollMs ?? 5_000,
      // The database is away: the statements are safe in it; try again at the next poll.
      onError: (err) => options.logger.error({ err }, 'tool statement outbox: claiming failed'),
    })
    this.now = options.now ?? Date.now
  }

  protected async pass(): Promise<boolean> {
    const busy = (await this.runOnce()) !== undefined
    await this.report()
    return busy
  }

  /** Deliver due rows until none is due (tests, CLI). */
  async drain(): Promise<Record<DeliveryOutcome, number>> {
    const counts: Record<DeliveryOutcome, number> = { delivered: 0, retry: 0, waiting: 0 }
    for (;;) {
      const done = await this.runOnce()
      if (done === undefined) return counts
      for (const [k, n] of Object.entries(done) as Array<[DeliveryOutcome, number]>) counts[k] += n
    }
  }

  /** Claim one batch of due rows and deliver them; undefined when none was due. */
  async runOnce(): Promise<Record<DeliveryOutcome, number> | undefined> {
    if (this.signal.aborted) return undefined
    const rows = await this.options.outbox.claim(undefined, this.options.batch ?? 50)
    if (rows.length === 0) return undefined
    const counts: Record<DeliveryOutcome, number> = { delivered: 0, retry: 0, waiting: 0 }
    for (const row of rows) counts[await this.options.outbox.deliverRow(row)] += 1
    if (counts.delivered > 0) this.options.logger.info({ ...counts }, 'tool statements delivered from the outbox')
    return counts
  }

  private async report(): Promise<void> {
    if (this.now() - this.lastReport < (this.options.reportEveryMs ?? 60_000)) return
    this.lastReport = this.now()
    const stats = await this.options.outbox.stats()
    if (stats.pending === 0) return
    this.options.logger.warn({
      pending: stats.pending, oldest: stats.oldest?.toISOString(), maxAttempts: stats.maxAttempts,
      ...(stats.lastError !== undefined && { lastError: stats.lastError.message, lastErrorStatement: stats.lastError.statementId }),
    }, 'tool statements waiting in the outbox')
  }
}
