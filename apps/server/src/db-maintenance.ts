import { DbMaintenance, type Db } from '@tln/db'
import type { Config } from './config.ts'
import type { Logger } from './logger.ts'

/**
 * Starts the database maintenance worker (`TLN_DB_MAINTENANCE`): ANALYZE and VACUUM where no
 * autovacuum runs (embedded PGlite; PostgreSQL with `autovacuum = off`). Every process runs one;
 * on PostgreSQL an advisory lock lets one of them run each round.
 */
export function startDbMaintenance(db: Db, config: Pick<Config, 'dbMaintenance'>, logger: Logger): DbMaintenance {
  const maintenance = new DbMaintenance({ knex: db.knex, engine: db.engine, ...config.dbMaintenance, logger: logger.child({ component: 'db-maintenance' }) })
  maintenance.start()
  return maintenance
}
