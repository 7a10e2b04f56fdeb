import { createTestDb, testEngine } from '@tln/db/testing'
import { redactUrl } from '@tln/server'
import { capturedLogger } from '../test-server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startToolServer, type ToolServer } from '../lti/tool-server.ts'

/**
 * Secrets that travel in URLs never reach the log (STYLE.md rule 10, "Never log secrets, tokens or
 * passwords"; issue 7, Security). The login's cookie check `/lti/launch/check?s=<state>` carries the
 * OIDC state (OIDC Core 1.0 §3.1.2.1 / RFC 6749 §10.12: it binds the login to the browser), the
 * registration initiation a `registration_token` (LTI Dynamic Registration 1.0 §3.3: a bearer token),
 * an invitation or a peer-confirmation link its token in the path (the link is the credential).
 * Refused requests are logged at debug with their URL, and every request by the access log.
 */
describe('redactUrl', () => {
  it('censors the values of secret query parameters and keeps the others', () => {
    expect(redactUrl('/lti/launch/check?s=abc123')).toBe('/lti/launch/check?s=[redacted]')
    expect(redactUrl('/lti/launch?state=a&id_token=b.c.d&code=x&token=t&ticket=k&x=1')).toBe('/lti/launch?state=[redacted]&id_token=[redacted]&code=[redacted]&token=[redacted]&ticket=[redacted]&x=1')
    expect(redactUrl('/lti/register?openid_configuration=https%3A%2F%2Flms%2F&registration_token=eyJ.x.y')).toBe('/lti/register?openid_configuration=https%3A%2F%2Flms%2F&registration_token=[redacted]')
    expect(redactUrl('/lti/login?iss=https%3A%2F%2Flms&login_hint=17&lti_message_hint=%7B%22launchid%22%7D&lti_storage_target=_parent')).toBe('/lti/login?iss=https%3A%2F%2Flms&login_hint=[redacted]&lti_message_hint=[redacted]&lti_storage_target=_parent')
    // The name compared as decoded: an encoded name is no way around it.
    expect(redactUrl('/x?%73tate=abc')).toBe('/x?%73tate=[redacted]')
    expect(redactUrl('/xapi/statements?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Flaunched')).toBe('/xapi/statements?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Flaunched')
    expect(redactUrl('/lti/home')).toBe('/lti/home')
  })

  it('censors the token of an invitation or confirmation link in the path', () => {
    expect(redactUrl('/invite/AbC-123_x')).toBe('/invite/[redacted]')
    expect(redactUrl('/lti/mentoring/confirm/AbC-123_x?lang=en')).toBe('/lti/mentoring/confirm/[redacted]?lang=en')
    expect(redactUrl('/lti/mentoring/confirm/AbC-123_x/')).toBe('/lti/mentoring/confirm/[redacted]/')
    expect(redactUrl('/invitees')).toBe('/invitees')
  })
})

describe(`the server's log holds no URL secrets on ${testEngine()}`, () => {
  let tln: ToolServer
  beforeAll(async () => { tln = await startToolServer() })
  afterAll(async () => { await tln?.close() })

  it('a refused cookie check (/lti/launch/check?s=…) is logged without its state', async () => {
    const secret = 'SeCrEtStAtE0123456789abcdefghijklmnopqrstuv'
    const response = await fetch(`${tln.url}/lti/launch/check?s=${secret}`)
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
    // The line is written after the answer went out: wait for it (a fixed pause is too short on a loaded machine).
    const refusedLines = () => tln.logs().filter((l) => typeof l.url === 'string' && (l.url as string).startsWith('/lti/launch/check'))
    await expect.poll(() => refusedLines().length, { timeout: 10_000 }).toBeGreaterThan(0)
    const logs = tln.logs()
    const refused = refusedLines()
    expect(refused.length, JSON.stringify(logs.slice(-5))).toBeGreaterThan(0)
    expect(refused[0]!.url).toBe('/lti/launch/check?s=[redacted]')
    expect(JSON.stringify(logs)).not.toContain(secret)
  })

  it('an invitation link is logged by the access log without its token', async () => {
    const secret = 'InViTeToKeN0123456789abcdefghijklmnopqrstuv'
    await fetch(`${tln.url}/invite/${secret}`)
    await fetch(`${tln.url}/lti/mentoring/confirm/${secret}`)
    const logged = (path: string) => tln.logs().some((l) => l.msg === 'request' && l.path === path)
    await expect.poll(() => logged('/invite/[redacted]'), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => logged('/lti/mentoring/confirm/[redacted]'), { timeout: 10_000 }).toBe(true)
    expect(JSON.stringify(tln.logs())).not.toContain(secret)
  })
})

/**
 * Personal data that a database error carries never reaches the log (UU 27/2022; STYLE.md rule 10):
 * knex writes the query's bound values into the message, PostgreSQL quotes the value it refused and
 * repeats the row in `detail`. Every `err` the app logs goes through its serializer.
 */
describe(`the server's log holds no values from database errors on ${testEngine()}`, () => {
  const name = 'Siti Aminah binti Lalu'
  async function databaseError(): Promise<Error> {
    const db = await createTestDb()
    try {
      await db.knex.raw('create table person_probe (name text primary key)')
      await db.knex('person_probe').insert({ name })
      await db.knex('person_probe').insert({ name })
      throw new Error('the duplicate insert went through')
    } catch (error) {
      return error as Error
    } finally {
      await db.close()
    }
  }

  it('logs a database error with its SQLSTATE, constraint and table, without the values', async () => {
    const error = await databaseError()
    expect(`${error.message} ${JSON.stringify(error)}`).toContain(name)
    const { logger, logs } = capturedLogger('info')
    logger.error({ err: error }, 'statement insert failed')
    const [line] = logs()
    expect(line!.err).toMatchObject({ code: '23505', constraint: 'person_probe_pkey', table: 'person_probe' })
    expect(JSON.stringify(line)).not.toContain(name)
  })

  it('logs an error caused by a database error without the values, in either message', async () => {
    const cause = await databaseError()
    const { logger, logs } = capturedLogger('info')
    logger.error({ err: new Error(`could not store "${name}": ${cause.message}`, { cause }) }, 'request failed')
    const [line] = logs()
    expect(line!.err).toMatchObject({ cause: { code: '23505' } })
    expect(JSON.stringify(line)).not.toContain(name)
  })

  it('logs any other error as pino does, message and stack kept', () => {
    const { logger, logs } = capturedLogger('info')
    logger.error({ err: Object.assign(new Error('platform JWKS answered HTTP 503 - "down"'), { code: 'EPIPE' }) }, 'x')
    const [line] = logs()
    expect(line!.err).toMatchObject({ type: 'Error', message: 'platform JWKS answered HTTP 503 - "down"', code: 'EPIPE' })
    expect(String((line!.err as { stack: string }).stack)).toContain('log-redaction')
  })
})
