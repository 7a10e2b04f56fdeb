/**
 * The aggregation engine (issue 6, "Aggregation engine"; ARCHITECTURE.md: "Competence reports
 * are projections of the statement stream"): consumes each tenant's statement stream in stored
 * order from a cursor kept in the database and keeps the projections (evidence, ratings, facts,
 * learners, statements per month) in step.
 *
 * A page is applied in ONE transaction that holds the tenant's partition row `for update skip
 * locked`: the page is read with that transaction, every projection written, the cursor advanced,
 * then commit. A crash anywhere (exception, SIGKILL) leaves projections and cursor at the same
 * point, so nothing is applied twice or lost, and a second server process skips a partition that
 * is busy instead of applying the same page again.
 */
import { isDatabaseUnavailable, loggableError, PollLoop, redactedMessage, type Knex } from '@tln/db'
import { StatementStream } from '@tln/lrs'
import { CompetenceConfigStore } from '../config/config-store.ts'
import { validateCompetenceConfig } from '../config/validate-config.ts'
import type { EngineStatus } from '../reports/types.ts'
import { pageRows } from './page-rows.ts'
import { advancePartition, ensurePartitions, lockPartition, partitionStatus, PROJECTION_TABLES, resetPartition, waitForPartition, type Partition, type PartitionState } from './partition.ts'
import { addLearnerMonths, insertEvidence, insertFacts, upsertLearners } from './projection-writes.ts'
import { rateLearners, ratingContext, type RatingContext } from './ratings.ts'
import { DEFAULT_REPORT_TIME_ZONE, isTimeZone } from './report-time-zone.ts'
import { anySkipped, boundedReason, clearProjected, clearSkip, countSkipped, recordSkips, skippedStatements, skipReason, type Skip } from './skipped-statements.ts'
import { countVoiding, retractTargets, type Uncounted } from './voiding.ts'

/** The projection tables (partition.ts), re-exported for callers of the engine. */
export { PROJECTION_TABLES }

export interface EngineLogger {
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

export interface CompetenceEngineOptions {
  knex: Knex
  configs?: CompetenceConfigStore
  logger?: EngineLogger
  /** Statements per page (one transaction), default 500. */
  pageSize?: number
  /** Pause when every partition is current, default 250 ms. */
  pollMs?: number
  /**
   * IANA zone whose local months `learner_month` counts (`TLN_TIME_ZONE`), default
   * `Asia/Makassar` (WITA). A partition built in another zone is rebuilt, so every server process
   * of a deployment must be given the same zone.
   */
  timeZone?: string
  /**
   * Statements applied in one run of full pages after which the engine runs `ANALYZE` on the
   * projection tables once the tenant is current again (default 10,000, twenty default pages). A
   * rebuild always ends with one, whatever its size.
   */
  analyzeAfter?: number
  /**
   * How long a tenant's page may keep failing (the database refusing it, not unreachable) before
   * it is projected one statement at a time and the statements refused on their own are skipped
   * and logged (default 60 s; `projectPage`).
   */
  isolateAfterMs?: number
}

/** Statements of a failing page refused one by one before any went in: the fault is not one statement's. */
const MAX_LEADING_REFUSALS = 10

type Page = Parameters<typeof pageRows>[0]

/** What projecting some statements did besides writing the projections. */
interface Projected {
  /** The statements skipped: unreadable, or (projected one at a time) refused by the database. */
  readonly skips: Skip[]
  /** Skipped statements (of the page, or recorded before) that a voiding statement of these voided: never counted, no longer skipped. */
  readonly resolved: readonly string[]
}

/** What `retrySkipped` did for a tenant. */
export interface RetrySkippedResult {
  /** Recorded statements tried again. */
  readonly retried: number
  /** Of those, projected now (their records deleted). */
  readonly projected: number
  /** Records left: refused again, or beyond the cursor (the stream reads them again). */
  readonly remaining: number
  /**
   * The partition awaits a rebuild (a new config version, `tln competence rebuild`), which reads
   * every statement again: nothing was retried.
   */
  readonly rebuildPending: boolean
}

/** What one attempt on a partition did. */
interface PageOutcome {
  readonly applied: number
  /** The page was full: more may follow at once. */
  readonly full: boolean
  /** Another process holds the partition. */
  readonly busy: boolean
  /** The partition was rebuilding (or began to) when the page was applied. */
  readonly rebuilding: boolean
}

/** What this engine applied to a tenant since it was last current: a long run of full pages is a catch-up. */
interface Run {
  statements: number
  rebuilt: boolean
}

const SILENT: EngineLogger = { info: () => {}, warn: () => {}, error: () => {} }

export class CompetenceEngine {
  private readonly knex: Knex
  private readonly configs: CompetenceConfigStore
  private readonly logger: EngineLogger
  private readonly pageSize: number
  private readonly pollMs: number
  private readonly timeZone: string
  private readonly analyzeAfter: number
  private readonly isolateAfterMs: number
  /** Per tenant, since when (ms) its page at this cursor has been failing. */
  private readonly failing = new Map<string, { cursor: string; since: number }>()
  /** Per tenant, the run of full pages in progress. */
  private readonly runs = new Map<string, Run>()
  /** Validated config per tenant, by version (validated once, not per page). */
  private readonly contexts = new Map<string, RatingContext>()
  private readonly loop: PollLoop

