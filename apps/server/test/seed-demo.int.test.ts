import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoCommand } from '../src/cli/seed-command.ts'
import { DEMO_CREDENTIAL, ensureDemoCredential } from '../src/seed/demo-credential.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { demoStatements } from '../src/seed/demo-statements.ts'
import { captureOutput } from './test-app.ts'

describe(`tln seed demo on ${testEngine()}`, () => {
  let db: Db
  let lrs: Lrs
  const expected = demoStatements()
  const count = async (): Promise<number> => Number((await db.knex('xapi_statement').count({ n: '*' }).first())!.n)

  beforeAll(async () => {
    db = await createTestDb()
    lrs = createLrs({ knex: db.knex, logger: pino({ level: 'silent' }), publicUrl: 'http://tln.test' })
  })
  afterAll(async () => {
    await db.close()
  })

  it('stores every demo statement, within 20 seconds', async () => {
    const started = Date.now()
    const result = await seedDemo(lrs)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(result).toEqual({ statements: expected.length, alreadySeeded: false })
    expect(await count()).toBe(expected.length)
  }, 60_000)

  it('stores them under the write-only demo seed credential, as their authority', async () => {
    const credential = (await lrs.credentials.list()).find((c) => c.key === 'tln-demo-seed')
    expect(credential?.scopes).toEqual(['statements/write'])
    const context = { tenantId: credential!.tenantId, credential: credential!, version: '1.0.3' as const }
    const stored = await lrs.statements.getStatement(context, { statementId: expected[0]!.id })
    expect(JSON.parse(stored!.json).authority.account).toEqual({ homePage: 'http://tln.test', name: 'tln-demo-seed' })
  })

  it('a second run finds the demo data and sends nothing', async () => {
    const io = captureOutput()
    await seedDemoCommand(lrs, {}, io)
    expect(io.stdout).toContain('already in place')
    expect(await count()).toBe(expected.length)
  })

  it('a forced second run sends everything again and the LRS stores nothing new (same ids, same content)', async () => {
    const result = await seedDemo(lrs, { force: true })
    expect(result.alreadySeeded).toBe(false)
    expect(await count()).toBe(expected.length)
  }, 60_000)

  it('serve --demo makes the demo credential once and never overwrites it', async () => {
    expect(await ensureDemoCredential(lrs.credentials)).toBe('created')
    expect(await lrs.credentials.verify(DEMO_CREDENTIAL.key, DEMO_CREDENTIAL.secret)).toMatchObject({ scopes: ['all'] })
    expect(await ensureDemoCredential(lrs.credentials)).toBe('exists')
    await lrs.credentials.revoke(DEMO_CREDENTIAL.key)
    expect(await ensureDemoCredential(lrs.credentials)).toBe('taken')
    expect(await lrs.credentials.verify(DEMO_CREDENTIAL.key, DEMO_CREDENTIAL.secret)).toBeUndefined()
  })
})
