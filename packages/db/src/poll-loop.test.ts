import { describe, expect, it } from 'vitest'
import { PollLoop } from './poll-loop.ts'

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms))

describe('PollLoop', () => {
  it('runs again at once while a pass says there is more, then waits the interval', async () => {
    let passes = 0
    const loop = new PollLoop(async () => ++passes < 3, () => {}, { intervalMs: 60_000 })
    loop.start()
    await tick(20)
    expect(passes).toBe(3)
    await loop.stop()
    expect(passes).toBe(3)
  })

  it('with waitFirst runs no pass before the first interval, and stop() wakes the wait without a pass', async () => {
    let passes = 0
    const loop = new PollLoop(async () => { passes++; return false }, () => {}, { intervalMs: 60_000, waitFirst: true })
    loop.start()
    await tick(20)
    await loop.stop()
    expect(passes).toBe(0)
  })

  it('stop() waits for the pass in flight, which sees stopping', async () => {
    let release!: () => void
    let sawStopping = false
    const loop: PollLoop = new PollLoop(async () => {
      await new Promise<void>((resolve) => { release = resolve })
      sawStopping = loop.stopping
      return true
    }, () => {}, { intervalMs: 60_000 })
    loop.start()
    await tick()
    let stopped = false
    const stopping = loop.stop().then(() => { stopped = true })
    await tick()
    expect(stopped).toBe(false)
    release()
    await stopping
    expect(sawStopping).toBe(true)
  })

  it('reports what a pass threw and goes on after the interval', async () => {
    const errors: unknown[] = []
    let passes = 0
    const loop = new PollLoop(async () => { if (++passes === 1) throw new Error('boom'); return false }, (e) => errors.push(e), { intervalMs: 5 })
    loop.start()
    await tick(50)
    await loop.stop()
    expect((errors[0] as Error).message).toBe('boom')
    expect(passes).toBeGreaterThan(1)
  })

  it('starts again after stop()', async () => {
    let passes = 0
    const loop = new PollLoop(async () => { passes++; return false }, () => {}, { intervalMs: 60_000 })
    loop.start()
    await tick()
    await loop.stop()
    loop.start()
    await tick()
    await loop.stop()
    expect(passes).toBe(2)
  })
})
