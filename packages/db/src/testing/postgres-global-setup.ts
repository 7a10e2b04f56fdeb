import knexFactory from 'knex'
import { createDb } from '../create-db.ts'
import { migrateToLatest } from '../migrate.ts'
import { TEMPLATE_DATABASE, testServerUrl } from './test-db.ts'

/**
 * vitest global setup for the `postgres` project: builds the migrated template database once,
 * so each test file clones it (CREATE DATABASE … TEMPLATE) instead of migrating again.
 */
export default async function setup(): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: testServerUrl(), pool: { min: 0, max: 1 } })
  try {
    await admin.raw(`drop database if exists ${TEMPLATE_DATABASE} with (force)`)
    await admin.raw(`create database ${TEMPLATE_DATABASE}`)
  } finally {
    await admin.destroy()
  }
  const db = await createDb({ engine: 'postgres', url: testServerUrl(TEMPLATE_DATABASE), poolMax: 1 })
  try {
    await migrateToLatest(db.knex)
  } finally {
    await db.close()
  }
}
