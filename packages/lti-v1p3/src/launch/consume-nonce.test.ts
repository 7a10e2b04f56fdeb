import { describe, expect, it } from 'vitest'
import { MemoryNonceStore } from '../testing/memory-stores.ts'
import { T0, verified } from '../testing/launch-harness.ts'
import { consumeNonce } from './consume-nonce.ts'

const claims = verified({ nonce: 'n1', exp: T0 / 1000 + 60 })

describe('consumeNonce (Security Framework 1.0 §5.1.3 step 8; OIDC Core 1.0 §3.1.3.7 rule 11)', () => {
  it('records a first-time nonce that matches the login', async () => {
    const store = new MemoryNonceStore()
    await consumeNonce(claims, { nonce: 'n1' }, store)
    expect(store.seen.get('n1')).toBe(T0 + 120_000)
  })
  it('rejects a replayed nonce', async () => {
    const store = new MemoryNonceStore()
    await consumeNonce(claims, { nonce: 'n1' }, store)
    await expect(consumeNonce(claims, { nonce: 'n1' }, store)).rejects.toMatchObject({ code: 'ERR_LTI_NONCE_REPLAYED' })
  })
  it('rejects a nonce other than the one sent at login', async () => {
    await expect(consumeNonce(claims, { nonce: 'n2' }, new MemoryNonceStore())).rejects.toMatchObject({ code: 'ERR_LTI_NONCE_MISMATCH' })
  })
  it('rejects a token without nonce', async () => {
    await expect(consumeNonce(verified({ exp: 1 }), { nonce: 'n1' }, new MemoryNonceStore())).rejects.toMatchObject({ code: 'ERR_LTI_MISSING_CLAIM' })
  })
})