  constructor(options: CompetenceEngineOptions) {
    this.knex = options.knex
    this.configs = options.configs ?? new CompetenceConfigStore(options.knex)
    this.logger = options.logger ?? SILENT
    this.pageSize = options.pageSize ?? 500
    this.pollMs = options.pollMs ?? 250
    this.timeZone = options.timeZone ?? DEFAULT_REPORT_TIME_ZONE
    this.analyzeAfter = options.analyzeAfter ?? 10_000
    this.isolateAfterMs = options.isolateAfterMs ?? 60_000
    if (!Number.isInteger(this.analyzeAfter) || this.analyzeAfter < 1) throw new TypeError('analyzeAfter must be a positive integer')
    if (!isTimeZone(this.timeZone)) throw new TypeError(`timeZone must be an IANA time zone such as Asia/Makassar, got ${JSON.stringify(this.timeZone)}`)
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new TypeError('pageSize must be a positive integer')
    this.loop = new PollLoop(
      async () => (await this.pass(true)).full,
      (error) => this.logger.error({ err: loggableError(error) }, 'competence engine pass failed; will retry'),
      { intervalMs: this.pollMs },
    )
  }

  /**
   * At most one page per tenant (a busy partition is skipped).
   * @returns statements applied
   */
  async runOnce(): Promise<number> {
    return (await this.pass()).applied
  }

  /**
   * Pages until every tenant is at the stream horizon (a partition another process holds is
   * waited for, so that on return every tenant's projections include what was stored before).
   * @returns statements applied by this engine
   */
  async catchUp(): Promise<number> {
    let applied = 0
    for (const tenantId of await ensurePartitions(this.knex)) {
      for (;;) {
        const outcome = await this.applyPage(tenantId)
        applied += outcome.applied
        await this.afterPage(tenantId, outcome)
        if (outcome.busy) await sleep(5)
        else if (!outcome.full) break
      }
    }
    return applied
  }

  /** Starts the background loop: again at once after a full page, else after `pollMs`. */
  start(): void {
    this.loop.start()
  }

  /** Stops after the page in flight (which commits or rolls back whole). */
  async stop(): Promise<void> {
    await this.loop.stop()
  }

  /** How current the tenant's projections are. */
  async status(tenantId: string): Promise<EngineStatus> {
    return partitionStatus(this.knex, tenantId)
  }

  /**
   * One page per tenant. In the background loop (`isolate`) a failing tenant is logged and the
   * others go on, so one tenant's bad data cannot stop every tenant's reports; its page rolled
   * back whole and is tried again on the next pass.
   */
  private async pass(isolate = false): Promise<{ applied: number; full: boolean }> {
    let applied = 0
    let full = false
    for (const tenantId of await ensurePartitions(this.knex)) {
      if (this.loop.stopping) break
      try {
        const outcome = await this.applyPage(tenantId)
        applied += outcome.applied
        full ||= outcome.full
        await this.afterPage(tenantId, outcome)
      } catch (error) {
        if (!isolate) throw error
        // Not the error itself: knex's message holds the page's statements, PostgreSQL's may quote a value of one.
        this.logger.error({ err: loggableError(error), tenantId }, 'competence engine page failed; it rolled back and will be tried again')
      }
    }
    return { applied, full }
  }

