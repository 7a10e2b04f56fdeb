import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { validateStatementBatch } from '@tln/xapi'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliTestEnv, type CliTestEnv } from './cli-test-env.ts'

/** `tln privacy export|erase` and `tln audit prune` as an operator runs them (issue 7). */
describe(`tln privacy and tln audit prune on ${testEngine()}`, () => {
  let cli: CliTestEnv
  const agent = JSON.stringify({ mbox: 'mailto:baiq.cli@paud.example' })

  beforeAll(async () => {
    cli = await createCliTestEnv('privacy', { env: { TLN_PUBLIC_URL: 'https://tln.example.org' }, setUp: async (knex) => {
      const lrs = createLrs({ knex, logger: pino({ level: 'silent' }), publicUrl: 'https://tln.example.org' })
      const { credential } = await lrs.credentials.create({ scopes: ['all'] })
      const context = { tenantId: credential.tenantId, credential, version: '1.0.3' as const }
      const statement = (verb: string) => ({ actor: { objectType: 'Agent', name: 'Baiq Cli', mbox: 'mailto:baiq.cli@paud.example' }, verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` }, object: { objectType: 'Activity', id: 'https://tln.example.org/a/1' } })
      await lrs.statements.storeStatements(context, validateStatementBatch([statement('attended'), statement('completed')], { version: '1.0.3' }))
    } })
  }, 180_000)
  afterAll(async () => {
    await cli.close()
  })

  const run = (...args: string[]) => cli.run(...args)

  it('refuses a missing, doubled or invalid person with exit 2 and names the option', async () => {
    const none = await run('privacy', 'erase')
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('exactly one of --agent <ifi-json> or --person <id>')
    expect((await run('privacy', 'export', '--agent', agent, '--person', '6f1c0e4e-0000-4000-8000-000000000000')).code).toBe(2)
    const bad = await run('privacy', 'erase', '--agent', '{"name":"no identifier"}')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--agent')
    const person = await run('privacy', 'erase', '--person', 'not-a-uuid')
    expect(person.code).toBe(2)
    expect(person.stderr).toContain('--person must be a person id')
    const retention = await run('audit', 'prune', '--older-than', '1y')
    expect(retention.code).toBe(2)
    expect(retention.stderr).toContain('--older-than must be a number of days')
  }, 60_000)

  it('exports to a file, erases after a dry run, and a second erase finds nothing', async () => {
    const file = join(cli.dir, 'bundle.ndjson')
    const exported = await run('privacy', 'export', '--agent', agent, '--out', file, '--operator', 'op')
    expect(exported.code).toBe(0)
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string })
    expect(lines.filter((l) => l.type === 'statement')).toHaveLength(2)
    const refused = await run('privacy', 'export', '--agent', agent, '--out', file) // never overwrites a file
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('already exists; an export never overwrites a file')

    const dry = await run('privacy', 'erase', '--agent', agent, '--dry-run', '--json')
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, found: true, counts: { statementsRewritten: 2 } })
    const erased = await run('privacy', 'erase', '--agent', agent, '--operator', 'op')
    expect(erased.code).toBe(0)
    expect(erased.stdout).toContain('statementsRewritten: 2')
    const again = await run('privacy', 'erase', '--agent', agent)
    expect(again.stdout).toContain('nothing to erase')
    const listed = await run('audit', 'list', '--json')
    expect(JSON.parse(listed.stdout).some((r: { resource: string }) => r.resource === 'privacy-export')).toBe(true)
  }, 60_000)

  it('prunes audit rows older than the period', async () => {
    const pruned = await run('audit', 'prune', '--older-than', '365d', '--dry-run')
    expect(pruned.code).toBe(0)
    expect(pruned.stdout).toBe('would delete 0 access audit rows and 0 export audit rows older than 365 days\n')
  }, 60_000)
})
