import request from 'supertest'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.ts'

/**
 * The health and profile routes are the app's own routes, not routers every request enters
 * (`mountHealth`, `mountXapiProfile`, issue 7). Express matches routes case-insensitively and with or without a
 * trailing slash (RFC 3986 §6.2.2.1 leaves path case to the server; Express's default is
 * `caseSensitive: false, strict: false`): every URL the routers answered before must still reach them.
 */
describe(`routers in front of the LRS on ${testEngine()}`, () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(async () => {
    await t.db.close()
  })

  it.each(['/healthz', '/HEALTHZ', '/healthz/', '/healthz?probe=1', '/Readyz'])('%s is still answered by the health router', async (path) => {
    const res = await request(t.app).get(path)
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it.each(['/xapi/profile', '/xapi/PROFILE', '/XAPI/profile/v0.1', '/xapi/profile/'])('%s is still answered by the profile router', async (path) => {
    const res = await request(t.app).get(path)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/)
  })

  it('a path that only resembles a probe goes on to the 404 handler', async () => {
    const res = await request(t.app).get('/healthzz')
    expect(res.status).toBe(404)
  })

  it('every request is still logged once, with its request id, when the level allows it', async () => {
    const res = await request(t.app).get('/xapi/about').set('X-Request-Id', 'gate-test-1')
    expect(res.headers['x-request-id']).toBe('gate-test-1')
    // The access log writes its line once the answer is out: wait for it (a fixed pause is too short on a loaded machine).
    const lines = () => t.logs().filter((line) => line.reqId === 'gate-test-1')
    await expect.poll(() => lines().length, { timeout: 10_000 }).toBeGreaterThan(0)
    // Then as long as before for a second line (`finish` and `close` both fire), which must not come.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(lines()).toHaveLength(1)
    expect(lines()[0]).toMatchObject({ msg: 'request', method: 'GET', path: '/xapi/about', status: 200 })
  })
})
