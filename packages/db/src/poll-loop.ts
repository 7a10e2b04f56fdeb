/**
 * A background worker's loop: run a pass, then wait `intervalMs` unless the pass says there is more
 * to do at once. `stop()` wakes the wait and returns once the pass in flight has finished; a pass
 * that works through a list checks `stopping` between items. The competence engine, the badge
 * issuer, the statement forwarder and the database maintenance run on it.
 */
export class PollLoop {
  private loop: Promise<void> | undefined
  private halted = false
  private wake: (() => void) | undefined

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

  /** Starts the loop in the background (again after `stop()`; not while a halted loop winds down). */
  start(): void {
    if (this.loop !== undefined) return
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
    this.wake?.()
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
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }
}
