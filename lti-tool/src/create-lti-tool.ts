import type { Knex } from '@tln/db'
import { AddressRateLimit, type CredentialStore, type StatementService } from '@tln/lrs'
import { LtiStrategy, parsePrivateAddressAllowance, rotateToolKeys, type LaunchOptions, type LtiLaunch, type ToolConfiguration } from '@tln/lti-v1p3'
import passport from 'passport'
import type { Router } from 'express'
import { PassbackStore, enqueueScore, type Passback, type PassbackStatus, type ScoreToPass } from './ags/passback-store.ts'
import { PassbackWorker, type PassbackWorkerOptions } from './ags/passback-worker.ts'
import { Catalogue } from './catalogue.ts'
import type { LtiToolConfig } from './config.ts'
import { LOMBOK_TIME_ZONE } from './http/local-time.ts'
import { isTimeZone } from '@tln/competence'
import { answerDeepLinking } from './deep-linking/answer-deep-linking.ts'
import { CUSTOM } from './deep-linking/content-items.ts'
import { DeepLinkingStore } from './deep-linking/deep-linking-store.ts'
import { RosterSync } from './nrps/roster-sync.ts'
import { createPlatformOutbound, createToolPlatformJwks } from './outbound/platform-outbound.ts'
import { LtiToolError } from './errors.ts'
import { sessionCookieName } from './http/cookies.ts'
import { isHttpLoopback, toolRouter, type LaunchedUser } from './http/router.ts'
import { handoffRouter } from './http/handoff-router.ts'
import { SessionHandoffStore } from './session/session-handoff-store.ts'
import type { ToolLogger } from './logger.ts'
import { tlnRoleOf } from './session/roles.ts'
import { SessionStore } from './session/session-store.ts'
import { UserStore } from './session/user-store.ts'
import { DbAccessTokenCache } from './stores/access-token-cache.ts'
import { deleteExpired } from './stores/cleanup.ts'
import { DbKeyStore } from './stores/key-store.ts'
import { DbLoginStateStore } from './stores/login-state-store.ts'
import { DbNonceStore } from './stores/nonce-store.ts'
import { DbPlatformJwksLastGood } from './stores/platform-jwks-store.ts'
import { DbPlatformStore } from './stores/platform-store.ts'
import { LaunchRecorder } from './xapi/launch-recorder.ts'
import { ScoreRecorder } from './xapi/score-recorder.ts'
import { ToolCredentials } from './xapi/tool-credentials.ts'
import { StatementOutbox, type OutboxStats } from './xapi/statement-outbox.ts'
import { OutboxDeliverer, type OutboxDelivererOptions } from './xapi/outbox-deliverer.ts'
import { Accounts, type AccountsDeps } from './accounts/accounts.ts'
import { accountRouter } from './accounts/account-router.ts'
import { Csrf } from './accounts/csrf.ts'
import { grantGuard } from './org/grant-guard.ts'
import { orgRouter } from './org/org-router.ts'
import { OrgStore } from './org/org-store.ts'
import { passbackTargetOf } from './ags/passback-target.ts'
import { TaskService } from './tasks/task-service.ts'
import { taskItemPage, taskLaunchPage, taskRouter } from './tasks/router.ts'
import { MeetingService } from './meetings/meeting-service.ts'
import { meetingRouter } from './meetings/router.ts'
import { ObservationService } from './observations/observation-service.ts'
import { observationRouter } from './observations/router.ts'
import { PlatformAdmin } from './admin/platform-admin.ts'
import { platformRouter } from './admin/platform-router.ts'
import { ScopedPassbacks } from './grades/scoped-passbacks.ts'
import { gradesRouter } from './grades/grades-router.ts'
import { CourseClasses } from './classes/course-classes.ts'
import { classRouter } from './classes/class-router.ts'
import { MentoringService } from './mentoring/mentoring-service.ts'
import { mentoringRouter } from './mentoring/router.ts'
import { ProgramStore } from './programs/program-store.ts'
import { programApiRouter, programRouter } from './programs/program-router.ts'
import { createReports } from './reports/create-reports.ts'

