import type { Knex } from '@tln/db'
import type { LtiTool } from '@tln/lti-tool'
import type { Router } from 'express'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { resolveSecretKey } from '../secret-key.ts'
import { demoLmsRouter } from './demo-lms-router.ts'
import { ensureDemoLms } from './demo-lms-setup.ts'

/**
 * Readies and wires the demo LMS (called by the composition root in demo mode only, after the demo
 * organisation is seeded and the tool is up). A public URL no platform may have (plain http off
 * loopback) leaves it off with a warning; the rest of the demo runs.
 */
export async function mountDemoLms(deps: { config: Config; knex: Knex; tool: LtiTool; logger: Logger; publicUrl: string }): Promise<{ router: Router; url: string } | undefined> {
  const secretKey = resolveSecretKey(deps.config)
  if (secretKey === undefined) return undefined
  try {
    const lms = await ensureDemoLms({ knex: deps.knex, platforms: deps.tool.platforms, publicUrl: deps.publicUrl, secretKey })
    deps.logger.warn(
      { url: lms.issuer, registration: lms.registration, people: lms.people.length },
      'DEMO LMS ON: /demo/lms signs LTI launches as demo teachers and facilitators for ANYONE who can reach this server; demo mode only, never in production',
    )
    return { url: lms.issuer, router: demoLmsRouter({ lms, publicUrl: deps.publicUrl, secretKey, toolKeys: deps.tool.keys, logger: deps.logger }) }
  } catch (error) {
    if (!(error instanceof ServerError)) throw error
    deps.logger.warn({ code: error.code, subject: error.subject }, `demo LMS off: ${error.message}`)
    return undefined
  }
}
