import { describe, expect, it } from 'vitest'
import type { Platform } from '../platform.ts'
import { MemoryPlatformStore } from '../testing/memory-stores.ts'
import { findPlatform } from './find-platform.ts'

const platform = { issuer: 'https://lms.example.org', clientId: 'tln' } as Platform

describe('findPlatform (LTI Core 1.3 §3.1.3: a registration is an issuer and a client_id)', () => {
  it('finds the registration named by the login state', async () => {
    const store = new MemoryPlatformStore()
    store.add(platform)
    expect(await findPlatform(store, { iss: platform.issuer, clientId: 'tln' })).toBe(platform)
  })
  it('rejects when the registration is gone', async () =>
    expect(findPlatform(new MemoryPlatformStore(), { iss: platform.issuer, clientId: 'tln' })).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_PLATFORM' }))
})