export interface LtiToolOptions {
  readonly knex: Knex
  /** The LRS: every launch is stored as an xAPI statement through it. */
  readonly lrs: { statements: StatementService; credentials: CredentialStore }
  readonly config: LtiToolConfig
  readonly logger: ToolLogger
  /** Clock in epoch ms; tests freeze it. */
  readonly now?: () => number
  /** Local accounts' scrypt cost, per-address delay and invitation lifetime; tests lower them. */
  readonly accounts?: Partial<Pick<AccountsDeps, 'scrypt' | 'sleep' | 'invitationTtlMs'>>
}

export interface LtiTool {
  /** Mount at `/lti`. */
  readonly router: Router
  /** `/login`, `/invite/<token>`, `/logout`, `/account` (local accounts): mount at the root. */
  readonly accountRouter: Router
  /** The organisation tree, people and grants (`org/`); the import page and API are at `/lti/org`. */
  readonly org: OrgStore
  /** Local accounts: invitations, resets, sign-in with lockout (`accounts/`). */
  readonly accounts: Accounts
  /** Express middleware factory `requireGrant(action, nodeFromRequest)` (`org/grant-guard.ts`). */
  readonly requireGrant: ReturnType<typeof grantGuard>
  readonly platforms: DbPlatformStore
  readonly keys: DbKeyStore
  readonly tokenCache: DbAccessTokenCache
  readonly users: UserStore
  readonly sessions: SessionStore
  /** Rotate the tool's signing key; the previous one stays in the JWKS for the overlap (default 7 days). */
  rotateKeys(overlapMs?: number): Promise<{ kid: string }>
  /** Delete expired login states, nonces, sessions and cached tokens, and upload sessions abandoned longer than `abandonedUploadAgeMs`. */
  cleanup(): Promise<Record<string, number>>
  /** The grade passback queue (AGS 2.0). */
  readonly passbacks: PassbackStore
  /**
   * Queue a score for the LMS gradebook inside the caller's transaction (`trx`); a running worker
   * of this process is woken once the caller commits it (others find it at their next poll).
   * @returns the job id
   */
  enqueueScore(trx: Knex | Knex.Transaction, score: ScoreToPass): Promise<number>
  /** Passback jobs of a tenant (slug), newest first; `failed` ones carry the platform's message. */
  listPassbacks(filter?: { tenant?: string; status?: PassbackStatus; limit?: number }): Promise<Passback[]>
  /** Queue a failed passback again. */
  retryPassback(id: number): Promise<Passback>
  /** A passback worker on this tool's stores (`start()` it; the server does, `stop()` on shutdown). */
  createPassbackWorker(options?: Partial<Pick<PassbackWorkerOptions, 'backoff' | 'leaseMs' | 'pollMs' | 'random' | 'outbound' | 'now'>>): PassbackWorker
  /**
   * The tool's statement outbox (`xapi/statement-outbox.ts`): every statement the tool records is
   * added in its row's transaction and delivered after the commit; what the LRS refused waits here.
   */
  readonly statementOutbox: StatementOutbox
  /** Pending count, oldest, last error of the outbox (`tln statements outbox`). */
  outboxStats(): Promise<OutboxStats>
  /** An outbox deliverer on this tool (`start()` it; the server does, one per process, `stop()` on shutdown). */
  createOutboxDeliverer(options?: Partial<Pick<OutboxDelivererOptions, 'pollMs' | 'batch' | 'reportEveryMs'>>): OutboxDeliverer
  /** Names and Role Provisioning: course rosters. */
  readonly roster: RosterSync
  /** Performance tasks: assignments, submissions, grading (`tasks/`). */
  readonly tasks: TaskService
  /** Meetings of TLN groups and attendance (`meetings/`); pages at `/lti/meetings`. */
  readonly meetings: MeetingService
  /** Observation and interview instruments and records (`observations/`); pages at `/lti/observations`. */
  readonly observations: ObservationService
  /** Peer mentoring: relations, sessions, confirmation, verification, chains (`mentoring/`); pages at `/lti/mentoring`. */
  readonly mentoring: MentoringService
  /** Competence report pages and exports (`reports/`, issue 6): mount at `/reports`. */
  readonly reportsRouter: Router
  /** The same reports as JSON: mount at `/api/reports`. */
  readonly reportsApiRouter: Router
}

