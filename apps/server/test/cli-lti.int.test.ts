import { statSync } from 'node:fs'
import { join } from 'node:path'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET_KEY_FILE } from '../src/secret-key.ts'
import { createCliTestEnv, type CliTestEnv } from './cli-test-env.ts'

/** `tln platform add|list|activate|add-deployment` and `tln keys rotate`, through the real command line parser. */
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

  it('adds a deployment to a registered platform once, and refuses a bad id or an unknown platform (LTI Core 1.3 §3.1.3)', async () => {
    const to = ['--issuer', 'https://moodle.example.org', '--client-id', 'abc']
    const added = await run('platform', 'add-deployment', ...to, '--deployment-id', '93:canvas-deployment')
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('added deployment 93:canvas-deployment')
    expect((await run('platform', 'add-deployment', ...to, '--deployment-id', '93:canvas-deployment')).stdout).toContain('already')
    expect(JSON.parse((await run('platform', 'list', '--json')).stdout)[0].deploymentIds).toEqual(['1', '2', '93:canvas-deployment'])
    const spaced = await run('platform', 'add-deployment', ...to, '--deployment-id', 'two words')
    expect(spaced.code).toBe(2)
    expect(spaced.stderr).toContain('--deployment-id')
    const unknown = await run('platform', 'add-deployment', '--issuer', 'https://other.example.org', '--client-id', 'abc', '--deployment-id', '7')
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toContain('no registration for issuer https://other.example.org')
  })

  it('refuses a bad URL and an unknown tenant', async () => {
    expect((await run(...add.map((a) => (a === 'https://moodle.example.org/mod/lti/auth.php' ? 'not a url' : a)))).code).toBe(2)
    const unknown = await run(...add.map((a) => (a === 'abc' ? 'xyz' : a)), '--tenant', 'nowhere')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('tenant nowhere does not exist')
  })

  it('checks the URLs as the admin page does: https (http only on loopback), no credentials, no fragment, at most 2,000 characters (Security Framework 1.0 §3; RFC 9110 §4.2.4; RFC 6749 §3.1)', async () => {
    const swap = (from: string, to: string, ...extra: string[]) => run(...add.map((a) => (a === from ? to : a)).map((a) => (a === 'abc' ? 'url-rules' : a)), ...extra)
    const cases: Array<[string, string, string, string]> = [
      ['https://moodle.example.org/mod/lti/token.php', 'http://moodle.example.org/mod/lti/token.php', '--token-url', 'rule https'],
      ['https://moodle.example.org/mod/lti/auth.php', 'https://admin:secret@moodle.example.org/mod/lti/auth.php', '--auth-url', 'rule credentials'],
      ['https://moodle.example.org/mod/lti/certs.php', 'https://moodle.example.org/mod/lti/certs.php#keys', '--jwks-url', 'rule fragment'],
      ['https://moodle.example.org/mod/lti/certs.php', `https://moodle.example.org/${'c'.repeat(1990)}`, '--jwks-url', 'rule too-long'],
      ['1', 'deployment one', '--deployment-id', 'rule deployment-id'],
    ]
    for (const [from, to, flag, rule] of cases) {
      const refused = await swap(from, to)
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(flag)
      expect(refused.stderr).toContain(rule)
      expect(refused.stderr).not.toContain('secret')
    }
    const bad = await swap('https://moodle.example.org/mod/lti/auth.php', 'https://moodle.example.org/mod/lti/auth.php', '--auth-server', 'https://u:p@moodle.example.org/token')
    expect(bad.stderr).toContain('--auth-server')
    expect((await swap('1', '1,2')).stderr).toContain('one id')
    // Nothing of the refused platform was saved.
    expect(JSON.parse((await run('platform', 'list', '--json')).stdout).map((p: { clientId: string }) => p.clientId)).not.toContain('url-rules')
    // A LAN Moodle an operator names is fine (private addresses are refused only for Dynamic Registration), and so is loopback http.
    const lan = ['--issuer', 'https://192.168.10.5', '--auth-url', 'https://192.168.10.5/mod/lti/auth.php', '--token-url', 'https://moodle.lan/mod/lti/token.php', '--jwks-url', 'http://localhost:8081/certs']
    expect((await run('platform', 'add', '--client-id', 'lan', ...lan, '--deployment-id', '1')).code).toBe(0)
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
