import { mkdirSync } from 'node:fs'
import { createDb, migrateToLatest, type Db, type Knex } from '@tln/db'
import type { DatabaseConfig } from './config.ts'
import { lockDataDir } from './data-dir-lock.ts'

/**
 * Opens the configured database and brings its schema up to date (migrations run on every
 * start; knex's migration lock makes that safe from several processes on PostgreSQL). Embedded
 * storage is locked to this process until `close()`.
 * @returns the database and the names of the migrations that ran now
 */
export async function openDatabase(config: DatabaseConfig): Promise<{ db: Db; migrated: string[] }> {
  let release = (): void => {}
  if (config.engine === 'pglite') {
    mkdirSync(config.dataDir, { recursive: true })
    release = lockDataDir(config.dataDir)
  }
  let db: Db | undefined
  try {
    db = await createDb(config)
    const migrated = await migrateWhenUnlocked(db.knex)
    const opened = db
    return {
      db: {
        knex: opened.knex,
        engine: opened.engine,
        close: async () => {
          try {
            await opened.close()
          } finally {
            release()
          }
        },
      },
      migrated,
    }
  } catch (error) {
    await db?.close()
    release()
    throw error
  }
}

/**
 * knex does not wait for another process's migration lock: it fails with `MigrationLocked`.
 * Servers started together on one PostgreSQL (a rolling deploy, several replicas) therefore
 * retry for up to a minute while the first one migrates, then find nothing left to do.
 */
async function migrateWhenUnlocked(knex: Knex, attempts = 60): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateToLatest(knex)
    } catch (error) {
      if ((error as Error).name !== 'MigrationLocked' || attempt >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
}
