import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, lrsProcess, V2, type LrsProcess } from './security-lrs.ts'

/**
 * Revocation is honoured across processes on the next request (issue 7, Security): the
 * verified-secret cache only saves the scrypt; every request reads the credential row.
 */
let db: Db
let one: LrsProcess
let two: LrsProcess

beforeAll(async () => {
  db = await createTestDb()
  one = lrsProcess(db)
  two = lrsProcess(db)
})
afterAll(async () => {
  await db.close()
})

const get = (process: LrsProcess, authorization: string) => process.http.get('/xapi/statements?limit=1').set(V2).set('Authorization', authorization)

describe(`revoked credentials on ${testEngine()}`, () => {
  it('refuses a credential revoked by another process on the very next request, though its check is cached', async () => {
    await one.lrs.credentials.create({ key: 'revoked-elsewhere', secret: 'a-long-secret-1', scopes: ['all'] })
    const auth = basic('revoked-elsewhere', 'a-long-secret-1')
    expect((await get(one, auth)).status).toBe(200)
    expect((await get(one, auth)).status).toBe(200)
    expect(await two.lrs.credentials.revoke('revoked-elsewhere')).toBe(true)
    const res = await get(one, auth)
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('ERR_LRS_UNAUTHORIZED')
  })

  it('refuses the old secret when the stored hash changed behind the cache', async () => {
    await one.lrs.credentials.create({ key: 'rehashed', secret: 'a-long-secret-1', scopes: ['all'] })
    const auth = basic('rehashed', 'a-long-secret-1')
    expect((await get(one, auth)).status).toBe(200)
    const other = await two.lrs.credentials.create({ key: 'donor', secret: 'another-secret-2', scopes: ['all'] })
    const donorHash = (await db.knex('lrs_credential').where({ id: other.credential.id }).first('secret_hash')) as { secret_hash: string }
    await db.knex('lrs_credential').update({ secret_hash: donorHash.secret_hash }).where({ api_key: 'rehashed' })
    expect((await get(one, auth)).status).toBe(401)
    expect((await get(one, basic('rehashed', 'another-secret-2'))).status).toBe(200)
  })

  it('answers with the scopes the row has now, not those cached', async () => {
    await one.lrs.credentials.create({ key: 'narrowed', secret: 'a-long-secret-1', scopes: ['all'] })
    const auth = basic('narrowed', 'a-long-secret-1')
    expect((await get(one, auth)).status).toBe(200)
    await db.knex('lrs_credential').update({ scopes: ['statements/write'] }).where({ api_key: 'narrowed' })
    expect((await get(one, auth)).status).toBe(403)
  })
})
