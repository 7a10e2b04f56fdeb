import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Request } from 'express'
import { LtiToolError } from '../errors.ts'
import type { Session, SessionStore } from '../session/session-store.ts'
import { readCookie } from './cookies.ts'

/** A live session with the cookie value it was found by (form tokens are bound to it). */
export type SignedIn = Session & { readonly cookie: string }

/** The live session of a request. @throws LtiToolError `ERR_TOOL_NOT_SIGNED_IN` (401) */
export async function signedIn(sessions: SessionStore, req: Request): Promise<SignedIn> {
  const cookie = readCookie(req, sessions.cookieName)
  const session = cookie === undefined ? undefined : await sessions.find(cookie)
  if (session === undefined || cookie === undefined) throw new LtiToolError('ERR_TOOL_NOT_SIGNED_IN', 'no live session cookie')
  return { ...session, cookie }
}

/**
 * The form (CSRF) token of a session: HMAC-SHA256 of its cookie value (OWASP CSRF Cheat Sheet,
 * synchroniser token bound to the session). It needs no storage and works inside an LMS iframe,
 * where a `SameSite=Strict` double-submit cookie is not sent. One token per session for every page.
 */
export function csrfToken(secret: Uint8Array, sessionId: string): string {
  return createHmac('sha256', secret).update(`tln-csrf|${sessionId}`).digest('base64url')
}

/** Does `given` equal the session's form token (compared in constant time)? */
export function isSessionToken(secret: Uint8Array, sessionId: string, given: unknown): boolean {
  const expected = Buffer.from(csrfToken(secret, sessionId))
  const actual = Buffer.from(typeof given === 'string' ? given : '')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
