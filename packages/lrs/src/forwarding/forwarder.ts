import { randomUUID } from 'node:crypto'
import { PollLoop } from '@tln/db'
import type { Statement } from '@tln/xapi'
import type { StatementStream, StreamedStatement } from '../stream/statement-stream.ts'
import { comparePositions } from '../stream/stream-position.ts'
import type { ForwardTargetStore, ForwardTargetWithSecret } from './forward-target-store.ts'
import { postStatements, type FetchLike } from './remote-lrs.ts'

export interface ForwarderLogger {
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

export interface ForwarderOptions {
  store: ForwardTargetStore
  stream: StatementStream
  logger: ForwarderLogger
  /** This process's name in leases; random when absent. */
  owner?: string
  fetch?: FetchLike
  /** How long a lease lasts without renewal: another process takes over after it (default 30 s). */
  leaseMs?: number
  /** Pause between passes when there was nothing to send (default 1 s). */
  pollMs?: number
  /** Statements per POST, at most 100 (default 100). */
  batchSize?: number
  /** Exponential backoff with jitter after a failure: base and cap (default 1 s, 5 min). */
  backoff?: { baseMs: number; maxMs: number }
  random?: () => number
  requestTimeoutMs?: number
}

interface Backoff {
  failures: number
  until: number
}

/**
 * Forwards each tenant's statements to the remote LRSs configured for it (issue 3, "Statement
 * forwarding"): in stream order, at least once (the remote drops repeats by statement id,
 * xAPI 1.0.3 Communication 2.1.2), the cursor moved only after the remote acknowledged.
 *
 * A failure of the remote (5xx, network, 401/403/429) is retried with exponential backoff and
 * jitter; a refusal of the content (400, 409, 413, 422) is narrowed down by halving the batch
 * until the one statement at fault is found, which goes on the dead-letter list while the rest
 * flows on. A target is forwarded by the one process that holds its lease.
 */
export class Forwarder {
  private readonly owner: string
  private readonly fetch: FetchLike
  private readonly leaseMs: number
  private readonly pollMs: number
  private readonly batchSize: number
  private readonly backoff: { baseMs: number; maxMs: number }
  private readonly random: () => number
  private readonly requestTimeoutMs: number
  private readonly abort = new AbortController()
  private readonly failing = new Map<string, Backoff>()
  private readonly loop: PollLoop

  constructor(private readonly options: ForwarderOptions) {
    this.owner = options.owner ?? `forwarder-${randomUUID()}`
    this.fetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike)
    this.leaseMs = options.leaseMs ?? 30_000
    this.pollMs = options.pollMs ?? 1000
    this.batchSize = Math.min(100, options.batchSize ?? 100)
    this.backoff = options.backoff ?? { baseMs: 1000, maxMs: 300_000 }
    this.random = options.random ?? Math.random
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000
    this.loop = new PollLoop(
      async () => (await this.pass()) > 0,
      (error) => {
        // Killed: the abort is the reason, nothing to report.
        if (!this.abort.signal.aborted) this.options.logger.error({ err: error }, 'forwarding pass failed')
      },
      { intervalMs: this.pollMs },
    )
  }

  /** Starts the loop in the background. */
  start(): void {
    this.loop.start()
  }

  /** Stops after the batch in flight, and releases the leases so that another process may go on at once. */
  async stop(): Promise<void> {
    await this.loop.stop()
    for (const target of await this.options.store.list().catch(() => [])) await this.options.store.releaseLease(target.id, this.owner).catch(() => {})
  }

  /** Stops at once, in the middle of anything, writing nothing more (a crash, for tests). */
  kill(): void {
    this.loop.halt()
    this.abort.abort(new Error('forwarder killed'))
  }

