import type { IRouter } from 'express'
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
 * reveals more than a status word. Registered on `app` as its own routes, not as a router mounted
 * in front of the LRS, so other requests pass them by one path test (issue 7).
 */
export function mountHealth(app: IRouter, options: HealthOptions): void {
  const timeoutMs = options.timeoutMs ?? 2000
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' })
  })
  app.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store')
    if (options.draining()) {
      res.status(503).json({ status: 'shutting-down' })
      return
    }
    try {
      await withinMs(options.knex.raw('select 1').timeout(timeoutMs), timeoutMs)
      res.json({ status: 'ready' })
    } catch (error) {
      options.logger.warn({ err: error }, 'readiness check: the database does not answer')
      res.status(503).json({ status: 'unavailable' })
    }
  })
}

/**
 * `query` within `ms`, the wait for a pooled connection included: knex's own `.timeout` starts only
 * once a connection is handed out, so with every connection held by slow queries readiness waited
 * the whole pool wait (10 s; 60 s on embedded storage) instead of its 2 s. The query itself goes on
 * and gives up on its own (pool wait, or `.timeout` once running).
 */
async function withinMs<T>(query: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms) })
  const running = Promise.resolve(query)
  running.catch(() => {})
  try {
    return await Promise.race([running, late])
  } finally {
    clearTimeout(timer)
  }
}
