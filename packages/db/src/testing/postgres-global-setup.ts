import knexFactory from 'knex'
import { createDb } from '../create-db.ts'
import { migrateToLatest } from '../migrate.ts'
import { isProcessAlive } from '../new-data-dir.ts'
import { testServerUrl } from './test-db.ts'

/**
 * vitest global setup for the `postgres` project: builds the migrated template database once,
 * so each test file clones it (CREATE DATABASE … TEMPLATE) instead of migrating again. The
 * template is this run's own (named after this process, passed to the workers in
 * `TLN_TEST_TEMPLATE_DATABASE`) and dropped when the run ends: a run that shared one name with
 * another checkout's run cloned whichever migrations that run had applied last.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const template = `tln_test_template_${process.pid}`
  await withAdmin(async (admin) => {
    // Templates of runs that were killed before their teardown: their process is gone.
    const { rows } = (await admin.raw(`select datname from pg_database where datname ~ '^tln_test_template_[0-9]+$'`)) as { rows: Array<{ datname: string }> }
    for (const { datname } of rows) {
      if (datname === template || !isProcessAlive(Number(datname.slice('tln_test_template_'.length)))) await admin.raw(`drop database if exists ${datname} with (force)`)
    }
    await admin.raw(`create database ${template}`)
  })
  const db = await createDb({ engine: 'postgres', url: testServerUrl(template), poolMax: 1 })
  try {
    await migrateToLatest(db.knex)
  } finally {
    await db.close()
  }
  process.env.TLN_TEST_TEMPLATE_DATABASE = template
  return async () => {
    await withAdmin(async (admin) => {
      await admin.raw(`drop database if exists ${template} with (force)`)
    })
  }
}

async function withAdmin(work: (admin: ReturnType<typeof knexFactory>) => Promise<void>): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: testServerUrl(), pool: { min: 0, max: 1 } })
  try {
    await work(admin)
  } finally {
    await admin.destroy()
  }
}
