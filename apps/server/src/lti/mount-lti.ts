import type { Knex } from '@tln/db'
import type { Lrs } from '@tln/lrs'
import { createLtiTool, type LtiTool } from '@tln/lti-tool'
import express, { type Router } from 'express'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { ltiKeySecret, resolveSecretKey, SECRET_KEY_MISSING } from '../secret-key.ts'

/**
 * Wires the LTI tool for `/lti` (called by the composition root). Without the server secret
 * (PostgreSQL and no `TLN_SECRET_KEY`) the LRS still runs and `/lti/*` answers 503 with the reason.
 */
export async function mountLti(deps: { config: Config; knex: Knex; lrs: Lrs; logger: Logger; publicUrl: string }): Promise<{ router: Router; tool?: LtiTool }> {
  const secretKey = resolveSecretKey(deps.config)
  if (secretKey === undefined) {
    deps.logger.warn({}, `LTI tool off: ${SECRET_KEY_MISSING}`)
    const router = express.Router()
    router.use((_req, res) => {
      res.status(503).set('Retry-After', '3600').json({ error: { code: 'ERR_LTI_NOT_CONFIGURED', message: 'the LTI tool is not configured on this server (TLN_SECRET_KEY)' } })
    })
    return { router }
  }
  const tool = await createLtiTool({
    knex: deps.knex, lrs: deps.lrs, logger: deps.logger,
    config: {
      publicUrl: deps.publicUrl, keySecret: ltiKeySecret(secretKey), timeZone: deps.config.timeZone,
      ...(deps.config.ltiDynamicRegistration !== undefined && { dynamicRegistration: deps.config.ltiDynamicRegistration }),
      ...(deps.config.ltiTenant !== undefined && { registrationTenant: deps.config.ltiTenant }),
      ...(deps.config.ltiPlatformAllowPrivate !== undefined && { platformAllowPrivate: deps.config.ltiPlatformAllowPrivate }),
      ...(deps.config.ltiClockToleranceS !== undefined && { clockToleranceS: deps.config.ltiClockToleranceS }),
      ...(deps.config.uploadMaxAgeHours !== undefined && { abandonedUploadAgeMs: deps.config.uploadMaxAgeHours * 3_600_000 }),
    },
  })
  return { router: tool.router, tool }
}
