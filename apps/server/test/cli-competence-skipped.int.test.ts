import { CompetenceEngine } from '@tln/competence'
import { testEngine, waitForHorizon } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { validateStatementBatch } from '@tln/xapi'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliTestEnv, type CliTestEnv } from './cli-test-env.ts'

/**
 * `tln competence skipped | retry-skipped` and the count in `tln competence status` (issue 7:
 * nothing acknowledged is lost): a statement stored in the LRS that the competence engine could
 * not project is listed with its reason and projected again once the cause is gone.
 */
describe(`tln competence skipped and retry-skipped on ${testEngine()}`, { timeout: 90_000 }, () => {
  let cli: CliTestEnv
  let refusedId: string

  beforeAll(async () => {
    cli = await createCliTestEnv('competence-skipped', { setUp: async (knex) => {
      const lrs = createLrs({ knex, logger: pino({ level: 'silent' }), publicUrl: 'https://tln.example.org' })
      const { credential } = await lrs.credentials.create({ scopes: ['all'] })
      const statement = (name: string, mbox: string) => ({ actor: { objectType: 'Agent', name, mbox }, verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { objectType: 'Activity', id: 'https://tln.example.org/a/1' }, timestamp: '2026-02-01T10:00:00+08:00' })
      const [, refused] = await lrs.statements.storeStatements(
        { tenantId: credential.tenantId, credential, version: '1.0.3' },
        validateStatementBatch([statement('Guru Satu', 'mailto:satu@paud.example'), statement('Guru Ditolak', 'mailto:ditolak@paud.example')], { version: '1.0.3' }),
      )
      refusedId = refused!
      await waitForHorizon(knex)
      // A fault only the database sees, for one learner: what a value it cannot hold would do.
      await knex.raw(`create function refuse_cli() returns trigger language plpgsql as $$
        begin if new.name = 'Guru Ditolak' then raise exception 'refused for the CLI test'; end if; return new; end $$`)
      await knex.raw('create trigger refuse_cli before insert on competence_learner for each row execute function refuse_cli()')
      await new CompetenceEngine({ knex, isolateAfterMs: 0 }).catchUp()
    } })
  }, 180_000)
  afterAll(async () => {
    await cli.close()
  })

  const run = (...args: string[]) => cli.run(...args)

  it('status counts the skipped statement and says how to list it', async () => {
    const status = await run('competence', 'status')
    expect(status.code).toBe(0)
    expect(status.stdout).toContain('  statements applied: 2\n')
    expect(status.stdout).toContain('  statements skipped: 1 (left out of the reports; list: tln competence skipped --tenant default)')
    expect(JSON.parse((await run('competence', 'status', '--json')).stdout)).toMatchObject({ state: 'current', processed: 2, skipped: 1 })
  })

  it('skipped lists it with its reason, as a table and as JSON', async () => {
    const json = await run('competence', 'skipped', '--json')
    expect(json.code).toBe(0)
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>
    expect(rows).toEqual([expect.objectContaining({ tenant: 'default', statementId: refusedId, reasonCode: 'P0001', reason: 'refused for the CLI test', attempts: 1, configVersion: 0 })])
    const table = await run('competence', 'skipped', '--tenant', 'default')
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('TENANT\tSTATEMENT\tPOSITION\tCODE\tATTEMPTS\tFIRST SEEN\tLAST SEEN\tREASON')
    expect(lines[1]).toMatch(new RegExp(`^default\\t${refusedId}\\t\\d+:\\d+\\tP0001\\t1\\t.+\\trefused for the CLI test$`, 'u'))
  })

  it('an unknown --tenant exits 1 naming it, and retries nothing', async () => {
    for (const command of ['skipped', 'retry-skipped']) {
      const res = await run('competence', command, '--tenant', 'nowhere')
      expect(res.code).toBe(1)
      expect(res.stderr).toContain('no tenant nowhere')
    }
    expect(JSON.parse((await run('competence', 'skipped', '--json')).stdout)).toMatchObject([{ attempts: 1 }])
  })

  it('retry-skipped while the cause remains counts an attempt; once it is removed, projects the statement and clears the list', async () => {
    const again = await run('competence', 'retry-skipped')
    expect(again).toMatchObject({ code: 0, stdout: 'tenant default: 1 retried, 0 projected; 1 still skipped (see: tln competence skipped --tenant default)\n' })
    expect(JSON.parse((await run('competence', 'skipped', '--json')).stdout)).toMatchObject([{ statementId: refusedId, attempts: 2 }])
    await cli.withDb(async (knex) => {
      await knex.raw('drop trigger refuse_cli on competence_learner')
      await knex.raw('drop function refuse_cli()')
    })
    const retried = await run('competence', 'retry-skipped', '--tenant', 'default', '--json')
    expect(retried.code).toBe(0)
    expect(JSON.parse(retried.stdout)).toEqual({ tenant: 'default', retried: 1, projected: 1, remaining: 0, rebuildPending: false })
    expect(await run('competence', 'skipped')).toMatchObject({ code: 0, stdout: '', stderr: expect.stringContaining('No skipped statements') })
    expect(await run('competence', 'retry-skipped')).toMatchObject({ code: 0, stdout: '', stderr: expect.stringContaining('No skipped statements to retry') })
    const names = await cli.withDb(async (knex) => ((await knex('competence_learner').select('name').orderBy('name')) as Array<{ name: string }>).map((r) => r.name))
    expect(names).toEqual(['Guru Ditolak', 'Guru Satu'])
    expect((await run('competence', 'status')).stdout).toContain('  statements skipped: 0\n')
  })
})
