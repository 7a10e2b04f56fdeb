import type { Knex } from '@tln/db'
import type { Router } from 'express'
import { AccessAudit } from './audit/access-audit.ts'
import { CredentialStore } from './credentials/credential-store.ts'
import type { ThrottlePolicy } from './credentials/auth-throttle.ts'
import { DirectoryService } from './documents/directory-service.ts'
import { DocumentService } from './documents/document-service.ts'
import type { ErrorLogger } from './http/error-handler.ts'
import { BodyBudget } from './http/body-budget.ts'
import { lrsRouter } from './http/lrs-router.ts'
import { StatementExport } from './exchange/statement-export.ts'
import { ForwardTargetStore } from './forwarding/forward-target-store.ts'
import { SecretBox } from './forwarding/secret-box.ts'
import { exportRouter } from './http/export-router.ts'
import { forwardingRouter } from './http/forwarding-router.ts'
import { StatementService } from './statements/statement-service.ts'
import { StatementStream } from './stream/statement-stream.ts'

export interface LrsOptions {
  knex: Knex
  logger: ErrorLogger
  /** This LRS's public base URL; the homePage of credential authorities. */
  publicUrl: string
  now?: () => Date
  mountPath?: string
  bodyLimit?: number
  /**
   * Bytes of request bodies read and worked on at once (default the larger of 16 MiB and
   * `bodyLimit`); a request that finds no room waits up to `bodyBudgetWaitMs` (default 120 s),
   * then gets 503 (`BodyBudget`).
   */
  bodyBudget?: number
  bodyBudgetWaitMs?: number
  maxLimit?: number
  /** Largest accepted attachment part in bytes (default 10 MiB); larger ones get 413. */
  maxAttachmentSize?: number
  /** How long a verified key/secret pair is remembered after its last use (default 30 s): the scrypt it saves. */
  credentialCacheTtlMs?: number
  /** Failed HTTP Basic attempts allowed per client address and per key, and their window (`DEFAULT_THROTTLE`). */
  authThrottle?: ThrottlePolicy
  /**
   * The server's secret key (at least 32 characters): seals the secrets of forwarding targets.
   * Without it forwarding targets cannot be added or reached.
   */
  secretKey?: string
  /** Where the export router is mounted, for its `Link` headers (default `/api/export`). */
  exportMountPath?: string
}

export interface Lrs {
  statements: StatementService
  credentials: CredentialStore
  documents: DocumentService
  /** Agents and Activities; `directory.activityStore` keeps the canonical Activity definitions. */
  directory: DirectoryService
  router: Router
  /** The bytes of request bodies `router` works on at once, and the requests waiting for room. */
  bodyBudget: BodyBudget
  /** The ordered, resumable statement stream (forwarding, projections). */
  stream: StatementStream
  /** Bulk export and its audit log. */
  exports: StatementExport
  /** The log of reads that name a person (UU 27/2022). */
  audit: AccessAudit
  /** Forwarding targets, cursors, leases and dead letters. */
  forwarding: ForwardTargetStore
  /** `GET /statements` of the bulk export, to mount at `exportMountPath`. */
  exportRouter: Router
  /** The forwarding admin API (scope `all`), to mount at e.g. `/api/admin/forwarding`. */
  forwardingRouter: Router
}

/** The default `LrsOptions.bodyBudget` floor: 16 MiB, about 150 batches of 100 statements at once. */
export const DEFAULT_BODY_BUDGET = 16 * 1024 * 1024

/**
 * How long a request may wait for room in the body budget (default 120 s). Waiting costs a socket,
 * not memory, and a client that gives up first is dropped from the queue unread, so nothing it
 * sent is stored behind its back; 30 s refused 13 of 30 concurrent 5 MB batches on embedded
 * storage, which stores one at a time and took 72 s for all of them.
 */
export const DEFAULT_BODY_BUDGET_WAIT_MS = 120_000

/** Wires the LRS: stores, services and the `/xapi` router (STYLE.md rule 8: one factory). */
export function createLrs(options: LrsOptions): Lrs {
  const now = options.now ?? (() => new Date())
  const directory = new DirectoryService(options.knex)
  const statements = new StatementService({ knex: options.knex, now, authorityHomePage: options.publicUrl, activities: directory.activityStore })
  const credentials = new CredentialStore(options.knex, { cacheTtlMs: options.credentialCacheTtlMs ?? 30_000, now: () => now().getTime(), ...(options.authThrottle !== undefined ? { throttle: options.authThrottle } : {}) })
  const documents = new DocumentService({ knex: options.knex, now })
  const audit = new AccessAudit(options.knex)
  const bodyLimit = options.bodyLimit ?? 10 * 1024 * 1024
  const bodyBudget = new BodyBudget(Math.max(options.bodyBudget ?? DEFAULT_BODY_BUDGET, bodyLimit), options.bodyBudgetWaitMs ?? DEFAULT_BODY_BUDGET_WAIT_MS)
  const router = lrsRouter({
    statements,
    credentials,
    logger: options.logger,
    mountPath: options.mountPath ?? '/xapi',
    bodyLimit,
    bodyBudget,
    maxLimit: options.maxLimit ?? 500,
    maxAttachmentSize: options.maxAttachmentSize ?? 10 * 1024 * 1024,
    documents: { documents, directory },
    audit,
  })
  const stream = new StatementStream(options.knex)
  const exports = new StatementExport(options.knex)
  const forwarding = new ForwardTargetStore(options.knex, options.secretKey !== undefined ? new SecretBox(options.secretKey) : undefined)
  return {
    statements,
    credentials,
    documents,
    directory,
    router,
    bodyBudget,
    stream,
    exports,
    audit,
    forwarding,
    exportRouter: exportRouter({ exports, credentials, logger: options.logger, mountPath: options.exportMountPath ?? '/api/export' }),
    forwardingRouter: forwardingRouter({ targets: forwarding, credentials, logger: options.logger }),
  }
}
