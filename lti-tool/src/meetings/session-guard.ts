import type { NextFunction, Request, Response } from 'express'
import { LtiToolError } from '../errors.ts'
import { toolPageHeaders } from '../http/headers.ts'
import { csrfToken, isSessionToken, type SignedIn } from '../http/session-token.ts'

export { signedIn, type SignedIn } from '../http/session-token.ts'

/** The form token of a session (`http/session-token.ts`). */
export const formToken = (secret: Uint8Array, s: SignedIn) => csrfToken(secret, s.cookie)

/** A state-changing form must carry the session's token. @throws LtiToolError `ERR_TOOL_CSRF` (403) */
export function checkFormToken(secret: Uint8Array, s: SignedIn, body: unknown): void {
  if (!isSessionToken(secret, s.cookie, (body as Record<string, unknown> | undefined)?.csrf)) throw new LtiToolError('ERR_TOOL_CSRF', 'form without the session token')
}

export const wrap = (handler: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction) => { handler(req, res).catch(next) }

/** Send a tool page (the tool's CSP: no inline script or style). */
export function sendPage(res: Response, status: number, body: string): void {
  toolPageHeaders(res)
  res.status(status).type('html').send(body)
}
