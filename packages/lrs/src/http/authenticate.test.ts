import { describe, expect, it } from 'vitest'
import type { CredentialCheck, CredentialStore } from '../credentials/credential-store.ts'
import { authenticate } from './authenticate.ts'

const VALID: CredentialCheck = { outcome: 'valid', credential: { id: 'c1', tenantId: 't1', key: 'tool', label: 'tool', scopes: ['all'] } }
const REVOKED: CredentialCheck = { outcome: 'invalid', keyExists: false }
const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`

/** A credential store whose checks the test answers by hand, in the order they began. */
function manualCredentials() {
  const checks: Array<{ key: string; answer: (checked: CredentialCheck) => void; fail: (error: unknown) => void }> = []
  const store = {
    check: (key: string) => new Promise<CredentialCheck>((resolve, reject) => checks.push({ key, answer: resolve, fail: reject })),
  } as unknown as CredentialStore
  return { checks, store }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('authenticate: one credential check for concurrent requests (issue 7)', () => {
  it('answers requests that arrived during a check with one check that began after them', async () => {
    const { checks, store } = manualCredentials()
    const first = authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')
    const second = authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')
    const third = authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')
    expect(checks).toHaveLength(1)
    checks[0]!.answer(VALID)
    expect((await first).id).toBe('c1')
    await settle()
    expect(checks).toHaveLength(2)
    checks[1]!.answer(VALID)
    expect((await second).id).toBe('c1')
    expect((await third).id).toBe('c1')
    expect(checks).toHaveLength(2)
  })

  it('refuses a request that arrived after a revocation, though a check that began earlier found the credential valid', async () => {
    const { checks, store } = manualCredentials()
    const before = authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')
    // Revoked here: the check in flight may have read the row before; the next request must not use it.
    const after = authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')
    checks[0]!.answer(VALID)
    await before
    await settle()
    checks[1]!.answer(REVOKED)
    await settle()
    // A refusal is not shared: the waiting request checks on its own, so the throttle counts it.
    expect(checks).toHaveLength(3)
    checks[2]!.answer(REVOKED)
    await expect(after).rejects.toMatchObject({ code: 'ERR_LRS_UNAUTHORIZED' })
  })

  it('does not share a check between different secrets or client addresses', async () => {
    const { checks, store } = manualCredentials()
    const requests = [
      authenticate(basic('tool', 'secret-1'), store, '10.0.0.1'),
      authenticate(basic('tool', 'secret-2'), store, '10.0.0.1'),
      authenticate(basic('tool', 'secret-1'), store, '10.0.0.2'),
    ]
    expect(checks).toHaveLength(3)
    for (const check of checks) check.answer(VALID)
    await Promise.all(requests)
  })

  it('fails the requests waiting behind a check that found the database unavailable with it, instead of a second pool wait', async () => {
    const { checks, store } = manualCredentials()
    const first = authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')
    const waiting = [authenticate(basic('tool', 'secret-1'), store, '10.0.0.1'), authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')]
    // What knex throws when no pooled connection came within its wait (10 s): answered 503 with Retry-After.
    const poolTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })
    checks[0]!.fail(poolTimeout)
    await expect(first).rejects.toBe(poolTimeout)
    for (const request of waiting) await expect(request).rejects.toBe(poolTimeout)
    // No second check began: with every connection held by slow queries it would wait the pool's 10 s again.
    expect(checks).toHaveLength(1)
    // Once the database answers again, the next request checks as usual.
    const later = authenticate(basic('tool', 'secret-1'), store, '10.0.0.1')
    await settle()
    expect(checks).toHaveLength(2)
    checks[1]!.answer(VALID)
    expect((await later).id).toBe('c1')
  })
})
