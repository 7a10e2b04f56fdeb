import type { IncomingMessage, ServerResponse } from 'node:http'
import { withSecretKey } from './secret-key.ts'
import type { Db } from '@tln/db'
import { createLrs } from '@tln/lrs'
import { createApp } from './app.ts'
import { mountLti } from './lti/mount-lti.ts'
import { describeDatabase, resolvePublicUrl, type Config } from './config.ts'
import type { Logger } from './logger.ts'
import { DEMO_CREDENTIAL, ensureDemoCredential, type DemoCredentialState } from './seed/demo-credential.ts'
import { seedDemo } from './seed/demo.ts'
import { seedDemoOrg } from './seed/demo-org.ts'
import { openDatabase } from './open-database.ts'
import { listen } from './serve.ts'
import { startForwarding } from './forwarding.ts'
import { startCompetenceEngine } from './competence.ts'
import { mountBadges } from './badges.ts'
import { startDbMaintenance } from './db-maintenance.ts'
import { mountDemoLms } from './demo-lms/mount-demo-lms.ts'

export interface StartOptions {
  logger: Logger
  /** Seed the demo data and ensure the demo credential (`tln serve --demo`). */
  demo?: boolean
}

export interface RunningServer {
  port: number
  publicUrl: string
  /** The LRS endpoint clients configure, e.g. `http://localhost:8080/xapi/`. */
  lrsEndpoint: string
  /** Set when started with `demo`: what became of the demo credential. */
  demoCredential?: DemoCredentialState
  /** Set when started with `demo` and the demo LMS is up: its course page, e.g. `http://localhost:8080/demo/lms`. */
  demoLmsUrl?: string
  /** Graceful stop: finish requests in flight (cut after the timeout), then close the database. */
  stop(): Promise<{ forced: boolean }>
}