  private async context(tenantId: string, trx: Knex): Promise<RatingContext> {
    const version = await this.configs.activeVersion(tenantId, trx)
    const cached = this.contexts.get(tenantId)
    if (cached?.version === version) return cached
    const config = await this.configs.active(tenantId, trx)
    const ctx = ratingContext(validateCompetenceConfig({ framework: config.framework, rules: config.rules, rating: config.rating, program: config.program }), config.version)
    this.contexts.set(tenantId, ctx)
    return ctx
  }

  /** One page of one tenant, in one transaction. */
  private async applyPage(tenantId: string): Promise<PageOutcome> {
    return this.knex.transaction(async (trx) => {
      let partition = await lockPartition(trx, tenantId)
      if (partition === undefined) return { applied: 0, full: false, busy: true, rebuilding: false }
      const ctx = await this.context(tenantId, trx)
      // Months bucketed in another zone would disagree with every report's period boundaries: rebuild.
      if (partition.configVersion !== ctx.version || partition.timeZone !== this.timeZone) {
        const reason = partition.configVersion !== ctx.version ? 'config version' : 'report time zone'
        partition = await resetPartition(trx, tenantId, ctx.version, this.timeZone)
        this.logger.info({ tenantId, configVersion: ctx.version, timeZone: this.timeZone, reason, statements: partition.rebuildTotal }, 'competence projections rebuilding')
      }
      const rebuilding = partition.state === 'rebuilding'
      const page = await new StatementStream(trx).read({ tenantId, after: { txid: partition.txid, seq: partition.seq }, limit: this.pageSize })
      const full = page.statements.length === this.pageSize
      if (page.statements.length === 0) {
        if (partition.state !== 'current') await advancePartition(trx, partition, { txid: partition.txid, seq: partition.seq, applied: 0, lastStored: null, state: 'current' })
        return { applied: 0, full: false, busy: false, rebuilding }
      }
      const { skips, resolved } = await this.projectPage(trx, tenantId, `${partition.txid}:${partition.seq}`, page.statements, ctx)
      const last = page.statements[page.statements.length - 1]!
      // With the cursor's move, in its transaction: a skip is never lost, a projected statement never left listed.
      await recordSkips(trx, tenantId, ctx.version, skips)
      await clearProjected(trx, tenantId, { txid: partition.txid, seq: partition.seq }, last.position, skips.map((skip) => skip.statement.id))
      this.logSkips(tenantId, skips, resolved)
      await advancePartition(trx, partition, { txid: page.next.txid, seq: page.next.seq, applied: page.statements.length, lastStored: last.stored, state: nextState(partition, full, page.statements.length) })
      return { applied: page.statements.length, full, busy: false, rebuilding }
    })
  }

  /**
   * Counts the run of pages and, when it ends (the tenant current again) after a rebuild or at
   * least `analyzeAfter` statements, runs `ANALYZE` on the projection tables, after the page's
   * commit so that it samples the new rows and holds no partition lock. Statistics only guide the
   * planner, so a failure is logged and the projections go on.
   */
  private async afterPage(tenantId: string, outcome: PageOutcome): Promise<void> {
    if (outcome.busy) return
    const run = this.runs.get(tenantId) ?? { statements: 0, rebuilt: false }
    run.statements += outcome.applied
    run.rebuilt ||= outcome.rebuilding
    if (outcome.full) {
      this.runs.set(tenantId, run)
      return
    }
    this.runs.delete(tenantId)
    // A tenant with no statements (its first "rebuild" included) has nothing new to sample.
    if (run.statements === 0 || (!run.rebuilt && run.statements < this.analyzeAfter)) return
    const reason = run.rebuilt ? 'rebuild' : 'catch-up'
    const started = performance.now()
    try {
      await this.knex.raw(`analyze ${PROJECTION_TABLES.join(', ')}`)
      this.logger.info({ tenantId, reason, statements: run.statements, ms: Math.round(performance.now() - started) }, 'competence projections analyzed')
    } catch (error) {
      this.logger.warn({ err: loggableError(error), tenantId, reason }, 'competence projections not analyzed; reports plan from older statistics until autovacuum does')
    }
  }

