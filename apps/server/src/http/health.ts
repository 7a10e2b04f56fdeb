import { Router } from 'express'
import type { Knex } from '@tln/db'
import type { Logger } from '../logger.ts'

export interface HealthOptions {
  knex: Knex
  logger: Logger
  /** True once shutdown has begun: readiness fails so load balancers stop sending traffic. */
  draining: () => boolean
  /** How long the readiness query may take before the database counts as not answering. */
  timeoutMs?: number
}

/**
 * `/healthz` (liveness: the process answers) and `/readyz` (readiness: the database answers
 * `select 1`). Kept apart so an orchestrator restarts the process only when it is stuck, and
 * merely stops routing to it while the database is away. Neither needs credentials; neither
 * reveals more than a status word.
 */
export function healthRouter(options: HealthOptions): Router {
  const router = Router()
  const timeoutMs = options.timeoutMs ?? 2000
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' })
  })
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store')
    if (options.draining()) {
      res.status(503).json({ status: 'shutting-down' })
      return
    }
    try {
      await options.knex.raw('select 1').timeout(timeoutMs)
      res.json({ status: 'ready' })
    } catch (error) {
      options.logger.warn({ err: error }, 'readiness check: the database does not answer')
      res.status(503).json({ status: 'unavailable' })
    }
  })
  return router
}
