import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PollingWorker } from './polling-worker.ts'

/** A worker whose passes answer from `answers` (then idle), counting passes and reported errors. */
class ScriptedWorker extends PollingWorker {
  passes = 0
  readonly errors: unknown[] = []
  /** Set while a pass is held open by `hold`; calling it ends the pass. */
  release: (() => void) | undefined
  abortedAtRelease: boolean | undefined

  constructor(private readonly answers: Array<boolean | Error | 'hold'> = [], pollMs = 1_000) {
    super({ pollMs, onError: (err) => void this.errors.push(err) })
  }

  protected async pass(): Promise<boolean> {
    this.passes += 1
    const answer = this.answers.shift() ?? false
    if (answer instanceof Error) throw answer
    if (answer === 'hold') {
      await new Promise<void>((resolve) => { this.release = resolve })
      this.abortedAtRelease = this.signal.aborted
      return true
    }
    return answer
  }
}

describe('PollingWorker (the background workers\' start/stop/wake)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sleeps pollMs after an idle pass, then passes again', async () => {
    const worker = new ScriptedWorker().start()
    await vi.advanceTimersByTimeAsync(999)
    expect(worker.passes).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(worker.passes).toBe(2)
    await worker.stop()
  })

  it('passes again at once after a pass that did work', async () => {
    const worker = new ScriptedWorker([true, true, false]).start()
    await vi.advanceTimersByTimeAsync(0)
    expect(worker.passes).toBe(3)
    await worker.stop()
  })

  it('wake ends the sleep: the next pass runs without waiting for pollMs', async () => {
    const worker = new ScriptedWorker().start()
    await vi.advanceTimersByTimeAsync(10)
    worker.wake()
    await vi.advanceTimersByTimeAsync(0)
    expect(worker.passes).toBe(2)
    await worker.stop()
  })

  it('reports a pass that throws and goes on after pollMs (the work is safe in the database)', async () => {
    const failure = new Error('connection refused')
    const worker = new ScriptedWorker([failure, true]).start()
    await vi.advanceTimersByTimeAsync(0)
    expect([worker.passes, worker.errors]).toEqual([1, [failure]])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(worker.passes).toBe(3)
    await worker.stop()
  })

  it('stop aborts the signal, ends the sleep and waits for the pass in flight', async () => {
    const worker = new ScriptedWorker(['hold'], 60_000).start()
    await vi.advanceTimersByTimeAsync(0)
    let stopped = false
    const stopping = worker.stop().then(() => { stopped = true })
    await vi.advanceTimersByTimeAsync(0)
    expect(stopped).toBe(false)
    worker.release!()
    await stopping
    expect(worker.abortedAtRelease).toBe(true)
    expect(worker.passes).toBe(1)
  })

  it('runs one loop however often start is called, and none after stop', async () => {
    const worker = new ScriptedWorker().start().start()
    await vi.advanceTimersByTimeAsync(0)
    expect(worker.passes).toBe(1)
    await worker.stop()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(worker.passes).toBe(1)
  })
})