/**
 * The composition root (STYLE.md rule 8): the one place where the database, the LRS and the
 * HTTP app are wired together.
 *
 * The port is bound first so that the public URL can name the port actually bound (`PORT=0`)
 * and liveness answers during migrations; until the app is ready every other path answers 503
 * `starting`, which load balancers read as "not yet".
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options
  let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const http = await listen((req, res) => (app !== undefined ? app(req, res) : starting(req, res)), { port: config.port, host: config.host, http: config.http, onDrop: warnAtMostOncePerMinute(logger, 'dropped', { maxConnections: config.http.maxConnections }, 'connections refused: TLN_MAX_CONNECTIONS are open'), onStall: warnAtMostOncePerMinute(logger, 'cut', { sendTimeoutMs: config.http.sendTimeoutMs }, 'connections cut off: their clients took nothing of an answer for TLN_SEND_TIMEOUT_MS'), onSlowBody: warnAtMostOncePerMinute(logger, 'cut', { bodyMinRate: config.http.bodyMinRate }, 'requests cut off: their bodies arrived slower than TLN_BODY_MIN_RATE bytes per second') })
  const publicUrl = resolvePublicUrl(config, http.port)
  let db: Db | undefined
  try {
    logger.info({ database: describeDatabase(config.database) }, 'opening the database')
    const opened = await openDatabase(config.database)
    db = opened.db
    const ran = opened.migrated
    logger.info({ migrations: ran }, ran.length > 0 ? 'migrations applied' : 'schema up to date')
    const lrs = createLrs({ knex: db.knex, logger, publicUrl, bodyLimit: config.bodyLimit, bodyBudget: config.bodyBudget, mountPath: '/xapi', ...withSecretKey(config) })
    let demoCredential: DemoCredentialState | undefined
    if (options.demo === true) {
      const seeded = await seedDemo(lrs, { onBatch: (done, total) => logger.debug({ done, total }, 'seeding demo data') })
      logger.info(seeded, seeded.alreadySeeded ? 'demo data already in place' : 'demo data seeded')
      logger.info(await seedDemoOrg(db.knex), 'demo organisation in place')
      demoCredential = await ensureDemoCredential(lrs.credentials)
      if (demoCredential === 'taken') logger.warn({ key: DEMO_CREDENTIAL.key }, 'the demo credential key exists with another secret or was revoked; left as it is')
    }
    const openDb = db
    const lti = await mountLti({ config, knex: openDb.knex, lrs, logger, publicUrl })
    const badges = mountBadges({ config, knex: openDb.knex, publicUrl, logger, ...(lti.tool !== undefined && { viewers: { sessions: lti.tool.sessions, org: lti.tool.org } }) })
    // The demo LMS (`/demo/lms`) exists only in demo mode: it signs launches for anyone who can reach the server.
    const demoLms = options.demo === true && lti.tool !== undefined ? await mountDemoLms({ config, knex: openDb.knex, tool: lti.tool, logger, publicUrl }) : undefined
    app = createApp({ config, db: openDb, logger, lrs, publicUrl, draining: http.draining, lti: lti.router, ...(lti.tool !== undefined && { accounts: lti.tool.accountRouter, reports: { pages: lti.tool.reportsRouter, api: lti.tool.reportsApiRouter } }), badges: badges.router, ...(demoLms !== undefined && { demoLms: demoLms.router }) })
    const forwarder = startForwarding(lrs, logger)
    // Competence projections: every process runs the engine; a per-tenant row lock keeps them apart.
    const competenceEngine = startCompetenceEngine(openDb.knex, logger, { timeZone: config.timeZone })
    // Open Badges for completed tiers: every process runs the loop; a per-tenant row lock keeps them apart.
    const badgeIssuer = badges.issuer?.start()
    // AGS grade passback: every process runs a worker; row claims (FOR UPDATE SKIP LOCKED + lease) keep them apart.
    const passbackWorker = lti.tool?.createPassbackWorker().start()
    // The tool's statement outbox: every process runs a deliverer; leased rows (FOR UPDATE SKIP LOCKED) keep them apart.
    const outboxDeliverer = lti.tool?.createOutboxDeliverer().start()
    // ANALYZE/VACUUM where no autovacuum runs: every process runs the loop; an advisory lock lets one run each round.
    const dbMaintenance = startDbMaintenance(openDb, config, logger)
    const lrsEndpoint = `${publicUrl}/xapi/`
    logger.info({ port: http.port, host: config.host, lrsEndpoint }, 'TLN is listening')
    return {
      port: http.port,
      publicUrl,
      lrsEndpoint,
      ...(demoCredential !== undefined ? { demoCredential } : {}),
      ...(demoLms !== undefined ? { demoLmsUrl: demoLms.url } : {}),
      stop: async () => {
        const result = await http.close(config.shutdownTimeoutMs)
        await forwarder.stop()
        await competenceEngine.stop()
        await badgeIssuer?.stop()
        await passbackWorker?.stop()
        await outboxDeliverer?.stop()
        await dbMaintenance.stop()
        await lti.tool?.roster.stop()
        await openDb.close()
        return result
      },
    }
  } catch (error) {
    await http.close(0)
    await db?.close()
    throw error
  }
}

/**
 * A warning for events that can come by the thousand (connections refused or cut off): logged at
 * most once a minute, with how many happened since the last one under `countField`.
 */
function warnAtMostOncePerMinute(logger: Logger, countField: string, fields: Record<string, unknown>, message: string): () => void {
  let count = 0
  let lastWarned = Number.NEGATIVE_INFINITY
  return () => {
    count += 1
    const now = Date.now()
    if (now - lastWarned < 60_000) return
    logger.warn({ [countField]: count, ...fields }, message)
    lastWarned = now
    count = 0
  }
}

/** Answers while the app is being built: alive, but not ready. */
function starting(req: IncomingMessage, res: ServerResponse): void {
  const alive = req.url === '/healthz'
  res.writeHead(alive ? 200 : 503, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...(alive ? {} : { 'Retry-After': '5' }) })
  res.end(JSON.stringify({ status: alive ? 'ok' : 'starting' }))
}
