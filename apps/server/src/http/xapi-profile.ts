import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { IRouter, Response } from 'express'
import { answerMethodNotAllowed } from './method-not-allowed.ts'

/** The TLN xAPI Profile document, kept in docs/ (the one source, validated by test/profile). */
const PROFILE_PATH = resolve(import.meta.dirname, '../../../../docs/xapi-profile/tln-profile.jsonld')

/**
 * Serves the TLN xAPI Profile at `/xapi/profile` and its version IRI `/xapi/profile/v0.1`, the
 * paths of its identifiers (`https://tln.example/xapi/profile[/v0.1]`), so on the canonical host
 * the IRIs resolve (xAPI Profiles 1.0 Part Two: a profile is a JSON-LD document). Read once at
 * start-up; `application/ld+json`, cacheable for a day. Registered on `app` as its own routes, not as a
 * router mounted in front of the LRS, so other requests pass them by one path test (issue 7).
 */
export function mountXapiProfile(app: IRouter): void {
  const body = readFileSync(PROFILE_PATH, 'utf8')
  const send = (_req: unknown, res: Response) => {
    res.set('Content-Type', 'application/ld+json; charset=utf-8').set('Cache-Control', 'public, max-age=86400').set('Access-Control-Allow-Origin', '*').send(body)
  }
  app.get(['/xapi/profile', '/xapi/profile/v0.1'], send)
  // Another method: 405 naming the methods it has (RFC 9110 §15.5.6), not the LRS's "no xAPI
  // resource" 404. Here and not by the server's fallback, which the LRS router never lets a /xapi
  // request reach. OPTIONS goes on to the LRS router, which answers CORS preflights.
  app.all(['/xapi/profile', '/xapi/profile/v0.1'], (req, res, next) => {
    if (req.method === 'OPTIONS') { next(); return }
    answerMethodNotAllowed(res, req.method, ['GET', 'HEAD'], 'the xAPI Profile document')
  })
}
