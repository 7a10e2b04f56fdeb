import { describe, expect, it } from 'vitest'
import { MemoryKeyStore } from '../testing/memory-stores.ts'
import { rotateToolKeys } from './rotate-tool-keys.ts'
import { toolJwks } from './tool-jwks.ts'

const DAY = 24 * 3_600_000

describe('tool keys and JWKS (Security Framework 1.0 §6.1, §6.3)', () => {
  it('publishes only public members, each key with kid, alg RS256 and use sig', async () => {
    const store = new MemoryKeyStore()
    await rotateToolKeys(store, { now: 0 })
    const { keys } = await toolJwks(store)
    expect(keys).toHaveLength(1)
    const [key] = keys
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
    expect(Object.keys(key ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
  })
  it('keeps the previous key published during the overlap, then drops it', async () => {
    const store = new MemoryKeyStore()
    const first = await rotateToolKeys(store, { now: 0, overlapMs: 7 * DAY })
    const second = await rotateToolKeys(store, { now: 1 * DAY, overlapMs: 7 * DAY })
    expect((await toolJwks(store)).keys.map((k) => k.kid)).toEqual([second.kid, first.kid])
    const third = await rotateToolKeys(store, { now: 9 * DAY, overlapMs: 7 * DAY })
    expect((await toolJwks(store)).keys.map((k) => k.kid)).toEqual([third.kid, second.kid])
  })
  it('publishes an empty set before the first key exists', async () => {
    expect(await toolJwks(new MemoryKeyStore())).toEqual({ keys: [] })
  })
})
