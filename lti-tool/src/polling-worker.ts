/**
 * A background worker that polls the database for due work: the grade passback worker
 * (`ags/passback-worker.ts`) and the statement outbox deliverer (`xapi/outbox-deliverer.ts`) run
 * one each per server process. This is their shared start/stop/wake loop; claiming, leases and
 * backoff stay with each worker, in its `pass`.
 *
 * - A pass that did work runs again at once; an idle pass sleeps `pollMs`, or less when `wake` is
 *   called (e.g. right after a job was enqueued in this process).
 * - A pass that throws (the database is away) goes to `onError` and counts as idle: the work is
 *   safe in the database, so the worker waits and tries again instead of ending.
 * - `stop` aborts `signal`, ends the sleep and waits for the pass in flight, so a worker can give
 *   its claimed work back before the process closes the database.
 */
export interface PollingOptions {
  /** How long an idle worker sleeps before the next pass, unless woken. */
  readonly pollMs: number
  /** A pass threw; the worker goes on after `pollMs`. */
  readonly onError: (err: unknown) => void
}

export abstract class PollingWorker {
  private readonly controller = new AbortController()
  private running: Promise<void> | undefined
  private readonly wakeups = new Set<() => void>()

  constructor(private readonly polling: PollingOptions) {}

  /** One pass; true when it did work (look again at once), false when nothing was due. */
  protected abstract pass(): Promise<boolean>

  /** Aborted by `stop`: the work in flight reads it to give its job back. */
  protected get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Run in the background until `stop`; a second call changes nothing. */
  start(): this {
    this.running ??= this.run()
    return this
  }

  /** End the sleep, let the pass in flight finish (it sees `signal` aborted), and wait for it. */
  async stop(): Promise<void> {
    this.controller.abort()
    this.wake()
    await this.running
  }

  /** Look for due work now instead of at the next poll (e.g. right after enqueueing); a no-op while a pass runs. */
  wake(): void {
    for (const wake of this.wakeups) wake()
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal
    while (!signal.aborted) {
      let busy = false
      try {
        busy = await this.pass()
      } catch (err) {
        this.polling.onError(err)
      }
      if (!busy) await this.sleep(this.polling.pollMs)
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.wakeups.delete(done); resolve() }
      const timer = setTimeout(done, ms)
      this.wakeups.add(done)
    })
  }
}
