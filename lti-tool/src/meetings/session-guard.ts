import { timingSafeEqual } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { LtiToolError } from '../errors.ts'
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts'
import { toolPageHeaders } from '../http/headers.ts'
import type { Session, SessionStore } from '../session/session-store.ts'
import { csrfToken } from '../tasks/router.ts'

export type SignedIn = Session & { readonly cookie: string }

/** The live session of a request. @throws LtiToolError `ERR_TOOL_NOT_SIGNED_IN` (401) */
export async function signedIn(sessions: SessionStore, req: Request): Promise<SignedIn> {
  const cookie = readCookie(req, SESSION_COOKIE)
  const session = cookie === undefined ? undefined : await sessions.find(cookie)
  if (session === undefined || cookie === undefined) throw new LtiToolError('ERR_TOOL_NOT_SIGNED_IN', 'no live session cookie')
  return { ...session, cookie }
}

/**
 * The form token of a session: HMAC of its id (`tasks/router.ts` `csrfToken`), so it needs no
 * storage and works inside an LMS iframe, where a `SameSite=Strict` double-submit cookie is not sent.
 */
export const formToken = (secret: Uint8Array, s: SignedIn) => csrfToken(secret, s.cookie)

/** A state-changing form must carry the session's token. @throws LtiToolError `ERR_TOOL_CSRF` (403) */
export function checkFormToken(secret: Uint8Array, s: SignedIn, body: unknown): void {
  const token = (body as Record<string, unknown> | undefined)?.csrf
  const expected = Buffer.from(formToken(secret, s))
  const given = Buffer.from(typeof token === 'string' ? token : '')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new LtiToolError('ERR_TOOL_CSRF', 'form without the session token')
}

export const wrap = (handler: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction) => { handler(req, res).catch(next) }

/** Send a tool page (the tool's CSP: no inline script or style). */
export function sendPage(res: Response, status: number, body: string): void {
  toolPageHeaders(res)
  res.status(status).type('html').send(body)
}