  /**
   * Projects a page in a savepoint. A page the database refuses (for a reason other than being
   * unreachable) rolls back and is tried again later, as any failed page; once the page at the same
   * cursor has kept failing for `isolateAfterMs`, it is projected one statement at a time (a page's
   * bounds are arbitrary, so the result is the same) and the statements refused on their own are
   * skipped: one statement the projections cannot take must not stop a tenant's reports for good,
   * as a page retried for ever did. The statement stays in the LRS, untouched; its skip is recorded
   * (`competence_skipped_statement`) with the cursor's move, and a rebuild or `retrySkipped` tries
   * it again. A page holding a statement skipped before (a rebuild reading it again) is projected
   * one by one at once. Only when others go in: if none of the page does (or its first
   * `MAX_LEADING_REFUSALS` are refused) the fault is not one statement's but the tenant's or the
   * code's, and the page keeps being retried.
   * @returns the statements skipped (refused on their own, or unreadable), but those a later statement of the
   *   page voided, and every skipped statement voided now (`resolved`)
   */
  private async projectPage(trx: Knex, tenantId: string, cursor: string, statements: Page, ctx: RatingContext): Promise<Projected> {
    const ids = new Set(statements.map((s) => s.id))
    let pageError: unknown
    try {
      const projected = await trx.transaction((page) => this.project(page, tenantId, statements, ctx, this.timeZone, { page: ids, skipped: new Set() }))
      this.failing.delete(tenantId)
      return projected
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error
      pageError = error
    }
    const known = this.failing.get(tenantId)
    const since = known?.cursor === cursor ? known.since : Date.now()
    this.failing.set(tenantId, { cursor, since })
    if (Date.now() - since < this.isolateAfterMs && !(await anySkipped(trx, tenantId, statements.map((s) => s.id)))) throw pageError
    let skips: Skip[] = []
    const resolved: string[] = []
    let projected = 0
    let refused = 0
    for (const statement of statements) {
      try {
        const uncounted: Uncounted = { page: ids, skipped: new Set(skips.map((skip) => skip.statement.id)) }
        const one = await trx.transaction((savepoint) => this.project(savepoint, tenantId, [statement], ctx, this.timeZone, uncounted))
        // A statement skipped earlier in the page and voided by this one: never counted, no longer skipped.
        if (one.resolved.length > 0) skips = skips.filter((skip) => !one.resolved.includes(skip.statement.id))
        skips.push(...one.skips)
        resolved.push(...one.resolved)
        projected += 1
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error
        skips.push({ statement, ...skipReason(error) })
        refused += 1
        if (projected === 0 && refused >= MAX_LEADING_REFUSALS) throw pageError
      }
    }
    if (projected === 0) throw pageError
    this.failing.delete(tenantId)
    return { skips, resolved }
  }

  /**
   * Projects `statements` (a page, or one statement of it). `uncounted` says which statements the
   * page skipped before these; those that cannot be read now are added to it for their voiding
   * statements, which a voided unreadable statement does not need (it is resolved, not skipped).
   */
  private async project(trx: Knex, tenantId: string, statements: Page, ctx: RatingContext, timeZone: string, uncounted: Uncounted): Promise<Projected> {
    const rows = pageRows(statements, { ...ctx.config, timeZone })
    const unreadable = rows.unreadable.map((bad) => bad.id)
    const resolved = await countVoiding(trx, tenantId, rows, timeZone, {
      page: new Set([...uncounted.page, ...statements.map((s) => s.id)]),
      skipped: new Set([...uncounted.skipped, ...unreadable]),
    })
    await insertEvidence(trx, tenantId, rows)
    await insertFacts(trx, tenantId, rows)
    await upsertLearners(trx, tenantId, rows)
    await addLearnerMonths(trx, tenantId, rows)
    const retracted = await retractTargets(trx, tenantId, rows)
    const touched = new Map<string, Set<string>>()
    for (const e of rows.evidence) {
      const indicators = touched.get(e.learner) ?? new Set<string>()
      touched.set(e.learner, indicators)
      indicators.add(e.indicator)
    }
    await rateLearners(trx, tenantId, { touched, retracted }, ctx)
    const byId = new Map(statements.map((s) => [s.id, s]))
    const skips = rows.unreadable.filter((bad) => !resolved.includes(bad.id))
      .map((bad): Skip => ({ statement: byId.get(bad.id)!, code: 'unreadable', reason: boundedReason(redactedMessage(bad.error)) }))
    return { skips, resolved }
  }

