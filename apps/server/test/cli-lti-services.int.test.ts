import { testEngine } from '@tln/db/testing'
import { DbPlatformStore, enqueueScore, PassbackStore } from '@tln/lti-tool'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliTestEnv, type CliTestEnv } from './cli-test-env.ts'

/** `tln grades list|retry` and `tln roster sync` argument handling, through the real command line parser. */
describe(`tln grades and tln roster on ${testEngine()}`, () => {
  let cli: CliTestEnv
  let failedId = 0

  const run = (...args: string[]) => cli.run(...args)

  beforeAll(async () => {
    cli = await createCliTestEnv('grades')
    expect((await run('platform', 'add', '--issuer', 'https://moodle.example.org', '--client-id', 'abc', '--auth-url', 'https://moodle.example.org/mod/lti/auth.php',
      '--token-url', 'https://moodle.example.org/mod/lti/token.php', '--jwks-url', 'https://moodle.example.org/mod/lti/certs.php', '--deployment-id', '1')).code).toBe(0)
    failedId = await cli.withDb(async (knex) => {
      const platform = (await new DbPlatformStore(knex).record('https://moodle.example.org', 'abc'))!
      const id = await enqueueScore(knex, {
        platform, target: { lineItemUrl: 'https://moodle.example.org/mod/lti/services.php/2/lineitems/5/lineitem?type_id=1' }, userSub: '42',
        scoreGiven: 70, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date('2026-11-29T01:00:00Z'),
      })
      const store = new PassbackStore(knex)
      const job = (await store.claim(new Date(), 60_000))!
      await store.markFailed(job, { message: 'platform answered 400 to POST …/scores', status: 400, body: 'User cannot be graded' }, new Date())
      return id
    })
  })
  afterAll(async () => {
    await cli.close()
  })

  it('lists failed passbacks with the platform message', async () => {
    const json = await run('grades', 'list', '--failed', '--json')
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id: failedId, status: 'failed', userSub: '42', lastError: expect.objectContaining({ status: 400, body: 'User cannot be graded' }) })])
    const text = await run('grades', 'list', '--failed')
    expect(text.stdout).toContain(`${failedId}  failed  1  42  70/100  https://moodle.example.org  400 User cannot be graded`)
    expect((await run('grades', 'list', '--status', 'sent')).stderr).toContain('No grade passbacks')
  })

  it('retries a failed passback, and refuses an unknown id or a bad one', async () => {
    const retried = await run('grades', 'retry', String(failedId))
    expect(retried.code).toBe(0)
    expect(retried.stdout).toContain(`passback ${failedId} is pending`)
    expect(JSON.parse((await run('grades', 'list', '--json', '--status', 'pending')).stdout)).toEqual([expect.objectContaining({ id: failedId, attempts: 0 })])
    expect((await run('grades', 'retry', '999999')).code).toBe(1)
    expect((await run('grades', 'retry', 'abc')).code).toBe(2)
    expect((await run('grades', 'list', '--status', 'lost')).code).toBe(2)
  })

  it('refuses a roster sync for an unknown platform or with a bad memberships URL', async () => {
    const unknown = await run('roster', 'sync', '--platform', 'https://other.example.org', '--context', 'https://other.example.org/mod/lti/services.php/2/memberships')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no registration for https://other.example.org')
    expect((await run('roster', 'sync', '--platform', 'https://moodle.example.org', '--context', 'not a url')).code).toBe(2)
  })
})
