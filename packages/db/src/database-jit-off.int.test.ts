import knexFactory, { type Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { up as jitOff } from './migrations/20261130002500-database-jit-off.ts'
import { migrateToLatest } from './migrate.ts'
import { testEngine, testServerUrl } from './testing/test-db.ts'

// Migration 20261130002500: JIT compilation off for the TLN database (PostgreSQL 18, 30.2 "When to
// JIT?": the decision follows the planner's cost estimate, which sent report queries of a few
// milliseconds into 0.4–15 s of compilation; issue 7). PGlite has no JIT and one session, so this
// is PostgreSQL's only.
describe.runIf(testEngine() === 'postgres')('JIT off for the TLN database', () => {
  const name = `tln_test_jit_${process.pid}`
  const role = `tln_test_nojit_${process.pid}`
  let admin: Knex
  const connect = (database: string, user = 'postgres') => {
    const url = new URL(testServerUrl(database))
    url.username = user
    return knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 1 } })
  }
  beforeAll(async () => {
    admin = connect('postgres')
    await admin.raw(`drop database if exists ${name} with (force)`)
    await admin.raw(`create database ${name}`)
    await admin.raw(`drop role if exists ${role}`)
    await admin.raw(`create role ${role} login`)
  })
  afterAll(async () => {
    await admin.raw(`drop database if exists ${name} with (force)`)
    await admin.raw(`drop role if exists ${role}`)
    await admin.destroy()
  })

  it('turns JIT off for every later session of a freshly migrated database', async () => {
    const migrating = connect(name)
    try {
      await migrateToLatest(migrating)
    } finally {
      await migrating.destroy()
    }
    const later = connect(name)
    try {
      const { rows } = (await later.raw('show jit')) as { rows: Array<{ jit: string }> }
      expect(rows[0]!.jit).toBe('off')
    } finally {
      await later.destroy()
    }
  })

  it('leaves the server setting, with a notice, when the migrating role may not alter the database', async () => {
    await admin.raw(`alter database ${name} reset jit`)
    const outsider = connect(name, role)
    try {
      await expect(jitOff(outsider)).resolves.toBeUndefined()
      const { rows } = (await outsider.raw('show jit')) as { rows: Array<{ jit: string }> }
      const server = ((await admin.raw('show jit')) as { rows: Array<{ jit: string }> }).rows[0]!.jit
      expect(rows[0]!.jit).toBe(server)
    } finally {
      await outsider.destroy()
    }
  })
})
