/**
 * A background worker's loop: run a pass, then wait `intervalMs` unless the pass says there is more
 * to do at once (or `wake()` ends the wait early). A pass that throws goes to `onError` and counts as
 * idle: the work is safe in the database, so the worker waits and tries again instead of ending.
 * `stop()` sets `stopping`, aborts `signal`, ends the wait and returns once the pass in flight has
 * finished; a pass that works through a list checks `stopping` between items, and one that holds
 * claimed work reads `signal` to give it back. Every background worker runs on it: the competence
 * engine, the badge issuer, the statement forwarder, the database maintenance, and the LTI tool's
 * `PollingWorker`s (grade passback, statement outbox).
 */
export class PollLoop {
  private loop: Promise<void> | undefined
  private halted = false
  private controller = new AbortController()
  private endWait: (() => void) | undefined

  /**
   * @param pass one round of work; resolves true when there is more to do at once
   * @param onError called with what a pass threw; the loop goes on after the usual wait
   * @param options.waitFirst wait one interval before the first pass (work that should not run during start-up)
   */
  constructor(
    private readonly pass: () => Promise<boolean>,
    private readonly onError: (error: unknown) => void,
    private readonly options: { intervalMs: number; waitFirst?: boolean },
  ) {}

  /** True once `stop()` or `halt()` was called, until the next `start()`. */
  get stopping(): boolean {
    return this.halted
  }

  /** Aborted by `stop()` or `halt()`: the work in flight reads it to give its claimed work back. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Starts the loop in the background (again after `stop()`; not while a halted loop winds down). */
  start(): void {
    if (this.loop !== undefined) return
    if (this.halted) this.controller = new AbortController()
    this.halted = false
    this.loop = this.run()
  }

  /** Stops after the pass in flight, and waits for it. */
  async stop(): Promise<void> {
    this.halt()
    await this.loop
    this.loop = undefined
  }

  /** Asks the loop to stop without waiting for the pass in flight. */
  halt(): void {
    this.halted = true
    this.controller.abort()
    this.wake()
  }

  /** Ends the wait: the next pass runs now (e.g. right after work was enqueued); a no-op while a pass runs. */
  wake(): void {
    this.endWait?.()
  }

  private async run(): Promise<void> {
    if (this.options.waitFirst === true) await this.wait()
    while (!this.halted) {
      let more = false
      try {
        more = await this.pass()
      } catch (error) {
        this.onError(error)
      }
      if (!more && !this.halted) await this.wait()
    }
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.intervalMs)
      this.endWait = () => {
        clearTimeout(timer)
        this.endWait = undefined
        resolve()
      }
    })
  }
}
