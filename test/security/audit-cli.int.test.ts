import { testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliTestEnv, type CliTestEnv } from '../../apps/server/test/cli-test-env.ts'

/** `tln audit list` (UU 27/2022: an auditor asks who read or exported a person's records). */
describe(`tln audit list on ${testEngine()}`, () => {
  let cli: CliTestEnv
  const SITI = 'mbox:mailto:siti.aminah@paud.example'

  beforeAll(async () => {
    cli = await createCliTestEnv('audit', { setUp: async (knex) => {
      const lrs = createLrs({ knex, logger: { debug: () => {}, error: () => {} }, publicUrl: 'http://tln.test' })
      const { credential } = await lrs.credentials.create({ key: 'bppaud-ntb', scopes: ['all/read'] })
      const actor = { kind: 'credential' as const, id: credential.id, label: credential.key }
      await lrs.audit.record({ tenantId: credential.tenantId, actor, resource: 'statements', agentIfi: SITI, query: { agent: '{"mbox":"mailto:siti.aminah@paud.example"}' }, records: 3, address: '203.0.113.9' })
      await lrs.audit.record({ tenantId: credential.tenantId, actor, resource: 'agent-profile', agentIfi: 'mbox:mailto:other@paud.example', query: {}, records: 1 })
      const exportId = await lrs.exports.auditStart({ tenantId: credential.tenantId, credentialId: credential.id, credentialKey: credential.key, format: 'csv', filters: { since: '2026-03-01T00:00:00Z' } })
      await lrs.exports.auditFinish(exportId, 25, true)
    } })
  }, 120_000)
  afterAll(async () => {
    await cli.close()
  })

  const run = (...args: string[]) => cli.run(...args)

  it('lists the reads about one person (--agent as xAPI Agent JSON) and every export, newest first', async () => {
    const listed = await run('audit', 'list', '--agent', '{"mbox":"mailto:siti.aminah@PAUD.example"}', '--json')
    expect(listed.code).toBe(0)
    const rows = JSON.parse(listed.stdout) as Array<Record<string, unknown>>
    expect(rows.map((r) => [r.resource, r.agent, r.records])).toEqual([
      ['export', '*', 25],
      ['statements', SITI, 3],
    ])
    expect(rows[1]).toMatchObject({ tenant: 'default', actor: { kind: 'credential', label: 'bppaud-ntb' }, address: '203.0.113.9' })
  })

  it('prints a table by default', async () => {
    const listed = await run('audit', 'list')
    expect(listed.code).toBe(0)
    const lines = listed.stdout.trim().split('\n')
    expect(lines[0]).toBe('AT\tTENANT\tWHO\tRESOURCE\tAGENT\tRECORDS\tFROM\tQUERY')
    expect(lines).toHaveLength(4)
  })

  it('--since leaves out what came before', async () => {
    const listed = await run('audit', 'list', '--since', '2999-01-01', '--json')
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toEqual([])
  })

  it('rejects a bad --agent or --since with a usage error (exit 2) naming the option', async () => {
    const agent = await run('audit', 'list', '--agent', '{"name":"no identifier"}')
    expect(agent.code).toBe(2)
    expect(agent.stderr).toContain('--agent')
    const since = await run('audit', 'list', '--since', 'yesterday')
    expect(since.code).toBe(2)
    expect(since.stderr).toContain('--since')
  })
})
