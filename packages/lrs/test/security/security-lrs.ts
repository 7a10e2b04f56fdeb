import express from 'express'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import type { Db } from '@tln/db'
import { createLrs, type Lrs, type ThrottlePolicy } from '../../src/index.ts'
import { PUBLIC_URL } from '../test-lrs.ts'

export const POLICY: ThrottlePolicy = { maxFailuresPerAddress: 3, maxFailuresPerKey: 6, windowMs: 60_000 }

/** One LRS "process" on a shared database: its own caches, the `/xapi` and export routers, a movable clock. */
export interface LrsProcess {
  lrs: Lrs
  http: TestAgent
  setNow(date: Date): void
}

/**
 * An LRS process behind a proxy that the app trusts (`trust proxy`), so a test names the client
 * address in `X-Forwarded-For`; `trustProxy: false` serves the socket address only.
 */
export function lrsProcess(db: Db, options: { trustProxy?: boolean; throttle?: ThrottlePolicy } = {}): LrsProcess {
  let now: Date | undefined
  const silent = { debug: () => {}, error: (object: object) => console.error(object) }
  const lrs = createLrs({ knex: db.knex, logger: silent, publicUrl: PUBLIC_URL, now: () => now ?? new Date(), authThrottle: options.throttle ?? POLICY })
  const app = express()
  app.set('trust proxy', options.trustProxy ?? true)
  app.use('/xapi', lrs.router)
  app.use('/api/export', lrs.exportRouter)
  app.use('/api/admin/forwarding', lrs.forwardingRouter)
  return { lrs, http: request(app), setNow: (date) => (now = date) }
}

export function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`
}

export const V2 = { 'X-Experience-API-Version': '2.0.0' }
