import type { Db } from '@tln/db'
import { withSecretKey } from '../secret-key.ts'
import { createLrs, type Lrs } from '@tln/lrs'
import { resolvePublicUrl, type Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { openDatabase } from '../open-database.ts'

/**
 * Runs a one-off command against the configured database: opens it (migrating, as the server
 * does on start), wires the LRS, runs `command`, and always closes the database again.
 */
export async function withLrs<T>(config: Config, logger: Logger, command: (deps: { db: Db; lrs: Lrs; migrated: string[] }) => Promise<T>): Promise<T> {
  const { db, migrated } = await openDatabase(config.database)
  try {
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: resolvePublicUrl(config, config.port), bodyLimit: config.bodyLimit, ...withSecretKey(config) })
    return await command({ db, lrs, migrated })
  } finally {
    await db.close()
  }
}
