import { CompetenceEngine } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { Logger } from './logger.ts'

/**
 * Starts the competence aggregation engine in this server process (issue 6). Every process runs
 * one; the tenant's partition row, held `for update skip locked` while a page is applied, lets
 * only one of them apply a tenant's page at a time. `timeZone` (`TLN_TIME_ZONE`) is the zone
 * report months are bucketed in; a partition built in another zone is rebuilt.
 */
export function startCompetenceEngine(knex: Knex, logger: Logger, options: { timeZone?: string } = {}): CompetenceEngine {
  const engine = new CompetenceEngine({ knex, logger: logger.child({ component: 'competence-engine' }), ...(options.timeZone !== undefined && { timeZone: options.timeZone }) })
  engine.start()
  return engine
}
