import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest, startSweepServer, type SweepServer } from './route-sweep-server.ts'

/**
 * Compressed request bodies (the "load and attack" audit). A body with `Content-Encoding: gzip` is
 * accepted and decoded, and the size limit of each route applies to what it decodes to, so a gzip
 * bomb (50 MB of zeros in ≈ 50 KB) is refused with 413 (RFC 9110 §15.5.14) after reading at most
 * the limit, within a second, storing nothing. A coding the server cannot decode gets 415 (RFC 9110
 * §15.5.16: "the content … is in a format not supported … due to the Content-Encoding").
 */
let s: SweepServer
beforeAll(async () => { s = await startSweepServer() }, 120_000)
afterAll(async () => { await s?.close() })

const BOMB = gzipSync(Buffer.alloc(50 * 1024 * 1024))

describe('compressed request bodies', () => {
  it('refuses a gzip bomb with 413 on every route family that reads a body, quickly, storing nothing', async () => {
    const lrs = { authorization: s.lrsAuth, 'x-experience-api-version': '1.0.3' }
    const cases: Array<[string, Record<string, string>]> = [
      ['/xapi/statements', { ...lrs, 'content-type': 'application/json' }],
      ['/xapi/activities/state?activityId=https%3A%2F%2Fa.example&agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.org%22%7D&stateId=s', { ...lrs, 'content-type': 'application/json' }],
      ['/login', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['/lti/org/import', { cookie: s.admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }],
      ['/api/admin/forwarding', { authorization: s.lrsAuth, 'content-type': 'application/json' }],
    ]
    const stored = async () => Number(((await s.db.knex('xapi_statement').count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n) + Number(((await s.db.knex('xapi_document').count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n)
    const before = await stored()
    for (const [path, headers] of cases) {
      const started = Date.now()
      const answer = await rawRequest(s.url, 'POST', path, { ...headers, 'content-encoding': 'gzip' }, BOMB, 10_000)
      expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBe(413)
      expect(Date.now() - started, path).toBeLessThan(5_000)
    }
    expect(await stored()).toBe(before)
    expect((await rawRequest(s.url, 'GET', '/xapi/about', {})).status).toBe(200)
  })

  it('decodes a small gzip body, and refuses a coding it cannot decode with 415 naming it', async () => {
    const lrs = { authorization: s.lrsAuth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' }
    const ok = await rawRequest(s.url, 'POST', '/xapi/statements', { ...lrs, 'content-encoding': 'gzip' }, gzipSync('[]'))
    expect(ok.status, ok.body).toBe(200)
    const zstd = await rawRequest(s.url, 'POST', '/xapi/statements', { ...lrs, 'content-encoding': 'zstd' }, '[]')
    expect(zstd.status).toBe(415)
    expect(zstd.body).toMatch(/zstd/)
    const broken = await rawRequest(s.url, 'POST', '/xapi/statements', { ...lrs, 'content-encoding': 'gzip' }, 'not gzip at all')
    expect(broken.status).toBe(400)
  })
})
