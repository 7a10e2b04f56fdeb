import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs, LrsError, type Lrs } from '@tln/lrs'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredential, listCredentials, revokeCredential } from '../src/cli/credential-commands.ts'
import { exitCodeOf } from '../src/cli/exit-code.ts'
import { ServerError } from '../src/errors.ts'
import { captureOutput } from './test-app.ts'

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected the command to fail')
}

describe(`tln credentials on ${testEngine()}`, () => {
  let db: Db
  let lrs: Lrs
  beforeAll(async () => {
    db = await createTestDb()
    lrs = createLrs({ knex: db.knex, logger: pino({ level: 'silent' }), publicUrl: 'http://tln.test' })
  })
  afterAll(async () => {
    await db.close()
  })

  it('create with --key and --secret makes a working credential and prints it', async () => {
    const io = captureOutput()
    await createCredential(lrs.credentials, { key: 'bppaud-ntb', secret: 'a-long-secret-1', scopes: 'statements/read,statements/write', label: 'BPPAUD NTB' }, io)
    expect(io.stdout).toContain('key:           bppaud-ntb')
    expect(io.stdout).toContain('secret:        a-long-secret-1')
    expect(io.stdout).toContain('scopes:        statements/read,statements/write')
    expect(io.stdout).toContain(`Authorization: Basic ${Buffer.from('bppaud-ntb:a-long-secret-1').toString('base64')}`)
    const verified = await lrs.credentials.verify('bppaud-ntb', 'a-long-secret-1')
    expect(verified?.scopes).toEqual(['statements/read', 'statements/write'])
  })

  it('create without --key and --secret generates both and prints them once (--json for scripts)', async () => {
    const io = captureOutput()
    await createCredential(lrs.credentials, { scopes: 'all', json: true }, io)
    const printed = JSON.parse(io.stdout) as { key: string; secret: string; scopes: string[]; tenant: string }
    expect(printed.key).toMatch(/^[A-Za-z0-9_-]{8,}$/)
    expect(printed.secret.length).toBeGreaterThanOrEqual(16)
    expect(printed).toMatchObject({ scopes: ['all'], tenant: 'default' })
    expect(await lrs.credentials.verify(printed.key, printed.secret)).toBeDefined()
  })

  it('create rejects unknown scopes before touching the database: a usage error, exit 2', async () => {
    const error = await failure(() => createCredential(lrs.credentials, { key: 'never-made', scopes: 'all,everything' }, captureOutput()))
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).code).toBe('ERR_USAGE')
    expect((error as ServerError).message).toContain('unknown: everything')
    expect(exitCodeOf(error)).toBe(2)
    expect((await lrs.credentials.list()).map((c) => c.key)).not.toContain('never-made')
  })

  it('create with a key that exists is a validation error, exit 2', async () => {
    const error = await failure(() => createCredential(lrs.credentials, { key: 'bppaud-ntb', scopes: 'all' }, captureOutput()))
    expect(error).toBeInstanceOf(LrsError)
    expect((error as LrsError).code).toBe('ERR_LRS_CONFLICT')
    expect(exitCodeOf(error)).toBe(2)
  })

  it('create for an unknown tenant is a validation error, exit 2', async () => {
    const error = await failure(() => createCredential(lrs.credentials, { scopes: 'all', tenant: 'no-such-tenant' }, captureOutput()))
    expect(exitCodeOf(error)).toBe(2)
  })

  it('list shows keys, tenants, scopes and labels, never secrets', async () => {
    const io = captureOutput()
    await listCredentials(lrs.credentials, {}, io)
    expect(io.stdout).toMatch(/^KEY\s+TENANT\s+SCOPES\s+LABEL/)
    expect(io.stdout).toMatch(/bppaud-ntb\s+default\s+statements\/read,statements\/write\s+BPPAUD NTB/)
    expect(io.stdout).not.toContain('a-long-secret-1')
    const json = captureOutput()
    await listCredentials(lrs.credentials, { json: true }, json)
    expect(JSON.parse(json.stdout)).toContainEqual({ key: 'bppaud-ntb', tenant: 'default', scopes: ['statements/read', 'statements/write'], label: 'BPPAUD NTB' })
  })

  it('revoke stops the credential working and removes it from the list', async () => {
    const io = captureOutput()
    await revokeCredential(lrs.credentials, 'bppaud-ntb', io)
    expect(io.stdout).toContain('revoked bppaud-ntb')
    expect(await lrs.credentials.verify('bppaud-ntb', 'a-long-secret-1')).toBeUndefined()
    expect((await lrs.credentials.list()).map((c) => c.key)).not.toContain('bppaud-ntb')
  })

  it('revoke of an unknown key fails with exit 1', async () => {
    const error = await failure(() => revokeCredential(lrs.credentials, 'bppaud-ntb', captureOutput()))
    expect((error as ServerError).code).toBe('ERR_NOT_FOUND')
    expect(exitCodeOf(error)).toBe(1)
  })
})
