import { describe, expect, it } from 'vitest'
import { LrsError } from '../errors.ts'
import { BodyBudget } from './body-budget.ts'

const settled = async <T>(promise: Promise<T>) => {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending'
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  )
  await new Promise((resolve) => setImmediate(resolve))
  return state
}

describe('BodyBudget (issue 7: bodies worked on at once)', () => {
  it('reserves at once while the bytes fit, and gives them back once', async () => {
    const budget = new BodyBudget(100, 1_000)
    const release = await budget.reserve(60)
    const other = await budget.reserve(40)
    expect(budget.reserved).toBe(100)
    release()
    release()
    expect(budget.reserved).toBe(40)
    other()
    expect(budget.reserved).toBe(0)
  })

  it('makes a request that does not fit wait until room is given back', async () => {
    const budget = new BodyBudget(100, 1_000)
    const first = await budget.reserve(80)
    const second = budget.reserve(50)
    expect(await settled(second)).toBe('pending')
    expect(budget.queued).toBe(1)
    first()
    await expect(second).resolves.toBeTypeOf('function')
    expect(budget.reserved).toBe(50)
  })

  it('lets waiting requests in in arrival order: a small one never passes a large one ahead of it', async () => {
    const budget = new BodyBudget(100, 1_000)
    const first = await budget.reserve(60)
    const large = budget.reserve(90)
    const small = budget.reserve(20)
    expect(await settled(small)).toBe('pending')
    first()
    const releaseLarge = await large
    expect(await settled(small)).toBe('pending')
    releaseLarge()
    await expect(small).resolves.toBeTypeOf('function')
  })

  it('refuses a request that waited longer than the limit with ERR_LRS_BUSY, keeping nothing reserved for it', async () => {
    const budget = new BodyBudget(100, 20)
    const held = await budget.reserve(100)
    const refused = budget.reserve(1)
    await expect(refused).rejects.toSatisfy((error: unknown) => error instanceof LrsError && error.code === 'ERR_LRS_BUSY')
    expect(budget.queued).toBe(0)
    held()
    expect(budget.reserved).toBe(0)
  })

  it('drops a waiting request whose client went away, and lets the next one in', async () => {
    const budget = new BodyBudget(100, 1_000)
    const held = await budget.reserve(70)
    const gone = new AbortController()
    const abandoned = budget.reserve(60, gone.signal)
    const next = budget.reserve(30)
    expect(await settled(next)).toBe('pending')
    gone.abort(new Error('client closed'))
    await expect(abandoned).rejects.toThrow('client closed')
    await expect(next).resolves.toBeTypeOf('function')
    expect(budget.reserved).toBe(100)
    held()
  })

  it('cuts a reservation larger than the capacity to the capacity, so it can run alone', async () => {
    const budget = new BodyBudget(100, 1_000)
    const release = await budget.reserve(1_000)
    expect(budget.reserved).toBe(100)
    release()
  })
})
