import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '@tln/db'
import { createTestDb, testEngine, testServerUrl } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/program.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/open-database.ts'
import { seedDemoOrg } from '../src/seed/demo-org.ts'
import { captureOutput } from './test-app.ts'

/** `tln org import` and `tln accounts invite|reset`, and the demo organisation seed (issue 5). */
describe(`tln org and tln accounts on ${testEngine()}`, () => {
  let env: Record<string, string>
  let db: Db | undefined
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tln-cli-org-'))
    if (testEngine() === 'postgres') {
      db = await createTestDb()
      const { rows } = (await db.knex.raw('select current_database() as name')) as { rows: Array<{ name: string }> }
      env = { DATABASE_URL: testServerUrl(rows[0]!.name), TLN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'silent', TLN_PUBLIC_URL: 'https://tln.example.org' }
    } else {
      env = { TLN_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', TLN_PUBLIC_URL: 'https://tln.example.org' }
    }
    // The demo tree, twice: the seed is idempotent.
    const { db: opened } = await openDatabase(loadConfig(env).database)
    try {
      await seedDemoOrg(opened.knex)
      expect(await seedDemoOrg(opened.knex)).toEqual({ kecamatan: 12, schools: 24, teachers: 60, facilitators: 4 })
      const counts = (await opened.knex('org_node').select('kind').count('* as n').groupBy('kind').orderBy('kind')) as Array<{ kind: string; n: string | number }>
      expect(counts.map((c) => [c.kind, Number(c.n)])).toEqual([['district', 1], ['kecamatan', 12], ['province', 1], ['school', 24]])
      const teachers = (await opened.knex('person_grant').where({ role: 'teacher' }).count('* as n')) as Array<{ n: string | number }>
      expect(Number(teachers[0]!.n)).toBe(60)
    } finally {
      await opened.close()
    }
  }, 60_000)
  afterAll(async () => {
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const run = async (...args: string[]) => {
    const output = captureOutput()
    const code = await runCli(args, { output, env })
    return { code, ...output }
  }

  it('rejects a schools file with a bad row: exit 2, the row\'s problem on stderr, nothing stored', async () => {
    const file = join(dir, 'schools.csv')
    writeFileSync(file, 'npsn,name,type,kecamatan\n99020699,TK Baru Praya,TK,Praya\n99020698,TK Salah,TK,Nowhere\n')
    const rejected = await run('org', 'import', 'schools', file)
    expect(rejected.code).toBe(2)
    expect(rejected.stderr).toContain('baris/row 3, kecamatan')
    expect(rejected.stderr).toContain('(unknown-kecamatan)')
    writeFileSync(file, 'npsn,name,type,kecamatan\n99020699,TK Baru Praya,TK,Praya\n')
    const dry = await run('org', 'import', 'schools', file, '--dry-run', '--json')
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout)).toMatchObject({ ok: true, dryRun: true, created: 1 })
    const stored = await run('org', 'import', 'schools', file)
    expect(stored.code).toBe(0)
    expect(stored.stdout).toContain('imported 1 schools: 1 new, 0 updated')
  }, 60_000)

  it('invites a district admin with a scope and prints a link; a reset prints a new one', async () => {
    const invited = await run('accounts', 'invite', '--email', 'dinas@example.org', '--name', 'Dinas Dikbud', '--role', 'district-admin', '--scope', '52.02')
    expect(invited.code).toBe(0)
    expect(invited.stdout).toMatch(/^https:\/\/tln\.example\.org\/invite\/[\w-]{43}\n$/)
    expect(invited.stderr).toContain('Kabupaten Lombok Tengah (52.02)')
    expect((await run('accounts', 'invite', '--email', 'dinas@example.org', '--name', 'Again', '--role', 'monitor', '--scope', 'Praya')).code).toBe(2)
    expect((await run('accounts', 'invite', '--email', 'x@example.org', '--name', 'X', '--role', 'monitor', '--scope', 'Atlantis')).code).toBe(1)
    const reset = await run('accounts', 'reset', 'dinas@example.org')
    expect(reset.code).toBe(0)
    expect(reset.stdout).toMatch(/\/invite\/[\w-]{43}\n$/)
    expect(reset.stdout).not.toBe(invited.stdout)
  }, 60_000)
})
