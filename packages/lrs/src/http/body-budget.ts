import { LrsError } from '../errors.ts'

/**
 * The bytes of request bodies the LRS reads and works on at once (issue 7: load and attack).
 * A body is held, parsed and validated in memory until its request is answered, at several times
 * its size (30 concurrent 5 MB batches took a server from 90 to 792 MB; with a 16 MiB budget 297 MB), and more requests at once
 * add no throughput once the database is busy. A request reserves its announced `Content-Length`
 * (a chunked one, the body limit) before its body is read and gives it back when its response
 * closes. Requests that do not fit wait in arrival order, their bodies left unread in the
 * connection (TCP flow control holds the client), so a large request is never passed over by
 * small ones forever. One that waits longer than `maxWaitMs` is answered 503 with Retry-After.
 */
export class BodyBudget {
  private used = 0
  private readonly waiting: Waiter[] = []

  constructor(
    /** Bytes reserved at once, at most; a single reservation is cut to it. */
    readonly capacity: number,
    /** How long a request may wait for room before it is refused. */
    readonly maxWaitMs: number,
  ) {
    if (!(capacity > 0) || !(maxWaitMs >= 0)) throw new RangeError('BodyBudget needs a positive capacity and a wait of 0 ms or more')
  }

  /** Bytes reserved now (for tests and diagnostics). */
  get reserved(): number {
    return this.used
  }

  /** Requests waiting for room now. */
  get queued(): number {
    return this.waiting.length
  }

  /**
   * Reserves `bytes` and resolves with the function that gives them back (calling it again does
   * nothing). Rejects with `ERR_LRS_BUSY` after `maxWaitMs`, or with `signal`'s reason when it
   * aborts (the client went away while waiting); either way nothing stays reserved.
   */
  reserve(bytes: number, signal?: AbortSignal): Promise<() => void> {
    const wanted = Math.min(Math.max(0, Math.ceil(bytes)), this.capacity)
    if (this.waiting.length === 0 && this.used + wanted <= this.capacity) return Promise.resolve(this.take(wanted))
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        bytes: wanted,
        grant: () => {
          stopWaiting()
          resolve(this.take(wanted))
        },
      }
      const leave = (error: unknown) => {
        const at = this.waiting.indexOf(waiter)
        if (at < 0) return
        this.waiting.splice(at, 1)
        stopWaiting()
        reject(error)
        // The head may have been what held the others back.
        this.grantWaiting()
      }
      const timer = setTimeout(() => {
        leave(new LrsError('ERR_LRS_BUSY', `the LRS is working on ${this.used} bytes of other requests' bodies, its limit; nothing of this request was read or stored, retry shortly`))
      }, this.maxWaitMs)
      const onAbort = () => leave(signal!.reason)
      const stopWaiting = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      if (signal?.aborted) {
        clearTimeout(timer)
        reject(signal.reason)
        return
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(waiter)
    })
  }

  private take(bytes: number): () => void {
    this.used += bytes
    let given = false
    return () => {
      if (given) return
      given = true
      this.used -= bytes
      this.grantWaiting()
    }
  }

  /** Lets waiting requests in, in arrival order, while the first of them fits. */
  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.bytes <= this.capacity) this.waiting.shift()!.grant()
  }
}

interface Waiter {
  bytes: number
  grant(): void
}
