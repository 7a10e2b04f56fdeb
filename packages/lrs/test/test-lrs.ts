import type { AddressInfo } from 'node:net'
import express from 'express'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type Lrs } from '../src/index.ts'

export interface TestLrs {
  db: Db
  lrs: Lrs
  app: express.Express
  http: TestAgent
  /** Authorization header of a credential with scope `all` in the default tenant. */
  auth: string
  /** Makes another credential and returns its Authorization header. */
  credential(scopes: string[], tenant?: string): Promise<string>
  /** Sets the clock that `stored` comes from. */
  setNow(date: Date): void
  close(): Promise<void>
}

export const PUBLIC_URL = 'http://lrs.test'

/** A running LRS on a fresh database of the current test engine, with an `all` credential. */
export async function createTestLrs(options: { bodyLimit?: number; bodyBudget?: number; bodyBudgetWaitMs?: number; maxLimit?: number; maxAttachmentSize?: number } = {}): Promise<TestLrs> {
  const db = await createTestDb()
  let now: Date | undefined
  const silent = { debug: () => {}, error: (object: object) => console.error(object) }
  const lrs = createLrs({ knex: db.knex, logger: silent, publicUrl: PUBLIC_URL, now: () => now ?? new Date(), ...options })
  const app = express()
  app.use('/xapi', lrs.router)
  const http = request(app)
  const credential = async (scopes: string[], tenant?: string) => {
    const { credential, secret } = await lrs.credentials.create({ scopes, ...(tenant !== undefined ? { tenant } : {}) })
    return `Basic ${Buffer.from(`${credential.key}:${secret}`).toString('base64')}`
  }
  return {
    db,
    lrs,
    app,
    http,
    auth: await credential(['all']),
    credential,
    setNow: (date) => {
      now = date
    },
    close: () => db.close(),
  }
}

let counter = 0

/** A small valid statement; `overrides` replace top-level properties. */
export function aStatement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1
  return {
    actor: { objectType: 'Agent', name: 'Baiq Nurul', mbox: 'mailto:baiq.nurul@paud.example' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed', id: 'menyelesaikan' } },
    object: {
      objectType: 'Activity',
      id: `https://tln.example/activities/rpph/${counter}`,
      definition: { name: { 'en-US': 'Daily lesson plan', id: 'RPPH' } },
    },
    ...overrides,
  }
}

export const V103 = { 'X-Experience-API-Version': '1.0.3' }
export const V2 = { 'X-Experience-API-Version': '2.0.0' }

/** Serves the test LRS on a free loopback port, for clients that need a real socket. */
export async function listen(t: TestLrs): Promise<{ base: string; stop(): Promise<void> }> {
  const server = t.app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  return { base: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) }
}
