import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createLrs } from '@tln/lrs'
import { testEngine } from '@tln/db/testing'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/open-database.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const KEY = 'shutdown-test'
const SECRET = 'shutdown-test-secret'

interface Child {
  process: ChildProcess
  /** Log lines (JSON) the server printed so far. */
  logs: Array<Record<string, unknown>>
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>
  exited: Promise<number | null>
}

/** Starts `tln serve` as a real process, the way operators and orchestrators run it. */
function startServe(dataDir: string): Child {
  const env: NodeJS.ProcessEnv = { ...process.env, TLN_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TLN_SHUTDOWN_TIMEOUT_MS: '10000' }
  delete env.DATABASE_URL
  const child = spawn(process.execPath, ['apps/server/bin/tln.mjs', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const logs: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  let buffered = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        // Not a log line (none expected without --demo).
      }
    }
    for (const wake of waiters.splice(0)) wake()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  const waitForLog = (msg: string, timeoutMs = 45_000): Promise<Record<string, unknown>> =>
    new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no "${msg}" log within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs)
      const check = (): void => {
        const found = logs.find((l) => l.msg === msg)
        if (found !== undefined) {
          clearTimeout(timer)
          done(found)
        } else waiters.push(check)
      }
      check()
    })
  return { process: child, logs, waitForLog, exited }
}

/** Sends a POST whose body arrives in two parts, so the request is in flight in between. */
function slowPost(port: number, body: string): { sendRest(): void; response: Promise<{ res: IncomingMessage; text: string }> } {
  const bytes = Buffer.from(body)
  const split = Math.floor(bytes.length / 2)
  let req: ReturnType<typeof httpRequest>
  const response = new Promise<{ res: IncomingMessage; text: string }>((done, fail) => {
    req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/xapi/statements',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': bytes.length,
          'X-Experience-API-Version': '1.0.3',
          Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`,
        },
      },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString('utf8')))
        res.on('end', () => done({ res, text }))
      },
    )
    req.on('error', fail)
    req.write(bytes.subarray(0, split))
  })
  return { sendRest: () => req.end(bytes.subarray(split)), response }
}

function get(port: number, path: string): Promise<number> {
  return new Promise((done, fail) => {
    httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      res.resume()
      done(res.statusCode ?? 0)
    })
      .on('error', fail)
      .end()
  })
}

// One process on a data directory: this is about the process, so it runs in the PGlite pass only.
describe.runIf(testEngine() === 'pglite')('tln serve, graceful shutdown', () => {
  let dataDir: string
  let child: Child | undefined
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tln-serve-'))
    const { db } = await openDatabase({ engine: 'pglite', dataDir })
    try {
      await createLrs({ knex: db.knex, logger: pino({ level: 'silent' }), publicUrl: 'http://localhost' }).credentials.create({ key: KEY, secret: SECRET, scopes: ['all'] })
    } finally {
      await db.close()
    }
    // A new PGlite data directory is created and migrated here: on a loaded 2-core machine that
    // took over the 60 s hook default once (the whole suite under other work, load average 10).
  }, 180_000)
  afterAll(async () => {
    if (child !== undefined && child.process.exitCode === null) child.process.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
  })

  it('on SIGTERM refuses new connections, finishes the request in flight, keeps what it acknowledged, and exits 0', async () => {
    child = startServe(dataDir)
    const listening = await child.waitForLog('TLN is listening')
    const port = listening.port as number
    expect(await get(port, '/readyz')).toBe(200)

    const statementId = 'f3b3c1de-3f0a-4c59-9d55-7a1e2b9c0d11'
    const inFlight = slowPost(
      port,
      JSON.stringify({
        id: statementId,
        actor: { objectType: 'Agent', name: 'Sri Wahyuni', account: { homePage: 'https://elearning.bppaudntb.example', name: 'ptk-003' } },
        verb: { id: 'http://activitystrea.ms/schema/1.0/submit', display: { 'en-US': 'submitted' } },
        object: { objectType: 'Activity', id: 'https://tln.example/xapi/activities/task/rpph' },
      }),
    )
    // Let the server start reading the request before the signal.
    await new Promise((r) => setTimeout(r, 300))
    child.process.kill('SIGTERM')
    await child.waitForLog('shutting down: finishing requests in flight')
    await expect(get(port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' })

    inFlight.sendRest()
    const { res, text } = await inFlight.response
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(text)).toEqual([statementId])
    expect(res.headers.connection).toBe('close')

    expect(await child.exited).toBe(0)
    expect(child.logs.find((l) => l.msg === 'stopped')).toMatchObject({ forced: false })

    // Nothing acknowledged is lost: the statement is there after the restart.
    const { db } = await openDatabase({ engine: 'pglite', dataDir })
    try {
      const row = await db.knex('xapi_statement').where({ id: statementId }).first()
      expect(row).toBeDefined()
    } finally {
      await db.close()
    }
  }, 90_000)
})
