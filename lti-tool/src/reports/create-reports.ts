import { BadgeStore, CompetenceConfigStore, CompetenceEngine, CompetenceReports, type EngineStatus } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { StatementService } from '@tln/lrs'
import type { Router } from 'express'
import type { ToolLogger } from '../logger.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { SessionStore } from '../session/session-store.ts'
import type { ToolCredentials } from '../xapi/tool-credentials.ts'
import { ReportService } from './report-service.ts'
import { reportsApiRouter, reportsPageRouter } from './reports-router.ts'
import { StatementReader } from './statement-reader.ts'

export interface ReportsDeps {
  readonly knex: Knex
  readonly sessions: SessionStore
  readonly org: OrgStore
  readonly statements: StatementService
  readonly credentials: ToolCredentials
  readonly logger: ToolLogger
  /** The server's public URL, which the badges' links are under (`/badges/…`). */
  readonly publicUrl: string
  /** Clock in epoch ms (the reports' `generatedAt`). */
  readonly now: () => number
  /**
   * The deployment's IANA zone (`TLN_TIME_ZONE`): the zone of a tenant whose projections record
   * none yet (the engine has not run). Once built, a report keeps the zone its months were built in
   * (`EngineStatus.timeZone`), so its days agree with its month rows while a rebuild is under way.
   */
  readonly timeZone: string
  /** How current the projections are; default: the engine's partition row (`CompetenceEngine.status`). */
  readonly engineStatus?: (tenantId: string) => Promise<EngineStatus>
}

/**
 * The competence reports of issue 6 on the queries of `@tln/competence` (`CompetenceReports`):
 * `pages` (mount at `/reports`) and `api` (mount at `/api/reports`). The engine that fills the
 * projections runs elsewhere (the server); here it is only asked how current it is.
 */
export function createReports(deps: ReportsDeps): { pages: Router; api: Router } {
  const status = deps.engineStatus ?? ((tenantId: string) => new CompetenceEngine({ knex: deps.knex }).status(tenantId))
  const engineStatus = async (tenantId: string): Promise<EngineStatus> => {
    const s = await status(tenantId)
    return s.timeZone === undefined ? { ...s, timeZone: deps.timeZone } : s
  }
  const queries = new CompetenceReports(deps.knex, new CompetenceConfigStore(deps.knex), engineStatus, () => new Date(deps.now()))
  const routerDeps = {
    knex: deps.knex, sessions: deps.sessions, org: deps.org, logger: deps.logger,
    service: new ReportService({ knex: deps.knex, org: deps.org, queries }),
    badges: new BadgeStore(deps.knex, { publicUrl: deps.publicUrl }),
    statements: new StatementReader({ knex: deps.knex, statements: deps.statements, credentials: deps.credentials }),
  }
  return { pages: reportsPageRouter(routerDeps), api: reportsApiRouter(routerDeps) }
}
