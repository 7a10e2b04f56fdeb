/**
 * `pnpm bench`: measures the LRS on this machine and writes docs/benchmarks.md.
 * The server runs as its own process (`tln serve`); this process is the load generator, on
 * loopback, bounded in requests and seconds. Each figure is the median (and p95 where it is a
 * latency) over repeated runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { createDb } from '@tln/db'
import { http, median, percentile, runLoad } from './load.ts'
import { freshPostgres, PG_ADMIN, postgresUrl, startServer, tln, type Storage } from './server-process.ts'
import { benchStatement, prng, teacher, TEACHERS, VERBS } from './statements.ts'
import { benchLti, renderLti, type LtiBenchResult } from './lti.ts'
import { benchCompetence, competenceOptions, competenceSectionOf, renderCompetence, withCompetenceSection, type CompetenceBenchResult } from './competence.ts'
import { benchRawLimit, fillWithPostings, waitForEngine, type RawLimitResult } from './raw-limit.ts'
import { benchQueries, renderQueries, type QueryBenchResult } from './queries.ts'
import { documentLatency, exportThroughput, preloadForExport, renderExchange, type DocumentResult, type ExportResult } from './exchange.ts'
import { benchSoak, renderSoak, soakOptions, soakSectionOf, withSoakSection, type SoakResult } from './soak.ts'
import { benchRating } from './rating.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const KEY = 'bench'
const SECRET = 'bench-secret-not-for-production'
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`
const HEADERS = { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }
const QUICK = process.argv.includes('--quick')
/** `--ingest-only`: ingest and the raw limit on PostgreSQL, printed, docs/benchmarks.md left as it is. */
const INGEST_ONLY = process.argv.includes('--ingest-only')

const RUNS = QUICK ? 1 : 3
const INGEST_SECONDS = QUICK ? 2 : 6
/** Statements stored before the queries are timed (`--query-n=N`); the issue's figure is 1,000,000. */
const QUERY_N = Number(process.argv.find((a) => a.startsWith('--query-n='))?.split('=')[1] ?? (QUICK ? 100_000 : 1_000_000))
/** Embedded PGlite is filled over HTTP, so to a smaller size. */
const PGLITE_QUERY_N = QUICK ? 20_000 : 100_000
const QUERY_REQUESTS = QUICK ? 50 : 300
/** Statements in the export benchmark (`--export-n=N`); the issue's figure is 1,000,000. */
const EXPORT_N = Number(process.argv.find((a) => a.startsWith('--export-n='))?.split('=')[1] ?? (QUICK ? 50_000 : 1_000_000))
const DOCUMENT_REQUESTS = QUICK ? 100 : 500

interface EngineResult {
  engine: string
  ingest: Array<{ batch: number; concurrency: number; statementsPerSecond: number[]; p95Ms: number[]; errors: number }>
  stored: number
  queries?: QueryBenchResult
  peakRssMb: number
  /** Server peak RSS (VmHWM) at the end of the ingest runs: the memory ingest load needed. */
  ingestPeakRssMb: number
  export?: ExportResult
  documents?: DocumentResult
  /** The raw INSERT limit of the same rows (PostgreSQL only), batch 100 × 8 connections. */
  raw?: RawLimitResult
}

/** The benchmarks' own database, unless a section names another. */
const BENCH_DB = 'tln_bench'

/** The database `name`, created empty if it does not exist (`--competence-reuse`). */
async function existingPostgres(name: string): Promise<Storage> {
  const admin = await createDb({ engine: 'postgres', url: PG_ADMIN, poolMax: 1 })
  const { rows } = (await admin.knex.raw('select 1 from pg_database where datname = ?', [name])) as { rows: unknown[] }
  await admin.close()
  if (rows.length === 0) return freshPostgres(name)
  return { engine: 'postgres', url: postgresUrl(name) }
}