const CLEANUP_EVERY_MS = 60_000
/** A picker left open longer than this must be reopened from the LMS. */
const DEEP_LINKING_TTL_MS = 60 * 60_000
/** An Instructor launch syncs the course roster at most this often (per course, across processes). */
const ROSTER_SYNC_INTERVAL_MS = 10 * 60_000
/** Dynamic Registration initiations per client address: an LMS admin registers once; this leaves room for retries. */
export const REGISTRATION_LIMIT = { maxPerAddress: 10, windowMs: 15 * 60_000 }

/** The tool's configuration sent at Dynamic Registration and published at `/lti/config.json`. */
export function toolConfiguration(publicUrl: string, name = 'TLN — Teacher Learning Network'): ToolConfiguration {
  return {
    clientName: name,
    initiateLoginUri: `${publicUrl}/lti/login`,
    redirectUris: [`${publicUrl}/lti/launch`],
    jwksUri: `${publicUrl}/lti/jwks`,
    targetLinkUri: `${publicUrl}/lti/launch`,
    deepLinkingLabel: 'Modul TLN',
    description: 'Jejaring belajar guru PAUD: modul, tugas kinerja, pendampingan sejawat. / PAUD teacher learning network.',
  }
}

/**
 * The TLN LTI 1.3 tool (composition of the app side): PostgreSQL stores behind the library's
 * interfaces, the passport strategy that turns a valid launch into a TLN user and an xAPI
 * `launched` statement, and the Express router for `/lti`. Makes the first tool key if there is
 * none. Stateless: everything lives in the database, so several processes behave as one.
 */
