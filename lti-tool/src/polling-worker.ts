import { PollLoop } from '@tln/db'

/**
 * A background worker that polls the database for due work: the grade passback worker
 * (`ags/passback-worker.ts`) and the statement outbox deliverer (`xapi/outbox-deliverer.ts`) run
 * one each per server process. Their loop is `@tln/db`'s `PollLoop`, as every background worker's;
 * claiming, leases and backoff stay with each worker, in its `pass`.
 */
export interface PollingOptions {
  /** How long an idle worker sleeps before the next pass, unless woken. */
  readonly pollMs: number
  /** A pass threw; the worker goes on after `pollMs`. */
  readonly onError: (err: unknown) => void
}

export abstract class PollingWorker {
  private readonly loop: PollLoop

  constructor(polling: PollingOptions) {
    this.loop = new PollLoop(() => this.pass(), polling.onError, { intervalMs: polling.pollMs })
  }

  /** One pass; true when it did work (look again at once), false when nothing was due. */
  protected abstract pass(): Promise<boolean>

  /** Aborted by `stop`: the work in flight reads it to give its job back. */
  protected get signal(): AbortSignal {
    return this.loop.signal
  }

  /** Run in the background until `stop`; a second call changes nothing. */
  start(): this {
    this.loop.start()
    return this
  }

  /** End the sleep, let the pass in flight finish (it sees `signal` aborted), and wait for it. */
  stop(): Promise<void> {
    return this.loop.stop()
  }

  /** Look for due work now instead of at the next poll (e.g. right after enqueueing); a no-op while a pass runs. */
  wake(): void {
    this.loop.wake()
  }
}