async function benchEngine(storage: Storage, port: number): Promise<EngineResult> {
  tln(storage, ['migrate'])
  tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'benchmark'])
  const server = await startServer(storage, port)
  const random = prng(42)
  let stored = 0
  const result: EngineResult = { engine: storage.engine === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)', ingest: [], stored: 0, peakRssMb: NaN, ingestPeakRssMb: NaN }
  try {
    for (const [batch, concurrency] of [[1, 8], [1, 32], [10, 8], [100, 8]] as const) {
      const row = { batch, concurrency, statementsPerSecond: [] as number[], p95Ms: [] as number[], errors: 0 }
      for (let run = 0; run < RUNS; run++) {
        const load = await runLoad({
          concurrency,
          maxRequests: 1_000_000,
          maxSeconds: INGEST_SECONDS,
          send: () =>
            http(`${server.url}/xapi/statements`, {
              method: 'POST',
              headers: HEADERS,
              body: JSON.stringify(Array.from({ length: batch }, () => benchStatement(random))),
            }),
        })
        const ok = load.requests - load.errors
        stored += ok * batch
        row.statementsPerSecond.push((ok * batch) / load.seconds)
        row.p95Ms.push(percentile(load.latenciesMs, 95))
        row.errors += load.errors
      }
      result.ingest.push(row)
      console.log(`${result.engine}: batch ${batch} × ${concurrency} clients: ${median(row.statementsPerSecond).toFixed(0)} statements/s`)
    }
    result.ingestPeakRssMb = server.peakRssMb()
    console.log(`${result.engine}: server peak RSS under ingest ${result.ingestPeakRssMb.toFixed(0)} MB`)

    if (storage.engine === 'postgres') {
      // The physical limit in the same run, on the same database, while the server idles.
      result.raw = await benchRawLimit(storage.url, { batch: 100, concurrency: 8, seconds: INGEST_SECONDS, runs: RUNS })
      const lrs100 = median(result.ingest.find((i) => i.batch === 100)!.statementsPerSecond)
      console.log(`${result.engine}: raw INSERT limit ${median(result.raw.statementsPerSecond).toFixed(0)} statements/s; LRS batch 100 = ${((100 * lrs100) / median(result.raw.statementsPerSecond)).toFixed(0)}% of it`)
    }
    if (INGEST_ONLY) return result

    if (storage.engine === 'postgres') {
      // The LRS's own rows straight into the database: a million statements over HTTP would take longer than the queries.
      stored = await fillWithPostings(storage.url, QUERY_N)
      console.log(`${result.engine}: the competence engine caught up with the fill in ${(await waitForEngine(storage.url)).toFixed(0)} s`)
    } else {
      // Embedded storage is locked to its server: fill it over HTTP with batches of 500.
      while (stored < PGLITE_QUERY_N) {
        const batches = Math.min(8, Math.ceil((PGLITE_QUERY_N - stored) / 500))
        const responses = await Promise.all(
          Array.from({ length: batches }, () =>
            http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(Array.from({ length: 500 }, () => benchStatement(random))) }),
          ),
        )
        for (const res of responses) {
          if (res.status !== 200) throw new Error(`preload failed with ${res.status}: ${res.body.slice(0, 300)}`)
          stored += 500
        }
      }
    }
    result.stored = stored
    console.log(`${result.engine}: ${stored} statements stored; querying`)
    result.queries = await benchQueries(server, HEADERS, { stored, runs: RUNS, requests: QUERY_REQUESTS, pages: QUICK ? 50 : 1000 })
    result.peakRssMb = server.peakRssMb()

    result.documents = await documentLatency(server, AUTH, DOCUMENT_REQUESTS)
    console.log(`${result.engine}: state PUT p50 ${result.documents.put.p50Ms.toFixed(1)} ms, GET p50 ${result.documents.get.p50Ms.toFixed(1)} ms`)
    // Only PostgreSQL can be filled directly while the server runs (embedded storage is locked to it).
    if (storage.engine === 'postgres') {
      await preloadForExport(storage, EXPORT_N)
      result.export = await exportThroughput(server, AUTH)
      console.log(`${result.engine}: exported ${result.export.statements} statements at ${result.export.statementsPerSecond.toFixed(0)}/s, server RSS peak ${result.export.rssPeakMb.toFixed(0)} MB`)
    }
  } finally {
    await server.stop()
  }
  return result
}

