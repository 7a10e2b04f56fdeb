import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Router } from 'express'

/** The TLN xAPI Profile document, kept in docs/ (the one source, validated by test/profile). */
const PROFILE_PATH = resolve(import.meta.dirname, '../../../../docs/xapi-profile/tln-profile.jsonld')

/**
 * Serves the TLN xAPI Profile at `/xapi/profile` and its version IRI `/xapi/profile/v0.1`, the
 * paths of its identifiers (`https://tln.example/xapi/profile[/v0.1]`), so on the canonical host
 * the IRIs resolve (xAPI Profiles 1.0 Part Two: a profile is a JSON-LD document). Read once at
 * start-up; `application/ld+json`, cacheable for a day.
 */
export function xapiProfileRouter(): Router {
  const body = readFileSync(PROFILE_PATH, 'utf8')
  const router = Router()
  const send = (_req: unknown, res: import('express').Response) => {
    res.set('Content-Type', 'application/ld+json; charset=utf-8').set('Cache-Control', 'public, max-age=86400').set('Access-Control-Allow-Origin', '*').send(body)
  }
  router.get(['/profile', '/profile/v0.1'], send)
  return router
}
