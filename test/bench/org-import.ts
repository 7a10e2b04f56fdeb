/**
 * The organisation import at district scale (docs/performance-notes.md, "Organisation import at
 * district scale"): 1,000 schools in 12 kecamatan and 10,000 teachers (two files, as
 * `MAX_IMPORT_ROWS` asks), each checked by a dry run, imported, and imported again (the
 * idempotent re-import), on PostgreSQL (database `tln_bench_h`, dropped at the end) and embedded
 * PGlite. 10,000 learners already in the reports (keyed by the teachers' e-mails, placed by NPSN)
 * make the learner-school triggers do their real work. Prints wall time, this process's CPU time
 * and the SQL statements sent (knex `query` events) per step.
 *
 *   tsx test/bench/org-import.ts [--engine=postgres|pglite] [--impl=path/to/org-import.ts] [--slow=MS]
 *
 * `--impl` times another copy of `org-import.ts` (the code before a change) on the same data.
 */
import { performance } from 'node:perf_hooks'
import { createDb, migrateToLatest, type Db } from '@tln/db'
import { OrgStore } from '@tln/lti-tool'
import { freshPostgres, PG_ADMIN } from './server-process.ts'

const DATABASE = 'tln_bench_h'
const SCHOOLS = 1_000
const TEACHERS = 10_000
const PER_FILE = 5_000
const KECAMATAN = ['Praya', 'Praya Barat', 'Praya Barat Daya', 'Praya Timur', 'Praya Tengah', 'Pujut', 'Janapria', 'Kopang', 'Jonggat', 'Pringgarata', 'Batukliang', 'Batukliang Utara']

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
type ImportOrgCsv = typeof import('../../lti-tool/src/org/org-import.ts').importOrgCsv

const npsnOf = (i: number) => String(52_020_000 + i)
const emailOf = (i: number) => `guru${i}@paud.example.org`

/** Schools spread over the kecamatan, by name for some and by code for others, as district files come. */
function schoolsCsv(): string {
  const lines = ['npsn,name,type,kecamatan']
  for (let i = 0; i < SCHOOLS; i++) {
    const k = i % KECAMATAN.length
    lines.push(`${npsnOf(i)},"TK Bintang ${i}, ${KECAMATAN[k]}",${['TK', 'KB', 'TPA', 'SPS', 'RA'][i % 5]},${i % 2 === 0 ? KECAMATAN[k] : `52.02.${String(k + 1).padStart(2, '0')}`}`)
  }
  return `${lines.join('\n')}\n`
}

/** Teachers `from`..`to`: ten per school; most with id and e-mail, some with e-mail only, some with a phone. */
function teachersCsv(from: number, to: number): string {
  const lines = ['name,npsn,email,phone,id']
  for (let i = from; i < to; i++) {
    lines.push(`Guru ${i},${npsnOf(i % SCHOOLS)},${emailOf(i)},${i % 3 === 0 ? `+62 812 ${String(i).padStart(6, '0')}` : ''},${i % 4 === 0 ? '' : `ptk-${i}`}`)
  }
  return `${lines.join('\n')}\n`
}

async function open(engine: string): Promise<Db> {
  if (engine === 'pglite') {
    const db = await createDb({ engine: 'pglite' })
    await migrateToLatest(db.knex)
    return db
  }
  const db = await createDb({ engine: 'postgres', url: (await freshPostgres(DATABASE)).url, poolMax: 2, statementTimeoutMs: 0 })
  await migrateToLatest(db.knex)
  return db
}

async function dropPostgres(): Promise<void> {
  const admin = await createDb({ engine: 'postgres', url: PG_ADMIN, poolMax: 1 })
  await admin.knex.raw(`drop database if exists ${DATABASE} with (force)`)
  await admin.close()
}

async function main(): Promise<void> {
  const engine = arg('engine') ?? 'postgres'
  const impl = arg('impl') ?? '../../lti-tool/src/org/org-import.ts'
  const { importOrgCsv } = (await import(impl)) as { importOrgCsv: ImportOrgCsv }
  const db = await open(engine)
  try {
    const store = new OrgStore(db.knex)
    const tenantId = await store.tenantId('default')
    const province = await store.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const district = await store.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
    for (const [k, name] of KECAMATAN.entries()) await store.upsertNode(tenantId, { kind: 'kecamatan', code: `52.02.${String(k + 1).padStart(2, '0')}`, name, parentId: district.id })
    await db.knex.raw(
      `insert into competence_learner (tenant_id, learner_key, name, npsn, first_at, last_at)
       select ?, 'mbox:mailto:guru' || i || '@paud.example.org', 'Guru ' || i, (52020000 + i % ?)::text, now(), now() from generate_series(0, ? - 1) i`,
      [tenantId, SCHOOLS, TEACHERS],
    )
    let queries = 0
    // `--slow=MS`: print each statement that took longer (where an import's time goes).
    const slow = Number(arg('slow') ?? Infinity)
    const started = new Map<string, number>()
    db.knex.on('query', (q: { __knexQueryUid: string }) => { queries++; started.set(q.__knexQueryUid, performance.now()) })
    db.knex.on('query-response', (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
      const ms = performance.now() - (started.get(q.__knexQueryUid) ?? performance.now())
      if (ms > slow) console.log(`  ${Math.round(ms)} ms  ${q.sql.replace(/\s+/gu, ' ').slice(0, 90)}`)
    })
    const step = async (label: string, run: () => Promise<unknown>) => {
      queries = 0
      const cpu = process.cpuUsage()
      const t0 = performance.now()
      const result = await run()
      const wall = performance.now() - t0
      const used = process.cpuUsage(cpu)
      const r = result as { ok: boolean; created?: number; updated?: number }
      if (!r.ok) throw new Error(`${label}: ${JSON.stringify(result).slice(0, 500)}`)
      console.log(`${engine}\t${label}\t${Math.round(wall)} ms\tnode cpu ${Math.round((used.user + used.system) / 1000)} ms\t${queries} statements\tcreated ${r.created} updated ${r.updated}`)
    }
    const files = { schools: schoolsCsv(), teachers: [teachersCsv(0, PER_FILE), teachersCsv(PER_FILE, TEACHERS)] }
    const run = (kind: 'schools' | 'teachers', csv: string, dryRun = false) => importOrgCsv(db.knex, { tenantId, kind, csv, dryRun })
    await step('schools dry run', () => run('schools', files.schools, true))
    await step('schools import', () => run('schools', files.schools))
    for (const [i, csv] of files.teachers.entries()) {
      await step(`teachers ${i + 1} dry run`, () => run('teachers', csv, true))
      await step(`teachers ${i + 1} import`, () => run('teachers', csv))
    }
    await step('schools re-import', () => run('schools', files.schools))
    for (const [i, csv] of files.teachers.entries()) await step(`teachers ${i + 1} re-import`, () => run('teachers', csv))
    const counts = (await db.knex.raw(`select (select count(*) from org_node where kind = 'school') as schools, (select count(*) from person) as people,
      (select count(*) from person_grant) as grants, (select count(*) from person_identity) as identities,
      (select count(*) from competence_learner where school_id is not null) as placed`)).rows[0]
    console.log(`${engine}\tstored\t${JSON.stringify(counts)}`)
  } finally {
    await db.close()
    if (engine === 'postgres') await dropPostgres()
  }
}

await main()
