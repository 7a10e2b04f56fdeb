import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliTestEnv, type CliTestEnv } from './cli-test-env.ts'

/** `tln badges keys rotate|list` (issue 6, Open Badges): the operator's view of badge key rotation. */
describe(`tln badges keys on ${testEngine()}`, { timeout: 90_000 }, () => {
  let cli: CliTestEnv
  beforeAll(async () => {
    // Made and migrated here, so that each command below only opens it.
    cli = await createCliTestEnv('badges', { env: { TLN_PUBLIC_URL: 'https://tln.example.org' } })
  }, 120_000)
  afterAll(async () => {
    await cli.close()
  })

  const run = (...args: string[]) => cli.run(...args)

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