function machine(): string[] {
  const cpu = cpus()
  return [
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory (${(freemem() / 2 ** 30).toFixed(0)} GiB free at start), ${platform()} ${release()}`,
    `- Node.js ${process.version}; server and PostgreSQL on the same machine; load generator in a separate process on loopback`,
  ]
}

function render(results: EngineResult[]): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `pnpm bench` (test/bench/run.ts); do not edit by hand. Each ingest figure is the median over',
    `${RUNS} runs of ${INGEST_SECONDS} s; latencies are per request. The server runs as its own process (\`tln serve\`),`,
    'the load generator in another, on loopback, with keep-alive connections. What these figures taught and',
    'what changed because of them: [performance-notes.md](performance-notes.md).',
    '',
    ...machine(),
    '',
    '## Statement ingest (POST /xapi/statements)',
    '',
    '| engine | batch size | concurrent clients | statements/s (median) | request p95 (ms) | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.flatMap((r) =>
      r.ingest.map((i) => `| ${r.engine} | ${i.batch} | ${i.concurrency} | ${median(i.statementsPerSecond).toFixed(0)} | ${median(i.p95Ms).toFixed(1)} | ${i.errors} |`),
    ),
    '',
    `Server peak RSS (VmHWM) after the ingest runs: ${results.map((r) => `${r.engine} ${r.ingestPeakRssMb.toFixed(0)} MB`).join(', ')} (target < 300 MB under load).`,
    '',
    ...results.filter((r) => r.raw !== undefined).flatMap((r) => {
      const raw = median(r.raw!.statementsPerSecond)
      const lrs = median(r.ingest.find((i) => i.batch === 100)!.statementsPerSecond)
      return [
        `**Physical limit (${r.engine}):** the same statement rows and posting-list rows written straight into the database by multi-row INSERT (\`unnest\`, one statement per batch of 100, 8 connections, no HTTP, no validation; test/bench/raw-limit.ts): **${raw.toFixed(0)} statements/s** (median of ${r.raw!.statementsPerSecond.length}). LRS batch-100 ingest is **${((100 * lrs) / raw).toFixed(0)}%** of it.`,
        '',
      ]
    }),
    ...renderQueries(results, RUNS, QUERY_REQUESTS),
    `Server peak RSS (VmHWM) after the queries: ${results.map((r) => `${r.engine} ${r.peakRssMb.toFixed(0)} MB`).join(', ')}.`,
    '',
    ...renderExchange(results, EXPORT_N),
  ]
  return lines.join('\n')
}

/** LTI launches (issue 4) are measured too unless `--no-lti` is given. */
const LTI = !process.argv.includes('--no-lti')
/** Competence reports (issue 6) are measured on PostgreSQL unless `--no-competence`; `--competence-only` rewrites just that section. */
const COMPETENCE = !process.argv.includes('--no-competence')
const COMPETENCE_ONLY = process.argv.includes('--competence-only')
/**
 * `--competence-db=NAME`: the competence benchmark's database (default `tln_bench`), kept after the
 * run; with `--competence-reuse` a database that already holds the dashboard's statements is
 * measured again (migrated, not rebuilt: no throughput or lag runs). `--print-only` prints the
 * section instead of writing docs/benchmarks.md.
 */
const COMPETENCE_DB = process.argv.find((a) => a.startsWith('--competence-db='))?.split('=')[1] ?? BENCH_DB
const COMPETENCE_REUSE = process.argv.includes('--competence-reuse')
const PRINT_ONLY = process.argv.includes('--print-only')
/** The 10-minute soak (issue 7) on PostgreSQL with `--soak`; `--soak-only` rewrites just that section (`--soak-minutes=N` to shorten). */
const SOAK = process.argv.includes('--soak')
const SOAK_ONLY = process.argv.includes('--soak-only')
/**
 * `--queries-only`: the query latencies on PostgreSQL, printed, docs/benchmarks.md left as it is.
 * The database (`--query-db=NAME`, default `tln_bench`) is migrated, topped up to `--query-n` and
 * kept, so a second run (after a change, or a migration) times the same rows.
 */
const QUERIES_ONLY = process.argv.includes('--queries-only')
const QUERY_DB = process.argv.find((a) => a.startsWith('--query-db='))?.split('=')[1] ?? BENCH_DB
/** `--query-port=N`: the server's port for `--queries-only`, so that two checkouts can run it at once. */
const QUERY_PORT = Number(process.argv.find((a) => a.startsWith('--query-port='))?.split('=')[1] ?? 18187)

async function queriesOnly(): Promise<void> {
  const storage = await existingPostgres(QUERY_DB)
  tln(storage, ['migrate'])
  const db = await createDb({ engine: 'postgres', url: (storage as { url: string }).url, poolMax: 1 })
  const known = ((await db.knex.raw('select 1 from lrs_credential where api_key = ?', [KEY])) as { rows: unknown[] }).rows.length > 0
  await db.close()
  if (!known) tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'benchmark'])
  const stored = await fillWithPostings((storage as { url: string }).url, QUERY_N)
  console.log(`PostgreSQL: ${stored} statements stored; querying`)
  const server = await startServer(storage, QUERY_PORT)
  try {
    console.log(`PostgreSQL: the competence engine caught up with the fill in ${(await waitForEngine((storage as { url: string }).url)).toFixed(0)} s`)
    await benchQueries(server, HEADERS, { stored, runs: RUNS, requests: QUERY_REQUESTS, pages: QUICK ? 50 : 1000 })
  } finally {
    await server.stop()
  }
}

/** `--rating-only`: the competence engine's rating step on PostgreSQL (test/bench/rating.ts), printed, docs/benchmarks.md left as it is. */
const RATING_ONLY = process.argv.includes('--rating-only')

