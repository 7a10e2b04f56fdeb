import type { Request } from 'express'
import { describe, expect, it } from 'vitest'
import { MAX_FORM_FIELDS, xapiRequestOf } from './xapi-request.ts'

/** The parts of an express request that `xapiRequestOf` reads. */
function fakeRequest(method: string, url: string, query: Record<string, unknown>, headers: Record<string, string> = {}): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  return { method, originalUrl: url, query, get: (name: string) => lower[name.toLowerCase()] } as unknown as Request
}
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
const alternate = (form: string) => xapiRequestOf(fakeRequest('POST', '/xapi/statements?method=GET', { method: 'GET' }, FORM), Buffer.from(form, 'latin1'))

describe('xapiRequestOf (xAPI 1.0.3 Communication 1.3, 3.2)', () => {
  it(`refuses a form of more than MAX_FORM_FIELDS fields before parsing it (rule max-form-fields; a million fields took seconds, 50,000 repeats of one held the event loop for minutes)`, () => {
    const many = Array.from({ length: 1_000_000 }, () => 'limit=1').join('&')
    const started = performance.now()
    expect(() => alternate(many)).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: 'body', message: expect.stringContaining('rule max-form-fields') }))
    // One native scan for "&", stopped at the 65th field: well under a millisecond.
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(alternate(Array.from({ length: MAX_FORM_FIELDS }, () => 'limit=1').join('&')).query.limit).toHaveLength(MAX_FORM_FIELDS)
  })

  it('keeps __proto__ as a parameter, in the query string and in a form, so the unknown-parameter rule sees it (Communication 3.2.s3.b7)', () => {
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { ['__proto__']: '1' })
    expect(Object.keys(xapiRequestOf(fakeRequest('GET', '/xapi/statements?__proto__=1', query), Buffer.alloc(0)).query)).toEqual(['__proto__'])
    expect(Object.keys(alternate('__proto__=1&constructor=2').query)).toEqual(['__proto__', 'constructor'])
  })

  it('refuses percent-encoded octets that are not UTF-8, which the parsers turn into U+FFFD (rule utf-8; RFC 3986 §2.5)', () => {
    for (const url of ['/xapi/activities/state?stateId=s%FF', '/xapi/activities/state?stateId=s%ED%A0%80', '/xapi/activities/state?stateId=s%C0%80']) {
      expect(() => xapiRequestOf(fakeRequest('GET', url, { stateId: 's\ufffd' }), Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: 'query' }))
    }
    expect(() => alternate('stateId=s%FF')).toThrow(expect.objectContaining({ path: 'body' }))
    expect(() => alternate(`stateId=s${String.fromCharCode(0xff)}`)).toThrow(expect.objectContaining({ path: 'body' }))
    // UTF-8 (é, 😀), and a "%" that encodes nothing, pass.
    expect(xapiRequestOf(fakeRequest('GET', '/xapi/activities/state?stateId=%C3%A9%F0%9F%98%80%', { stateId: 'é😀%' }), Buffer.alloc(0)).query.stateId).toBe('é😀%')
    expect(alternate('stateId=%C3%A9').query.stateId).toBe('é')
  })
})