  /**
   * One pass: every enabled target, as far as its stream goes now.
   * @returns how many statements the remotes acknowledged in this pass
   */
  async pass(): Promise<number> {
    let sent = 0
    for (const target of await this.options.store.enabledWithSecrets()) {
      if (this.loop.stopping) break
      const backoff = this.failing.get(target.id)
      if (backoff !== undefined && backoff.until > Date.now()) continue
      try {
        sent += await this.forward(target)
        this.failing.delete(target.id)
      } catch (error) {
        if (this.abort.signal.aborted) throw error
        const failures = (backoff?.failures ?? 0) + 1
        const cap = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (failures - 1))
        const delay = Math.round(cap / 2 + (this.random() * cap) / 2)
        this.failing.set(target.id, { failures, until: Date.now() + delay })
        const message = error instanceof RemoteUnavailable ? error.message : `internal: ${(error as Error).message}`
        this.options.logger.warn({ target: target.name, failures, retryInMs: delay, error: message }, 'forwarding failed; will retry')
        await this.options.store.recordError(target.id, message).catch(() => {})
      }
    }
    return sent
  }

  /** Sends a target's statements from its cursor while there are any and the lease holds. */
  private async forward(target: ForwardTargetWithSecret): Promise<number> {
    if (!(await this.options.store.acquireLease(target.id, this.owner, this.leaseMs))) return 0
    let cursor = target.cursor
    let sent = 0
    while (!this.loop.stopping) {
      const page = await this.options.stream.read({ tenantId: target.tenantId, after: cursor, limit: this.batchSize })
      this.checkAlive()
      // Nothing new: keep the cursor (no write per idle pass); the empty range costs nothing to read again.
      if (page.statements.length === 0 || comparePositions(page.next, cursor) === 0) break
      const wanted = page.statements.filter((s) => matches(target, s))
      const accepted = wanted.length > 0 ? await this.deliver(target, wanted) : 0
      this.checkAlive()
      if (!(await this.options.store.advance(target.id, this.owner, page.next, accepted, this.leaseMs))) {
        this.options.logger.warn({ target: target.name }, 'forwarding lease lost to another process; stopping here')
        break
      }
      sent += accepted
      cursor = page.next
      if (page.statements.length < this.batchSize) break
    }
    return sent
  }

  /**
   * Sends a batch; on a refusal, halves it until the statement at fault is isolated.
   * @returns how many statements the remote accepted
   */
  private async deliver(target: ForwardTargetWithSecret, batch: StreamedStatement[]): Promise<number> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.requestTimeoutMs)])
    const answer = await postStatements(target, batch.map((s) => s.json), this.fetch, signal)
    this.checkAlive()
    if (answer.kind === 'accepted') return batch.length
    if (answer.kind === 'unavailable') throw new RemoteUnavailable(answer.error)
    if (batch.length === 1) {
      const [only] = batch
      await this.options.store.addDeadLetter(target.id, { seq: only!.position.seq, statementId: only!.id, status: answer.status, error: answer.error })
      this.options.logger.warn({ target: target.name, statementId: only!.id, status: answer.status }, 'remote LRS refused a statement; put on the dead-letter list')
      return 0
    }
    const half = Math.ceil(batch.length / 2)
    return (await this.deliver(target, batch.slice(0, half))) + (await this.deliver(target, batch.slice(half)))
  }

  private checkAlive(): void {
    if (this.abort.signal.aborted) throw this.abort.signal.reason
  }
}

class RemoteUnavailable extends Error {}

/** The target's filter: verbs (any when none listed) and the object's id prefix. */
export function matches(target: Pick<ForwardTargetWithSecret, 'verbs' | 'activityPrefix'>, streamed: Pick<StreamedStatement, 'json'>): boolean {
  if (target.verbs.length === 0 && target.activityPrefix === null) return true
  const statement = JSON.parse(streamed.json) as Statement
  if (target.verbs.length > 0 && !target.verbs.includes(statement.verb.id)) return false
  if (target.activityPrefix !== null) {
    const object = statement.object as { objectType?: string; id?: string }
    if ((object.objectType ?? 'Activity') !== 'Activity' || !(object.id ?? '').startsWith(target.activityPrefix)) return false
  }
  return true
}

/**
 * Sends a target's dead letters again, oldest first (`tln forward retry`); those the remote now
 * accepts leave the list.
 */
export async function retryDeadLetters(store: ForwardTargetStore, target: ForwardTargetWithSecret, fetch: FetchLike = globalThis.fetch as unknown as FetchLike): Promise<{ sent: number; failed: number }> {
  let sent = 0
  let failed = 0
  for (const letter of await store.deadLetterStatements(target.id)) {
    const answer = await postStatements(target, [letter.json], fetch, AbortSignal.timeout(30_000))
    if (answer.kind === 'accepted') {
      await store.resolveDeadLetter(letter.id)
      sent++
    } else {
      await store.retryFailed(letter.id, answer.status, answer.error)
      failed++
    }
  }
  return { sent, failed }
}
