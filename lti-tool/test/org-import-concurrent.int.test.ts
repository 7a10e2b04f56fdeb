/**
 * Two organisation imports of one tenant at the same time (two admins, or the page and `tln org
 * import`): each plans its writes from what it read, so side by side they planned the same new
 * teacher twice (a unique violation on the id, a duplicate person for an e-mail). Imports of a
 * tenant now take a transaction-scoped advisory lock first, so the second plans from the first's
 * commit and the tenant ends as after one import and then the other.
 */
import { createHash } from 'node:crypto'
import type { Knex } from '@tln/db'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importOrgCsv } from '../src/index.ts'
import { smallTree, startOrgServer, type OrgTestServer } from './org-helpers.ts'

const SCHOOLS = 'npsn,name,type,kecamatan\n99020601,TK Cahaya,TK,Praya\n99020602,KB Permata,KB,Praya\n99030101,TK Selong,TK,Selong\n'

/**
 * Teachers 1..40 (file A) and 21..60 (file B): 21..40 are in both, at other schools and with other
 * names in B. Every fourth has no id and is matched by e-mail, every fifth of the others has no e-mail.
 */
const teachersCsv = (from: number, to: number, variant: string, npsns: readonly string[]) => ['name,npsn,email,id', ...Array.from({ length: to - from + 1 }, (_, k) => {
  const i = from + k
  const email = i % 5 === 0 && i % 4 !== 0 ? '' : `guru.${i}@paud.example.org`
  return `Guru ${i} ${variant},${npsns[i % npsns.length]},${email},${i % 4 === 0 ? '' : `ptk-${i}`}`
})].join('\n')
const FILE_A = teachersCsv(1, 40, 'A', ['99020601', '99020602'])
const FILE_B = teachersCsv(21, 60, 'B', ['99030101', '99020601'])

/** What a tenant holds after the imports, without its generated ids. */
async function snapshot(knex: Knex, tenantId: string): Promise<unknown> {
  const people = (await knex.raw(
    `select p.name, p.email, p.external_id, s.code as npsn,
            (select string_agg(g.role || '@' || n.code, ',' order by n.code) from person_grant g join org_node n on n.id = g.node_id where g.person_id = p.id) as grants,
            (select string_agg(i.ifi_key, ',' order by i.ifi_key) from person_identity i where i.person_id = p.id) as identities
       from person p join org_node s on s.id = p.school_id
      where p.tenant_id = ? order by p.name, p.email`,
    [tenantId],
  )).rows
  return people
}

describe(`organisation imports of one tenant at the same time on ${testEngine()}`, () => {
  let s: OrgTestServer
  beforeAll(async () => { s = await startOrgServer() })
  afterAll(async () => { await s?.close() })

  const treeWithSchools = async (tenant: string): Promise<string> => {
    if (tenant !== 'default') await s.db.knex('tenant').insert({ slug: tenant, name: tenant })
    const { tenantId } = await smallTree(s.tool, tenant)
    expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'schools', csv: SCHOOLS })).toMatchObject({ ok: true, created: 3 })
    return tenantId
  }
  const serially = async (tenant: string, files: readonly string[]): Promise<unknown> => {
    const tenantId = await treeWithSchools(tenant)
    for (const csv of files) expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'teachers', csv })).toMatchObject({ ok: true })
    return snapshot(s.db.knex, tenantId)
  }

  it('runs two overlapping teacher imports one after the other: both succeed and the tenant ends as after a serial run (PostgreSQL advisory lock, "Advisory Locks" §13.3.5)', async () => {
    const tenantId = await treeWithSchools('default')
    // On PostgreSQL a third transaction holds the person table against writes (reads still pass) until
    // both imports have read and wait, so without the lock both would plan from the same empty read.
    // PGlite has one connection: its transactions cannot overlap, and the imports simply queue.
    let release = async (): Promise<void> => {}
    if (s.db.engine === 'postgres') {
      const blocker = await s.db.knex.transaction()
      await blocker.raw('lock table person in exclusive mode')
      release = async () => { await blocker.commit() }
    }
    const both = Promise.all([
      importOrgCsv(s.db.knex, { tenantId, kind: 'teachers', csv: FILE_A }),
      importOrgCsv(s.db.knex, { tenantId, kind: 'teachers', csv: FILE_B }),
    ])
    if (s.db.engine === 'postgres') {
      await waitUntilWaiting(s.db.knex, 2)
      await release()
    }
    const [a, b] = await both
    expect(a).toMatchObject({ ok: true, rows: 40 })
    expect(b).toMatchObject({ ok: true, rows: 40 })
    // 20 teachers are in both files: whichever import ran second updated them instead of creating them.
    expect((a as { created: number }).created + (b as { created: number }).created).toBe(60)
    const result = await snapshot(s.db.knex, tenantId)
    const aThenB = await serially('serial-ab', [FILE_A, FILE_B])
    const bThenA = await serially('serial-ba', [FILE_B, FILE_A])
    expect([aThenB, bThenA]).toContainEqual(result)
    expect(result).toHaveLength(60)
  })

  // PostgreSQL only: PGlite has one connection, so the held transaction would block the dry run's
  // own queries whatever the import lock does.
  it.runIf(testEngine() === 'postgres')('does not make a dry run wait for a writing import', async () => {
    const tenantId = await treeWithSchools('dry-run')
    const holder = await s.db.knex.transaction()
    try {
      await holder.raw(`select pg_advisory_xact_lock(?::bigint)`, [lockKeyOf(tenantId)])
      expect(await importOrgCsv(s.db.knex, { tenantId, kind: 'teachers', csv: FILE_A, dryRun: true })).toMatchObject({ ok: true, dryRun: true, created: 40 })
    } finally {
      await holder.rollback()
    }
  })
})

/** The key `importOrgCsv` locks (`orgImportLockKey` in org-import.ts), recomputed here. */
function lockKeyOf(tenantId: string): string {
  return createHash('sha256').update(`tln:org-import:${tenantId}`).digest().readBigInt64BE(0).toString()
}

/** Polls until `n` sessions of this database wait on a lock (pg_stat_activity), or fails after a while. */
async function waitUntilWaiting(knex: Knex, n: number): Promise<void> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const { rows } = await knex.raw(`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)
    if ((rows as Array<{ waiting: number }>)[0]!.waiting >= n) return
    if (Date.now() > deadline) throw new Error(`expected ${n} sessions waiting on a lock`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
