import type { Request, Response } from 'express'
import { describe, expect, it } from 'vitest'
import { Csrf, CSRF_COOKIE } from './csrf.ts'

const secret = new Uint8Array(32).fill(3)

function response(): Response & { cookies: string[] } {
  const cookies: string[] = []
  return { cookies, append: (name: string, value: string) => { if (name === 'Set-Cookie') cookies.push(value) } } as unknown as Response & { cookies: string[] }
}
const request = (cookie?: string, body?: Record<string, unknown>) => ({ headers: cookie === undefined ? {} : { cookie }, body }) as unknown as Request

describe('Csrf (signed double-submit, OWASP CSRF Cheat Sheet)', () => {
  const csrf = new Csrf(secret, true)
  it('sets a Strict, HttpOnly, Secure __Host- cookie once over https (RFC 6265bis §4.1.3.2) and signs its value into the form token', () => {
    const res = response()
    const token = csrf.token(request(), res)
    expect(res.cookies).toHaveLength(1)
    expect(res.cookies[0]).toMatch(new RegExp(`^__Host-${CSRF_COOKIE}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Strict; Secure$`))
    const cookie = res.cookies[0]!.split(';')[0]!
    const again = response()
    expect(csrf.token(request(cookie), again)).toBe(token)
    expect(again.cookies).toEqual([])
    expect(csrf.valid(request(cookie, { csrf: token }))).toBe(true)
  })
  it('refuses a missing field, a missing cookie, a token of another cookie or another secret', () => {
    const res = response()
    const token = csrf.token(request(), res)
    const cookie = res.cookies[0]!.split(';')[0]!
    expect(csrf.valid(request(cookie, {}))).toBe(false)
    expect(csrf.valid(request(undefined, { csrf: token }))).toBe(false)
    expect(csrf.valid(request(`${CSRF_COOKIE}=${'a'.repeat(43)}`, { csrf: token }))).toBe(false)
    expect(new Csrf(new Uint8Array(32).fill(4), true).valid(request(cookie, { csrf: token }))).toBe(false)
  })
  it('over https reads only the __Host- cookie: the same value under the plain name, which a sibling subdomain can set, does not count', () => {
    const res = response()
    const token = csrf.token(request(), res)
    const value = res.cookies[0]!.split(';')[0]!.split('=')[1]!
    expect(csrf.valid(request(`${CSRF_COOKIE}=${value}`, { csrf: token }))).toBe(false)
  })
  it('over http keeps the plain name (browsers refuse __Host- cookies from insecure origins)', () => {
    const res = response()
    new Csrf(secret, false).token(request(), res)
    expect(res.cookies[0]).toMatch(new RegExp(`^${CSRF_COOKIE}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Strict$`))
  })
})