  private logSkips(tenantId: string, skips: readonly Skip[], resolved: readonly string[]): void {
    if (resolved.length > 0) this.logger.info({ tenantId, statementIds: resolved }, 'skipped statements voided: never counted, so nothing uncounted; no longer listed by tln competence skipped')
    for (const skip of skips) {
      const fields = { tenantId, statementId: skip.statement.id, code: skip.code, reason: skip.reason }
      if (skip.code === 'unreadable') this.logger.warn(fields, 'statement skipped by the competence engine: it cannot be read; listed by tln competence skipped')
      else this.logger.error(fields, 'statement skipped by the competence engine: the database refused its projection; listed by tln competence skipped')
    }
  }

  /**
   * Tries the tenant's recorded skipped statements again without a rebuild (`tln competence
   * retry-skipped`), after their cause is removed. Holds the partition row (waiting for the page in
   * flight, if any), so no engine of any process applies a page meanwhile; each statement is
   * projected in its own savepoint, in stream order, with the partition's config version and time
   * zone: a statement that goes in now loses its record, one refused again counts another attempt.
   * The projections do not depend on the order statements arrive in (ratings follow the evidence
   * set; voiding follows stream positions), so late is the same as in order. Statements beyond the
   * cursor are left to the stream; when a rebuild is pending nothing is retried, as it reads
   * everything again.
   */
  async retrySkipped(tenantId: string): Promise<RetrySkippedResult> {
    return this.knex.transaction(async (trx) => {
      const partition = await waitForPartition(trx, tenantId)
      if (partition === undefined) return { retried: 0, projected: 0, remaining: await countSkipped(trx, tenantId), rebuildPending: false }
      const ctx = await this.context(tenantId, trx)
      if (partition.configVersion !== ctx.version) return { retried: 0, projected: 0, remaining: await countSkipped(trx, tenantId), rebuildPending: true }
      const statements = await skippedStatements(trx, tenantId, { txid: partition.txid, seq: partition.seq })
      let projected = 0
      const resolved: string[] = []
      for (const statement of statements) {
        let skips: Skip[]
        try {
          // Every record is current here (each retried statement's is updated or deleted before the next): no page to decide.
          const one = await trx.transaction((savepoint) => this.project(savepoint, tenantId, [statement], ctx, partition.timeZone, { page: new Set(), skipped: new Set() }))
          skips = one.skips
          resolved.push(...one.resolved)
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw error
          skips = [{ statement, ...skipReason(error) }]
        }
        if (skips.length === 0) {
          await clearSkip(trx, tenantId, statement.id)
          projected += 1
        } else {
          await recordSkips(trx, tenantId, ctx.version, skips)
        }
      }
      const remaining = await countSkipped(trx, tenantId)
      this.logSkips(tenantId, [], resolved)
      this.logger.info({ tenantId, retried: statements.length, projected, remaining }, 'competence engine retried skipped statements')
      return { retried: statements.length, projected, remaining, rebuildPending: false }
    })
  }
}

/** `current` once a page is not full; while behind, `rebuilding` until the rebuild's statements are done, else `catching-up`. */
function nextState(partition: Partition, full: boolean, applied: number): PartitionState {
  if (!full) return 'current'
  const rebuildTotal = partition.rebuildTotal ?? 0
  if (partition.state === 'rebuilding' && partition.rebuildDone + applied < rebuildTotal) return 'rebuilding'
  return 'catching-up'
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