export async function createLtiTool(options: LtiToolOptions): Promise<LtiTool> {
  const { knex, config, logger } = options
  if (config.keySecret.byteLength !== 32) throw new TypeError('LtiToolConfig.keySecret must be 32 bytes')
  if (/\/$/u.test(config.publicUrl)) throw new TypeError('LtiToolConfig.publicUrl must not end with a slash')
  const timeZone = config.timeZone ?? LOMBOK_TIME_ZONE
  if (!isTimeZone(timeZone)) throw new TypeError(`LtiToolConfig.timeZone must be an IANA time zone such as Asia/Makassar, got ${JSON.stringify(timeZone)}`)
  const now = options.now ?? Date.now
  const platforms = new DbPlatformStore(knex)
  const loginStates = new DbLoginStateStore(knex)
  const nonces = new DbNonceStore(knex)
  const keys = new DbKeyStore(knex, config.keySecret)
  const tokenCache = new DbAccessTokenCache(knex, config.keySecret)
  const users = new UserStore(knex)
  const sessions = new SessionStore(knex, now, sessionCookieName(config.publicUrl.startsWith('https:')))
  const credentials = new ToolCredentials(options.lrs.credentials)
  const outbox = new StatementOutbox({ knex, statements: options.lrs.statements, credentials, logger, now })
  const recorder = new LaunchRecorder({ outbox, publicUrl: config.publicUrl, now })
  const scoreRecorder = new ScoreRecorder({ outbox, publicUrl: config.publicUrl })
  const deepLinking = new DeepLinkingStore(knex, now)
  const passbacks = new PassbackStore(knex)
  // A bad entry is a configuration mistake: TypeError at start-up, naming it.
  const platformAllowPrivate = parsePrivateAddressAllowance(config.platformAllowPrivate ?? [])
  // Requests to a dynamically registered platform's URLs go through the guarded fetch, under the registration's allowance.
  const outbound = createPlatformOutbound({
    allowPrivate: platformAllowPrivate, allowLoopback: isHttpLoopback(config.publicUrl),
    ...(config.fetch !== undefined && { fetch: config.fetch }), ...(config.resolveHost !== undefined && { resolveHost: config.resolveHost }),
  })
  const roster = new RosterSync({ knex, keys, tokenCache, logger, now, outbound, ...(config.rosterSyncRetry !== undefined && { retry: config.rosterSyncRetry }) })
  const workers = new Set<PassbackWorker>()
  await keys.ensureCurrent(now())
  const wakeWorkersAfter = (trx: Knex | Knex.Transaction) => {
    const wake = () => { for (const worker of workers) worker.wake() }
    if ('executionPromise' in trx) void (trx as Knex.Transaction).executionPromise.then(wake, () => undefined)
    else wake()
  }
  const tasks = new TaskService({
    knex, recorder: outbox, publicUrl: config.publicUrl, logger, now,
    enqueueScore: async (trx, score) => {
      const id = await enqueueScore(trx, score, new Date(now()))
      wakeWorkersAfter(trx)
      return id
    },
  })
  const taskDeps = { service: tasks, sessions, secret: config.keySecret, timeZone, now }
  // The picker's modules and tasks, and the item a launch names: from the tenant's programs and tasks.
  const catalogue = new Catalogue({ knex, org: tasks.org, tasks: tasks.store })
  // The default tasks are written here, at start, not by the first page that lists them (a GET writes nothing).
  await tasks.store.ensureDefaultsEverywhere()

  const launchOptions: LaunchOptions = {
    platforms, loginStates, nonces, now, redirectUri: `${config.publicUrl}/lti/launch`,
    platformJwks: createToolPlatformJwks(outbound, { now, logger, lastGood: new DbPlatformJwksLastGood(knex) }),
    ...(config.clockToleranceS !== undefined && { clockToleranceS: config.clockToleranceS }),
  }

  /** A valid launch → the TLN user (matched or created by issuer + sub), the launched statement, the session summary. */
  const onLaunch = async (launch: LtiLaunch): Promise<LaunchedUser> => {
    const sub = launch.user.sub
    if (sub === undefined || sub === '') throw new LtiToolError('ERR_TOOL_ANONYMOUS_LAUNCH', 'launch has no sub')
    const record = await platforms.record(launch.platform.issuer, launch.platform.clientId)
    if (record === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'registration vanished during the launch')
    const role = tlnRoleOf(launch.roles)
    const user = await users.upsert({ tenantId: record.tenantId, issuer: record.issuer, sub, role, ...(launch.user.name !== undefined && { name: launch.user.name }), ...(launch.user.email !== undefined && { email: launch.user.email }) })
    const statementId = await recorder.record({ ...launch, user: { ...launch.user, sub } }, record)
    logger.info({ issuer: record.issuer, deploymentId: launch.deploymentId, messageType: launch.messageType, userId: user.id, statementId }, 'LTI launch')
    // NRPS 2.0 §3.6.1: a facilitator's launch with the memberships claim refreshes the course roster, off the launch's path.
    if ((role === 'facilitator' || role === 'admin') && launch.nrps !== undefined && launch.context !== undefined) {
      roster.syncInBackground(record, launch.nrps.contextMembershipsUrl, { id: launch.context.id, ...(launch.context.title !== undefined && { title: launch.context.title }) }, config.rosterSyncIntervalMs ?? ROSTER_SYNC_INTERVAL_MS)
    }
    const settings = launch.messageType === 'LtiDeepLinkingRequest' ? launch.deepLinking : undefined
    const picker = settings === undefined ? undefined : {
      token: await deepLinking.open({ platformId: record.id, userId: user.id, deploymentId: launch.deploymentId, settings }, DEEP_LINKING_TTL_MS),
      multiple: settings.acceptMultiple !== false,
      acceptsLinks: settings.acceptTypes.includes('ltiResourceLink'),
      catalogue: await catalogue.forInstructor(user),
    }
    // The custom parameter names the item; the link's target URL does too, should a platform drop custom parameters.
    const itemPrefix = `${config.publicUrl}/lti/items/`
    const itemId = launch.custom[CUSTOM.item]
      ?? (launch.targetLinkUri?.startsWith(itemPrefix) === true ? safeDecode(launch.targetLinkUri.slice(itemPrefix.length)) : undefined)
    const item = launch.messageType === 'LtiResourceLinkRequest' && itemId !== undefined ? await catalogue.itemAtLaunch(record.tenantId, itemId) : undefined
    // A teacher's launch of a task: their assignment in this course, with where its grade goes (AGS).
    const target = item?.kind === 'task' ? passbackTargetOf(launch, { label: item.title.id, resourceId: item.id }) : undefined
    const assignmentId = item?.kind === 'task' && role === 'teacher'
      ? await tasks.assignAtLaunch({
          user, platformId: record.id, itemKey: item.id,
          ...(launch.context !== undefined && { contextId: launch.context.id }),
          ...((launch.context?.title ?? launch.context?.label) !== undefined && { contextTitle: (launch.context?.title ?? launch.context?.label)! }),
          ...(launch.resourceLink !== undefined && { resourceLinkId: launch.resourceLink.id }),
          ...(target !== undefined && { passbackTarget: target }),
        })
      : undefined
    return {
      user,
      ...(picker !== undefined && { picker }),
      ...(item !== undefined && { item }),
      ...(assignmentId !== undefined && { assignmentId }),
      deepLinking: launch.messageType === 'LtiDeepLinkingRequest',
      launch: {
        issuer: record.issuer, deploymentId: launch.deploymentId, role, platformId: record.id,
        ...(launch.context?.id !== undefined && { contextId: launch.context.id }),
        ...(launch.context?.title !== undefined && { contextTitle: launch.context.title }),
        ...(launch.context?.label !== undefined && { contextLabel: launch.context.label }),
        ...(launch.resourceLink?.title !== undefined && { resourceLinkTitle: launch.resourceLink.title }),
        ...(launch.launchPresentation?.returnUrl !== undefined && { returnUrl: launch.launchPresentation.returnUrl }),
      },
    }
  }

  // A Passport of its own, not the global singleton (STYLE.md rule 8).
  const instance = new passport.Passport()
  instance.use(new LtiStrategy(launchOptions, (launch, done) => { onLaunch(launch).then((u) => done(null, u as unknown as Express.User), (e: unknown) => done(e)) }))

  let lastCleanup = 0
  const cleanup = () => deleteExpired(knex, now(), config.abandonedUploadAgeMs)
  const router = toolRouter({
    publicUrl: config.publicUrl, platforms, loginStates, keys, sessions, passport: instance, logger,
    loginOptions: { platforms, loginStates, redirectUri: `${config.publicUrl}/lti/launch`, now },
    toolConfiguration: toolConfiguration(config.publicUrl, config.toolName),
    dynamicRegistration: config.dynamicRegistration ?? 'pending',
    registrationTenant: config.registrationTenant ?? 'default',
    registrationLimit: new AddressRateLimit(knex, 'lti-register', REGISTRATION_LIMIT, now),
    sessionTtlMs: config.sessionTtlMs ?? 8 * 3_600_000,
    secret: config.keySecret,
    ...(config.fetch !== undefined && { fetch: config.fetch }),
    ...(config.resolveHost !== undefined && { resolveHost: config.resolveHost }),
    platformAllowPrivate,
    deepLinking, catalogue,
    answerDeepLinking: (pending, chosen) => answerDeepLinking(pending, chosen, { platforms, keys, publicUrl: config.publicUrl, now }),
    tasks: { router: taskRouter(taskDeps), launchPage: (input) => taskLaunchPage(taskDeps, input), itemPage: (input) => taskItemPage(taskDeps, input) },
    onLogin: () => {
      if (now() - lastCleanup < CLEANUP_EVERY_MS) return
      lastCleanup = now()
      cleanup().catch((err: unknown) => logger.warn({ err }, 'LTI cleanup failed'))
    },
  })

  // Organisation and accounts (issue 5): `/lti/org` joins the tool router; the sign-in pages live at the root.
  const org = new OrgStore(knex)
  const accounts = new Accounts({ knex, publicUrl: config.publicUrl, now, ...options.accounts })
  const csrf = new Csrf(config.keySecret, config.publicUrl.startsWith('https:'))
  const requireGrant = grantGuard({ sessions, org })
  router.use('/org', orgRouter({ knex, org, requireGrant, csrf, logger }))
  // Meetings and evaluations (issue 5): `/lti/meetings`, `/lti/observations`.
  const meetings = new MeetingService({ knex, org, recorder: outbox, publicUrl: config.publicUrl, logger, now })
  const observations = new ObservationService({ knex, org, recorder: outbox, publicUrl: config.publicUrl, now })
  router.use('/meetings', meetingRouter({ service: meetings, sessions, secret: config.keySecret, logger, now, timeZone }))
  router.use('/observations', observationRouter({ service: observations, meetings, sessions, secret: config.keySecret, logger, now, timeZone }))
  // Admin and facilitator pages of issue 4: platforms, failed grade passbacks, course classes.
  // From the LMS frame to a never-framed page in a new window (issue 7): `/lti/session/handoff`.
  router.use('/session/handoff', handoffRouter({
    sessions, handoffs: new SessionHandoffStore(knex, now), secret: config.keySecret, publicUrl: config.publicUrl,
    sessionTtlMs: config.sessionTtlMs ?? 8 * 3_600_000, logger, now,
  }))
  router.use('/admin/platforms', platformRouter({ admin: new PlatformAdmin(knex, platforms), sessions, org, secret: config.keySecret, publicUrl: config.publicUrl, logger }))
  router.use('/grades', gradesRouter({ passbacks: new ScopedPassbacks(knex, passbacks), sessions, org, secret: config.keySecret, logger, now, timeZone, wake: () => { for (const worker of workers) worker.wake() } }))
  router.use('/classes', classRouter({ classes: new CourseClasses(knex), sessions, org, logger, timeZone }))
  const mentoring = new MentoringService({ knex, org, recorder: outbox, publicUrl: config.publicUrl, secret: config.keySecret, logger, now, timeZone })
  router.use('/mentoring', mentoringRouter({ service: mentoring, sessions, secret: config.keySecret, logger }))
  // Programs, tiers, phases, modules and quotas (issue 5): `/lti/admin/programs`, JSON at `/lti/api/programs`.
  const programs = new ProgramStore(knex)
  router.use('/admin/programs', programRouter({ programs, sessions, org, secret: config.keySecret, logger }))
  router.use('/api/programs', programApiRouter({ programs, sessions, org, logger }))
  const reports = createReports({ knex, sessions, org, statements: options.lrs.statements, credentials, logger, publicUrl: config.publicUrl, now, timeZone })
  const accountRoutes = accountRouter({ accounts, sessions, org, csrf, https: config.publicUrl.startsWith('https:'), sessionTtlMs: config.sessionTtlMs ?? 8 * 3_600_000, logger })

  return {
    accountRouter: accountRoutes, org, accounts, requireGrant,
    meetings, observations,
    router, platforms, keys, tokenCache, users, sessions, cleanup, passbacks, roster, tasks, mentoring,
    reportsRouter: reports.pages, reportsApiRouter: reports.api,
    enqueueScore: async (trx, score) => {
      const id = await enqueueScore(trx, score, new Date(now()))
      const wake = () => { for (const worker of workers) worker.wake() }
      if ('executionPromise' in trx) void (trx as Knex.Transaction).executionPromise.then(wake, () => undefined)
      else wake()
      return id
    },
    listPassbacks: (filter) => passbacks.list(filter),
    retryPassback: async (id) => {
      const job = await passbacks.retry(id, new Date(now()))
      for (const worker of workers) worker.wake()
      return job
    },
    createPassbackWorker: (overrides = {}) => {
      const worker = new PassbackWorker({
        store: passbacks, platforms, keys, tokenCache, recorder: scoreRecorder, logger, now, outbound, ...overrides,
      })
      workers.add(worker)
      return worker
    },
    statementOutbox: outbox,
    outboxStats: () => outbox.stats(),
    createOutboxDeliverer: (overrides = {}) => new OutboxDeliverer({ outbox, logger, now, ...overrides }),
    rotateKeys: async (overlapMs) => ({ kid: (await rotateToolKeys(keys, { now: now(), ...(overlapMs !== undefined && { overlapMs }) })).kid }),
  }
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}
