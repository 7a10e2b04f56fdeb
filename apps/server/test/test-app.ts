import { Writable } from 'node:stream'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import type { Express } from 'express'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { createLogger, type Logger } from '../src/logger.ts'

export const PUBLIC_URL = 'http://tln.test'

export interface TestApp {
  db: Db
  lrs: Lrs
  app: Express
  logger: Logger
  /** Everything logged, one JSON object per line. */
  logs(): Array<Record<string, unknown>>
  setDraining(value: boolean): void
}

/**
 * The server app on a fresh database of the current test engine, logging into memory; `db` as
 * `createTestDb` takes it (a pool size, a statement timeout).
 */
export async function createTestApp(options: { db?: Parameters<typeof createTestDb>[0] } = {}): Promise<TestApp> {
  const db = await createTestDb(options.db)
  const lines: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''))
      done()
    },
  })
  const logger = createLogger('debug', sink)
  const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC_URL })
  let draining = false
  const app = createApp({ config: loadConfig({}), db, logger, lrs, publicUrl: PUBLIC_URL, draining: () => draining })
  return {
    db,
    lrs,
    app,
    logger,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    setDraining: (value) => {
      draining = value
    },
  }
}

/** An Output that keeps what commands print. */
export function captureOutput(): { out(text: string): void; err(text: string): void; stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => {
      io.stdout += `${text}\n`
    },
    err: (text: string) => {
      io.stderr += `${text}\n`
    },
  }
  return io
}
