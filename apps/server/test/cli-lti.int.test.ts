import { statSync } from 'node:fs'
import { join } from 'node:path'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET_KEY_FILE } from '../src/secret-key.ts'
import { createCliTestEnv, type CliTestEnv } from './cli-test-env.ts'

/** `tln platform add|list|activate` and `tln keys rotate`, through the real command line parser. */
describe(`tln platform and tln keys on ${testEngine()}`, () => {
  let cli: CliTestEnv
  beforeAll(async () => {
    cli = await createCliTestEnv('lti')
  })
  afterAll(async () => {
    await cli.close()
  })

  const run = (...args: string[]) => cli.run(...args)
  const add = ['platform', 'add', '--issuer', 'https://moodle.example.org', '--client-id', 'abc', '--auth-url', 'https://moodle.example.org/mod/lti/auth.php',
    '--token-url', 'https://moodle.example.org/mod/lti/token.php', '--jwks-url', 'https://moodle.example.org/mod/lti/certs.php', '--deployment-id', '1', '--deployment-id', '2']

  it('adds a platform with deployments, lists it, and refuses a duplicate', async () => {
    expect((await run(...add)).code).toBe(0)
    const list = await run('platform', 'list', '--json')
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ issuer: 'https://moodle.example.org', clientId: 'abc', tenant: 'default', status: 'active', deploymentIds: ['1', '2'] })])
    const again = await run(...add)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('exists already')
  })

  it('refuses a bad URL and an unknown tenant', async () => {
    expect((await run(...add.map((a) => (a === 'https://moodle.example.org/mod/lti/auth.php' ? 'not a url' : a)))).code).toBe(2)
    const unknown = await run(...add.map((a) => (a === 'abc' ? 'xyz' : a)), '--tenant', 'nowhere')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('tenant nowhere does not exist')
  })

  it('rotates the tool key, keeping the previous one published', async () => {
    const first = await run('keys', 'rotate')
    expect(first.code).toBe(0)
    const second = await run('keys', 'rotate')
    expect(second.code).toBe(0)
    const current = /current key (\S+);/.exec(second.stdout)![1]
    const previous = /current key (\S+);/.exec(first.stdout)![1]
    expect(second.stdout).toContain(`still published: ${previous}`)
    expect(current).not.toBe(previous)
    if (cli.dataDir !== undefined) expect(statSync(join(cli.dataDir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600)
  })
})
