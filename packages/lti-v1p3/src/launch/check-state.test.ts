import { describe, expect, it } from 'vitest'
import { MemoryLoginStateStore } from '../testing/memory-stores.ts'
import { T0 } from '../testing/launch-harness.ts'
import { checkState, consumeState } from './check-state.ts'

const saved = { nonce: 'n', iss: 'https://lms.example.org', clientId: 'tln', targetLinkUri: 'https://tln.example/lti/launch', expiresAt: T0 + 60_000 }

describe('checkState and consumeState (Security Framework 1.0 §5.1.1.2–5.1.1.3)', () => {
  it('returns the login state of a known state without consuming it; consumeState then does', async () => {
    const store = new MemoryLoginStateStore()
    await store.save('s1', saved)
    await expect(checkState('s1', store, T0)).resolves.toEqual(saved)
    expect(store.states.size).toBe(1)
    await consumeState('s1', store)
    expect(store.states.size).toBe(0)
  })
  it('rejects a state that does not match any login (state mismatch)', async () => {
    const store = new MemoryLoginStateStore()
    await store.save('s1', saved)
    await expect(checkState('s2', store, T0)).rejects.toMatchObject({ code: 'ERR_LTI_STATE_UNKNOWN' })
  })
  it('rejects a state used a second time', async () => {
    const store = new MemoryLoginStateStore()
    await store.save('s1', saved)
    await consumeState('s1', store)
    await expect(checkState('s1', store, T0)).rejects.toMatchObject({ code: 'ERR_LTI_STATE_UNKNOWN' })
    // Two launches racing past checkState: only one consumes.
    await store.save('s2', saved)
    await consumeState('s2', store)
    await expect(consumeState('s2', store)).rejects.toMatchObject({ code: 'ERR_LTI_STATE_UNKNOWN' })
  })
  it('rejects an expired state', async () => {
    const store = new MemoryLoginStateStore()
    await store.save('s1', saved)
    await expect(checkState('s1', store, T0 + 60_000)).rejects.toMatchObject({ code: 'ERR_LTI_STATE_EXPIRED' })
  })
})
