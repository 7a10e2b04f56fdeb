import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CredentialStore } from '../../src/index.ts'
import { verifySecret } from '../../src/credentials/secret-hash.ts'

/**
 * A key/secret pair costs one scrypt while it is in use (issue 7, "server RSS < 300 MB under
 * load"): concurrent requests share one, and the cached check lasts 30 s after its last use, not
 * after the scrypt. Each scrypt is 16 MiB on a libuv thread, which glibc keeps in that thread's
 * arena (docs/performance-notes.md, 2026-11-29, M). HTTP Basic per RFC 7617 as xAPI 1.0.3 Part 4
 * §4.1 asks of an LRS.
 */
let db: Db
let n = 0
const SECRET = 'a-long-secret-1'

beforeAll(async () => {
  db = await createTestDb()
})
afterAll(async () => {
  await db.close()
})

/** A store whose scrypt checks are counted; the clock moves when `now.ms` does. */
function countingStore(now = { ms: Date.now() }) {
  const calls = { count: 0 }
  const store = new CredentialStore(db.knex, {
    cacheTtlMs: 30_000,
    now: () => now.ms,
    verifySecret: async (secret, stored) => {
      calls.count++
      return verifySecret(secret, stored)
    },
  })
  return { store, calls, now }
}

async function credential(store: CredentialStore): Promise<string> {
  n += 1
  const key = `verification-${n}`
  await store.create({ key, secret: SECRET, scopes: ['all'] })
  return key
}

describe(`checking a credential's secret on ${testEngine()}`, () => {
  it('runs one scrypt for concurrent checks of the same key and secret, and every check passes (RFC 7617 §2)', async () => {
    const { store, calls } = countingStore()
    const key = await credential(store)
    const checks = await Promise.all(Array.from({ length: 8 }, () => store.check(key, SECRET)))
    expect(checks.map((c) => c.outcome)).toEqual(Array(8).fill('valid'))
    expect(calls.count).toBe(1)
  })

  it('runs one scrypt again, not one per request, when the cached check has expired', async () => {
    const { store, calls, now } = countingStore()
    const key = await credential(store)
    expect((await store.check(key, SECRET)).outcome).toBe('valid')
    now.ms += 30_001
    const checks = await Promise.all(Array.from({ length: 8 }, () => store.check(key, SECRET)))
    expect(checks.every((c) => c.outcome === 'valid')).toBe(true)
    expect(calls.count).toBe(2)
  })

  it('keeps a check in steady use: a credential used more often than the cache lifetime runs scrypt once', async () => {
    const { store, calls, now } = countingStore()
    const key = await credential(store)
    for (let i = 0; i < 5; i++) {
      expect((await store.check(key, SECRET)).outcome).toBe('valid')
      now.ms += 20_000
    }
    expect(calls.count).toBe(1)
    now.ms += 30_001
    expect((await store.check(key, SECRET)).outcome).toBe('valid')
    expect(calls.count).toBe(2)
  })

  it('checks another secret for the same key on its own: the wrong one fails while the right one passes', async () => {
    const { store, calls } = countingStore()
    const key = await credential(store)
    const [right, wrong, wrongAgain] = await Promise.all([store.check(key, SECRET), store.check(key, 'a-wrong-secret-2'), store.check(key, 'a-wrong-secret-2')])
    expect(right.outcome).toBe('valid')
    expect(wrong).toEqual({ outcome: 'invalid', keyExists: true })
    expect(wrongAgain).toEqual({ outcome: 'invalid', keyExists: true })
    expect(calls.count).toBe(2)
    // Nothing of a finished check stays in flight: the wrong secret is checked again, and fails again.
    expect((await store.check(key, 'a-wrong-secret-2')).outcome).toBe('invalid')
    expect(calls.count).toBe(3)
  })
})
