import { CompetenceEngine } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { Logger } from './logger.ts'

/**
 * Starts the competence aggregation engine in this server process (issue 6). Every process runs
 * one; the tenant's partition row, held `for update skip locked` while a page is applied, lets
 * only one of them apply a tenant's page at a time.
 */
export function startCompetenceEngine(knex: Knex, logger: Logger): CompetenceEngine {
  const engine = new CompetenceEngine({ knex, logger: logger.child({ component: 'competence-engine' }) })
  engine.start()
  return engine
}