async function ratingOnly(): Promise<void> {
  const storage = await freshPostgres('tln_bench_rating')
  const result = await benchRating(storage.url, { learners: QUICK ? 1_000 : 10_000, evidencePerLearner: 62, pages: QUICK ? 10 : 30, pageLearners: 300 })
  console.log(`rating: ${result.evidenceRows} evidence rows, ${result.ratingRows} rating rows; pages of ${result.pageLearners} learners touching one indicator each, ${result.pages} pages:`)
  for (const [label, times] of [['no new evidence', result.unchanged], ['one new evidence row per learner', result.newEvidence]] as const) {
    console.log(`rating: ${label}: rateLearners p50 ${times.p50Ms.toFixed(1)} ms, p95 ${times.p95Ms.toFixed(1)} ms, CPU ${times.cpuMsPerPage.toFixed(1)} ms per page`)
  }
  const admin = await createDb({ engine: 'postgres', url: PG_ADMIN, poolMax: 1 })
  await admin.knex.raw('drop database if exists tln_bench_rating with (force)')
  await admin.close()
}

async function main(): Promise<void> {
  if (QUERIES_ONLY) return queriesOnly()
  if (RATING_ONLY) return ratingOnly()
  if (SOAK_ONLY) {
    const out = resolve(ROOT, 'docs/benchmarks.md')
    const section = renderSoak(await benchSoak(await freshPostgres('tln_soak'), 18186, soakOptions(process.argv)))
    writeFileSync(out, withSoakSection(readFileSync(out, 'utf8'), section))
    console.log(`wrote the soak section of ${out}`)
    return
  }
  if (COMPETENCE_ONLY) {
    const out = resolve(ROOT, 'docs/benchmarks.md')
    const storage = COMPETENCE_REUSE ? await existingPostgres(COMPETENCE_DB) : await freshPostgres(COMPETENCE_DB)
    const section = renderCompetence(await benchCompetence(storage, 18185, competenceOptions(QUICK, RUNS, process.argv)), RUNS)
    if (PRINT_ONLY) {
      console.log(section.join('\n'))
      return
    }
    writeFileSync(out, withCompetenceSection(readFileSync(out, 'utf8'), section))
    console.log(`wrote the competence section of ${out}`)
    return
  }
  const results: EngineResult[] = []
  const lti: LtiBenchResult[] = []
  const ltiOptions = { runs: RUNS, seconds: QUICK ? 2 : 6, concurrency: [1, 8] }
  const engines = process.argv.includes('--pglite-only') ? ['pglite'] : process.argv.includes('--postgres-only') ? ['postgres'] : ['postgres', 'pglite']
  if (INGEST_ONLY) {
    await benchEngine(await freshPostgres(BENCH_DB), 18181)
    return
  }
  for (const engine of engines) {
    if (engine === 'postgres') {
      results.push(await benchEngine(await freshPostgres(BENCH_DB), 18181))
      if (LTI) lti.push(await benchLti(await freshPostgres(BENCH_DB), 18183, ltiOptions))
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'tln-bench-'))
      try {
        results.push(await benchEngine({ engine: 'pglite', dataDir }, 18182))
      } finally {
        rmSync(dataDir, { recursive: true, force: true })
      }
      if (LTI) {
        const ltiDir = mkdtempSync(join(tmpdir(), 'tln-bench-lti-'))
        try {
          lti.push(await benchLti({ engine: 'pglite', dataDir: ltiDir }, 18184, ltiOptions))
        } finally {
          rmSync(ltiDir, { recursive: true, force: true })
        }
      }
    }
  }
  let competence: CompetenceBenchResult | undefined
  if (COMPETENCE && engines.includes('postgres')) competence = await benchCompetence(await freshPostgres(BENCH_DB), 18185, competenceOptions(QUICK, RUNS, process.argv))
  let soak: SoakResult | undefined
  if (SOAK && engines.includes('postgres')) soak = await benchSoak(await freshPostgres('tln_soak'), 18186, soakOptions(process.argv))
  const out = resolve(ROOT, 'docs/benchmarks.md')
  // Without --soak the last soak's section stays (it takes 10 minutes; `--soak-only` rewrites it).
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : ''
  const soakSection = soak !== undefined ? renderSoak(soak) : soakSectionOf(previous)
  // Likewise, without the competence run (`--no-competence`; its full size takes most of an hour) its last section stays.
  const competenceSection = competence !== undefined ? renderCompetence(competence, RUNS) : competenceSectionOf(previous)
  writeFileSync(out, (LTI ? `${render(results)}\n${renderLti(lti).join('\n')}\n` : render(results)) + (competenceSection === undefined ? '' : `\n${competenceSection.join('\n')}`) + (soakSection === undefined ? '' : `\n${soakSection.join('\n')}`))
  console.log(`wrote ${out}`)
}

await main()
