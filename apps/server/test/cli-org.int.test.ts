import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoOrg } from '../src/seed/demo-org.ts'
import { createCliTestEnv, type CliTestEnv } from './cli-test-env.ts'

/** `tln org import` and `tln accounts invite|reset`, and the demo organisation seed (issue 5). */
describe(`tln org and tln accounts on ${testEngine()}`, () => {
  let cli: CliTestEnv
  beforeAll(async () => {
    // The demo tree, twice: the seed is idempotent.
    cli = await createCliTestEnv('org', { env: { TLN_PUBLIC_URL: 'https://tln.example.org' }, setUp: async (knex) => {
      await seedDemoOrg(knex)
      expect(await seedDemoOrg(knex)).toEqual({ kecamatan: 12, schools: 24, teachers: 60, facilitators: 4 })
      const counts = (await knex('org_node').select('kind').count('* as n').groupBy('kind').orderBy('kind')) as Array<{ kind: string; n: string | number }>
      expect(counts.map((c) => [c.kind, Number(c.n)])).toEqual([['district', 1], ['kecamatan', 12], ['province', 1], ['school', 24]])
      const teachers = (await knex('person_grant').where({ role: 'teacher' }).count('* as n')) as Array<{ n: string | number }>
      expect(Number(teachers[0]!.n)).toBe(60)
    } })
  }, 120_000)
  afterAll(async () => {
    await cli.close()
  })

  const run = (...args: string[]) => cli.run(...args)

  it('rejects a schools file with a bad row: exit 2, the row\'s problem on stderr, nothing stored', async () => {
    const file = join(cli.dir, 'schools.csv')
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
