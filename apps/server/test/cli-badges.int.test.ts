import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '@tln/db'
import { createTestDb, testEngine, testServerUrl } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/program.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/open-database.ts'
import { captureOutput } from './test-app.ts'

/** `tln badges keys rotate|list` (issue 6, Open Badges): the operator's view of badge key rotation. */
describe(`tln badges keys on ${testEngine()}`, { timeout: 90_000 }, () => {
  let env: Record<string, string>
  let db: Db | undefined
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tln-cli-badges-'))
    if (testEngine() === 'postgres') {
      db = await createTestDb()
      const { rows } = (await db.knex.raw('select current_database() as name')) as { rows: Array<{ name: string }> }
      env = { DATABASE_URL: testServerUrl(rows[0]!.name), TLN_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), LOG_LEVEL: 'silent', TLN_PUBLIC_URL: 'https://tln.example.org' }
    } else {
      // The embedded data directory keeps its own secret (docs/architecture.md, "Server secret").
      env = { TLN_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', TLN_PUBLIC_URL: 'https://tln.example.org' }
    }
    // Made and migrated once here, so that each command below only opens it.
    const { db: opened } = await openDatabase(loadConfig(env).database)
    await opened.close()
  }, 120_000)
  afterAll(async () => {
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const run = async (...args: string[]) => {
    const output = captureOutput()
    const code = await runCli(args, { output, env })
    return { code, ...output }
  }

  it('list and rotate without --tenant say there are no badge keys yet (exit 0)', async () => {
    expect(await run('badges', 'keys', 'list')).toMatchObject({ code: 0, stdout: '', stderr: expect.stringContaining('No badge keys yet') })
    expect(await run('badges', 'keys', 'rotate')).toMatchObject({ code: 0, stderr: expect.stringContaining('No badge keys yet') })
  })

  it('rotate --tenant makes a key; rotating again retires it and names where it stays published', async () => {
    const first = await run('badges', 'keys', 'rotate', '--tenant', 'default', '--json')
    expect(first.code).toBe(0)
    const made = JSON.parse(first.stdout) as { tenant: string; current: string; retired: string[] }
    expect(made).toMatchObject({ tenant: 'default', retired: [] })
    const second = await run('badges', 'keys', 'rotate')
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(new RegExp(`^tenant default: current key [A-Za-z0-9_-]{43}; retired ${made.current}, still published at https://tln.example.org/badges/issuer/default/jwks\\n$`, 'u'))
  })

  it('list shows the current key first, then the retired one, never a private half', async () => {
    const listed = await run('badges', 'keys', 'list', '--json')
    const rows = JSON.parse(listed.stdout) as Array<{ tenant: string; kid: string; status: string; retiredAt: string | null }>
    expect(rows.map((r) => [r.tenant, r.status])).toEqual([['default', 'current'], ['default', 'retired']])
    expect(rows[1]!.retiredAt).not.toBeNull()
    expect(listed.stdout).not.toMatch(/"d"|sealed/u)
    const table = await run('badges', 'keys', 'list', '--tenant', 'default')
    expect(table.stdout.split('\n')[0]).toBe('TENANT  KID  STATUS  CREATED  RETIRED')
    expect(table.stdout).toContain(`default  ${rows[0]!.kid}  current`)
  })

  it('an unknown --tenant exits 1 naming it, and changes nothing', async () => {
    const before = (await run('badges', 'keys', 'list', '--json')).stdout
    const res = await run('badges', 'keys', 'rotate', '--tenant', 'nowhere')
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('no tenant nowhere')
    expect((await run('badges', 'keys', 'list', '--json')).stdout).toBe(before)
  })
})
