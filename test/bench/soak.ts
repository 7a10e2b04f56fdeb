/**
 * Soak (issue 7, "Reliability": "10 minutes at 80% of the measured maximum with concurrent queries
 * and report reads: no errors, flat memory, stable p95"; target "server RSS < 300 MB under load").
 * One `tln serve` process on a fresh PostgreSQL database, running everything production runs
 * (LRS, competence engine, forwarding loop, LTI tool). This process:
 * 0. gives the database a history first: `historyCycles` program cycles of the demo's statements
 *    for each of `teachers` teachers, stored through the LRS, the engine caught up, vacuumed and
 *    analysed. Without it the soak measured its own growth: on an empty database its 10 minutes
 *    gave each of 1,000 teachers ~4.4 program cycles, so what every report and query reads grew
 *    ~4× during the run and the p95s rose with it (docs/performance-notes.md, 2026-11-29, S);
 * 1. measures the maximum ingest of the soak's mix (8 closed-loop clients, each alternating a
 *    single statement and a batch of 10; statements of the demo program's mix, so the competence
 *    engine has real work), briefly, on the same server;
 * 2. then for `minutes` posts the same mix open-loop at 80% of that rate, while one client after
 *    another GETs /xapi/statements (agent + verb) and a signed-in district admin reads
 *    /api/reports/district and /api/reports/kecamatan/:id;
 * 3. samples the server's RSS (/proc/PID/status VmRSS) every second and keeps per-minute p95s.
 * Called by run.ts (`pnpm bench --soak`, or `--soak-only` to rewrite only its section).
 */
import { CompetenceConfigStore } from '@tln/competence'
import { createDb, type Db } from '@tln/db'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { seedDemoOrg } from '../../apps/server/src/seed/demo-org.ts'
import { benchCompetenceConfig, benchCompetenceStatement, cohortsFor, demoSize } from './competence-data.ts'
import { percentile, runLoad, type HttpAnswer } from './load.ts'
import { districtAdmin } from './competence.ts'
import { waitForEngine } from './raw-limit.ts'
import { startServer, tln, type ServerProcess, type Storage } from './server-process.ts'

const KEY = 'bench-soak'
const SECRET = 'bench-soak-secret-not-for-production'
const HEADERS = { Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }
/** The mix: every other ingest request is a batch of this size, the rest single statements. */
const BATCH = 10
const SOAK_SHARE = 0.8
/** Open-loop ingest never has more requests than this in flight; a send due beyond it is counted as missed. */
const MAX_IN_FLIGHT = 64

export interface SoakOptions {
  minutes: number
  /** Seconds of the closed-loop maximum measurement. */
  maxSeconds: number
  /** Teachers in the stream (rounded up to cohorts of the demo's 60). */
  teachers: number
  /** Program cycles per teacher stored before the soak (0: an empty database, as before). */
  historyCycles: number
}

interface MinuteFigures {
  minute: number
  ingestRequests: number
  statements: number
  ingestP95Ms: number
  queryRequests: number
  queryP95Ms: number
  reportRequests: number
  reportP95Ms: number
  errors: number
  rssMb: number
}

export interface SoakResult {
  minutes: number
  /** Teachers in the stream and the history the database held before the soak. */
  teachers: number
  historyCycles: number
  history: { statements: number; storeSeconds: number; engineSeconds: number }
  /** Statements and facts in the database when the soak began and when it ended. */
  data: { statementsAtStart: number; statementsAtEnd: number; factsAtStart: number; factsAtEnd: number }
  /** NODE_OPTIONS the server ran with (TLN_BENCH_SERVER_NODE_OPTIONS), if any. */
  serverNodeOptions?: string
  /** PostgreSQL's `autovacuum` setting during the run: when off, the server's maintenance worker stands in for it. */
  autovacuum: string
  /** ANALYZE and VACUUM runs on the database's tables during the soak (by autovacuum, or by the server's maintenance worker). */
  maintenanceRuns: number
  maxStatementsPerSecond: number
  targetStatementsPerSecond: number
  achievedStatementsPerSecond: number
  statementsStored: number
  queries: number
  reportReads: number
  errors: number
  /** Open-loop sends skipped because MAX_IN_FLIGHT requests were already waiting (server behind). */
  /** Requests sent again because the server had just closed the idle keep-alive connection they were written on. */
  staleConnectionRetries: number
  missed: number
  errorSamples: string[]
  rss: { startMb: number; peakMb: number; endMb: number; slopeMbPerMin: number; secondHalfSlopeMbPerMin: number; samples: number }
  perMinute: MinuteFigures[]
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : NaN
}

const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT + 8 })
let staleConnectionRetries = 0

/**
 * One request on a keep-alive connection. The server closes a connection idle for 5 s; a request
 * written on it at that very moment is reset before the server read it. Such a request is sent
 * once more, as Node's documentation advises (`request.reusedSocket`), and counted: it is the
 * client's race, not a server error. Anything else is an error.
 */
function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}, retried = false): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // The second attempt goes on a new connection (another pooled one may be just as stale).
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: retried ? false : agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') {
        staleConnectionRetries++
        http(url, options, true).then(resolve, reject)
      } else reject(error)
    })
    req.end(options.body)
  })
}

/** Least-squares slope of y over x. */
function slope(points: Array<{ x: number; y: number }>): number {
  const n = points.length
  if (n < 2) return NaN
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0)
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0)
  return sxy / sxx
}

/** The tenant's kecamatan ids, in code order: the report reads go round them. */
export async function kecamatanIds(db: Db, tenantId: string): Promise<string[]> {
  const rows = (await db.knex('org_node').where({ tenant_id: tenantId, kind: 'kecamatan' }).orderBy('code').select('id')) as Array<{ id: string }>
  return rows.map((k) => k.id)
}

/** Statements stored and facts projected, all tenants. */
async function counts(db: Db): Promise<{ statements: number; facts: number }> {
  const { rows } = (await db.knex.raw('select (select count(*) from xapi_statement)::int as statements, (select count(*) from learning_fact)::int as facts')) as { rows: Array<{ statements: number; facts: number }> }
  return rows[0]!
}

/** ANALYZE and VACUUM runs so far on the database's tables, whoever ran them. */
async function maintenanceCount(db: Db): Promise<number> {
  const { rows } = (await db.knex.raw(`select coalesce(sum(vacuum_count + autovacuum_count + analyze_count + autoanalyze_count), 0)::int as n from pg_stat_user_tables`)) as { rows: Array<{ n: number }> }
  return rows[0]!.n
}

/**
 * Statements 0..`count` of the stream through the LRS: batches of 500, four in flight (as
 * competence.ts fills the dashboard), then the engine caught up and the database vacuumed and
 * analysed, as autovacuum would have left a database that old.
 */
async function storeHistory(db: Db, url: string, server: ServerProcess, count: number, cohorts: number): Promise<SoakResult['history']> {
  const t0 = performance.now()
  let next = 0
  const worker = async () => {
    while (next < count) {
      const start = next
      next = Math.min(count, next + 500)
      const body = JSON.stringify(Array.from({ length: next - start }, (_, k) => benchCompetenceStatement(start + k, cohorts)))
      const res = await http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body })
      if (res.status !== 200) throw new Error(`storing the history's statements ${start}..${next} failed with ${res.status}: ${res.body.slice(0, 300)}`)
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
  const storeSeconds = (performance.now() - t0) / 1000
  await waitForEngine(url, 3600)
  // The whole database: the organisation tables too (never analysed on a server without
  // autovacuum), or the reports' placement joins are planned for default-sized tables.
  await db.knex.raw('vacuum analyze')
  return { statements: count, storeSeconds, engineSeconds: (performance.now() - t0) / 1000 - storeSeconds }
}

/** Runs the soak on a fresh PostgreSQL database with a server on `port`. */
export async function benchSoak(storage: Storage, port: number, options: SoakOptions): Promise<SoakResult> {
  if (storage.engine !== 'postgres') throw new TypeError('the soak runs on PostgreSQL')
  tln(storage, ['migrate'])
  tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'soak benchmark'])
  const db = await createDb({ engine: 'postgres', url: storage.url, poolMax: 2, statementTimeoutMs: 0 })
  // The LTI tool (and with it /login and the report API) needs the server secret on PostgreSQL.
  // TLN_BENCH_SERVER_NODE_OPTIONS (e.g. --max-old-space-size=128) goes to the server only, to see what its memory is made of.
  const nodeOptions = process.env.TLN_BENCH_SERVER_NODE_OPTIONS
  const server = await startServer(storage, port, { TLN_SECRET_KEY: 'bench-soak-server-secret-not-for-production-0123456789', ...(nodeOptions !== undefined && { NODE_OPTIONS: nodeOptions }) })
  const pid = server.child.pid!
  try {
    await seedDemoOrg(db.knex)
    const tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    await new CompetenceConfigStore(db.knex).put(tenantId, benchCompetenceConfig(), 'bench')
    const admin = { browser: await districtAdmin(db, server, tenantId, 'soak'), kecamatanIds: await kecamatanIds(db, tenantId) }
    const autovacuum = ((await db.knex.raw('show autovacuum')) as { rows: Array<{ autovacuum: string }> }).rows[0]!.autovacuum
    const COHORTS = cohortsFor(options.teachers)

    // 0. The history; the soak's stream goes on from its end (the teachers' next cycle).
    const historyStatements = options.historyCycles * COHORTS * demoSize()
    const history = historyStatements === 0 ? { statements: 0, storeSeconds: 0, engineSeconds: 0 } : await storeHistory(db, storage.url, server, historyStatements, COHORTS)
    if (historyStatements > 0) console.log(`soak: history of ${historyStatements} statements stored in ${history.storeSeconds.toFixed(0)} s, engine caught up ${history.engineSeconds.toFixed(0)} s later`)

    let next = historyStatements
    const errorSamples: string[] = []
    const noteError = (what: string) => { if (errorSamples.length < 10) errorSamples.push(what) }
    /** Request `k` of the mix: even → one statement, odd → a batch of BATCH. */
    const sendIngest = (k: number) => {
      const size = k % 2 === 0 ? 1 : BATCH
      const start = next
      next += size
      const body = size === 1 ? JSON.stringify(benchCompetenceStatement(start, COHORTS)) : JSON.stringify(Array.from({ length: size }, (_, j) => benchCompetenceStatement(start + j, COHORTS)))
      return { size, answer: http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body }) }
    }

    // 1. The maximum of the mix, closed loop, on a warm server.
    await runLoad({ concurrency: 8, maxRequests: 200, maxSeconds: 3, send: (k) => sendIngest(k).answer })
    const before = next
    const max = await runLoad({ concurrency: 8, maxRequests: 10_000_000, maxSeconds: options.maxSeconds, send: (k) => sendIngest(k).answer })
    const maxStatementsPerSecond = (next - before) / max.seconds
    const target = SOAK_SHARE * maxStatementsPerSecond
    console.log(`soak: maximum of the mix ${maxStatementsPerSecond.toFixed(0)} statements/s (${max.errors} errors); soaking at ${target.toFixed(0)}/s for ${options.minutes} min`)
    if (max.errors > 0) noteError(`${max.errors} errors while measuring the maximum`)

    // 2. The soak.
    const atStart = await counts(db)
    const minutes: Array<{ ingest: number[]; statements: number; query: number[]; report: number[]; errors: number; rss: number[] }> = Array.from({ length: options.minutes }, () => ({ ingest: [], statements: 0, query: [], report: [], errors: 0, rss: [] }))
    const started = performance.now()
    const end = started + options.minutes * 60_000
    const minuteOf = (t: number) => Math.min(options.minutes - 1, Math.floor((t - started) / 60_000))
    const rss: Array<{ x: number; y: number }> = []
    let missed = 0
    let inFlight = 0
    let queries = 0
    let reportReads = 0
    let stored = 0
    const timed = async (send: () => Promise<{ status: number; body: string }>, record: (ms: number, ok: boolean, size: number) => void, size = 0, what = ''): Promise<void> => {
      const t0 = performance.now()
      try {
        const res = await send()
        const ok = res.status < 300
        if (!ok) noteError(`${what} ${res.status}: ${res.body.slice(0, 200)}`)
        record(performance.now() - t0, ok, size)
      } catch (error) {
        noteError(`${what} ${(error as Error).message}`)
        record(performance.now() - t0, false, size)
      }
    }
    const record = (bucket: 'ingest' | 'query' | 'report') => (ms: number, ok: boolean, size: number) => {
      const m = minutes[minuteOf(performance.now())]!
      m[bucket].push(ms)
      if (!ok) m.errors++
      else if (bucket === 'ingest') { m.statements += size; stored += size }
    }

    // Production runs autovacuum; a test server may not (this machine's has it off). Then the
    // server's own maintenance worker (TLN_DB_MAINTENANCE=auto, @tln/db DbMaintenance) does what
    // autovacuum would: the soak counts its ANALYZE and VACUUM runs instead of running any itself.
    const maintenanceAtStart = await maintenanceCount(db)
    const sampler = setInterval(() => {
      const now = performance.now()
      const mb = rssMb(pid)
      rss.push({ x: (now - started) / 60_000, y: mb })
      minutes[minuteOf(now)]!.rss.push(mb)
    }, 1000)
    rss.push({ x: 0, y: rssMb(pid) })

    // Open-loop ingest: requests due at the mix's average size over the target rate.
    const ingest = (async () => {
      const interval = (1000 * (1 + BATCH)) / 2 / target
      const pending = new Set<Promise<void>>()
      let due = performance.now()
      for (let k = 0; performance.now() < end; k++) {
        if (inFlight >= MAX_IN_FLIGHT) missed++
        else {
          inFlight++
          const { size, answer } = sendIngest(k)
          const p = timed(() => answer, record('ingest'), size, 'POST /xapi/statements').finally(() => { inFlight--; pending.delete(p) })
          pending.add(p)
        }
        due += interval
        const wait = due - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
      await Promise.all(pending)
    })()
    // Queries: one client after another, agent + verb of a soak teacher.
    const verbs = ['http://adlnet.gov/expapi/verbs/attended', 'http://adlnet.gov/expapi/verbs/scored', 'http://activitystrea.ms/schema/1.0/submit', 'http://adlnet.gov/expapi/verbs/completed']
    const query = (async () => {
      for (let q = 0; performance.now() < end; q++) {
        const agent = encodeURIComponent(JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://elearning.bppaudntb.example', name: `ptk-${String(1 + (q % 60)).padStart(3, '0')}${q % COHORTS === 0 ? '' : `~${q % COHORTS}`}` } }))
        const url = `${server.url}/xapi/statements?agent=${agent}&verb=${encodeURIComponent(verbs[q % verbs.length]!)}&limit=100`
        await timed(() => http(url, { headers: HEADERS }), record('query'), 0, 'GET /xapi/statements')
        queries++
      }
    })()
    // Report reads: the district admin's dashboard and a kecamatan, alternately.
    const reports = (async () => {
      for (let r = 0; performance.now() < end; r++) {
        const path = r % 2 === 0 ? '/api/reports/district' : `/api/reports/kecamatan/${admin.kecamatanIds[r % admin.kecamatanIds.length]!}`
        await timed(async () => { const res = await admin.browser.request(path); return { status: res.status, body: res.text } }, record('report'), 0, `GET ${path}`)
        reportReads++
      }
    })()
    let lastLog = started
    const progress = setInterval(() => {
      const m = minutes[minuteOf(lastLog)]!
      console.log(`soak: minute ${minuteOf(lastLog) + 1}: ${m.statements} statements, ingest p95 ${percentile(m.ingest, 95).toFixed(0)} ms, query p95 ${percentile(m.query, 95).toFixed(0)} ms, report p95 ${percentile(m.report, 95).toFixed(0)} ms, errors ${m.errors}, RSS ${rssMb(pid).toFixed(0)} MB, missed ${missed}`)
      lastLog = performance.now()
    }, 60_000)
    await Promise.all([ingest, query, reports])
    clearInterval(sampler)
    clearInterval(progress)
    const atEnd = await counts(db)
    rss.push({ x: (performance.now() - started) / 60_000, y: rssMb(pid) })

    const seconds = (performance.now() - started) / 1000
    for (const e of errorSamples) console.log(`soak: error: ${e}`)
    const perMinute = minutes.map((m, i) => ({
      minute: i + 1, ingestRequests: m.ingest.length, statements: m.statements, ingestP95Ms: percentile(m.ingest, 95),
      queryRequests: m.query.length, queryP95Ms: percentile(m.query, 95), reportRequests: m.report.length, reportP95Ms: percentile(m.report, 95),
      errors: m.errors, rssMb: m.rss.length > 0 ? m.rss.reduce((s, v) => s + v, 0) / m.rss.length : NaN,
    }))
    const half = rss.filter((p) => p.x >= options.minutes / 2)
    return {
      minutes: options.minutes, teachers: COHORTS * 60, historyCycles: options.historyCycles, history,
      data: { statementsAtStart: atStart.statements, statementsAtEnd: atEnd.statements, factsAtStart: atStart.facts, factsAtEnd: atEnd.facts },
      ...(nodeOptions !== undefined && { serverNodeOptions: nodeOptions }), autovacuum, maintenanceRuns: (await maintenanceCount(db)) - maintenanceAtStart, maxStatementsPerSecond, targetStatementsPerSecond: target, achievedStatementsPerSecond: stored / seconds,
      statementsStored: stored, queries, reportReads, errors: perMinute.reduce((s, m) => s + m.errors, 0), missed, staleConnectionRetries, errorSamples,
      rss: { startMb: rss[0]!.y, peakMb: Math.max(...rss.map((p) => p.y)), endMb: rss.at(-1)!.y, slopeMbPerMin: slope(rss), secondHalfSlopeMbPerMin: slope(half), samples: rss.length },
      perMinute,
    }
  } finally {
    await server.stop()
    await db.close()
  }
}

/** What the database held before the soak, and the soak's own share of it at the end. */
function historyLine(r: SoakResult): string {
  const share = `${Math.round((100 * (r.data.statementsAtEnd - r.data.statementsAtStart)) / r.data.statementsAtEnd)}%`
  if (r.history.statements === 0) return `The database starts empty, so the soak's own ingest is ${share} of the statements at the end.`
  return `The database starts with a history: ${r.historyCycles} program cycle${r.historyCycles === 1 ? '' : 's'} per teacher, ${r.history.statements.toLocaleString('en-US')} statements stored through the LRS `
    + `(${r.history.storeSeconds.toFixed(0)} s, the engine caught up ${r.history.engineSeconds.toFixed(0)} s later, then \`vacuum analyze\`); the soak goes on with the teachers' next cycle. `
    + `Statements ${r.data.statementsAtStart.toLocaleString('en-US')} → ${r.data.statementsAtEnd.toLocaleString('en-US')} and facts ${r.data.factsAtStart.toLocaleString('en-US')} → ${r.data.factsAtEnd.toLocaleString('en-US')} during the soak: its own ingest is ${share} of the statements at the end.`
}

/** The Soak section of docs/benchmarks.md. */
export function renderSoak(r: SoakResult): string[] {
  const f = (v: number) => (Number.isNaN(v) ? '—' : v.toFixed(0))
  return [
    '## Soak (issue 7)',
    '',
    `PostgreSQL, one \`tln serve\` process (LRS, competence engine, forwarding loop, LTI tool), test/bench/soak.ts. The mix:`,
    `single statements and batches of ${BATCH} alternately, of the demo program's statements for ${r.teachers.toLocaleString('en-US')} teachers (so the competence`,
    `engine aggregates them). ${historyLine(r)} Maximum of the mix, 8 closed-loop clients: **${f(r.maxStatementsPerSecond)} statements/s**. Then ${r.minutes} minutes`,
    `open-loop at ${Math.round(SOAK_SHARE * 100)}% of it (${f(r.targetStatementsPerSecond)}/s asked, ${f(r.achievedStatementsPerSecond)}/s achieved), with one client after another`,
    'querying `GET /xapi/statements?agent=…&verb=…&limit=100` and a signed-in district admin reading `/api/reports/district` and',
    '`/api/reports/kecamatan/:id` alternately. Server RSS (VmRSS) sampled every second. The load generator shares the',
    'machine\'s cores with the server and PostgreSQL, so the p95s include its work.',
    ...(r.serverNodeOptions !== undefined ? [`The server ran with \`NODE_OPTIONS=${r.serverNodeOptions}\`.`] : []),
    ...(r.autovacuum === 'off'
      ? [`PostgreSQL ran with \`autovacuum = off\` (this machine's test server), so the server's own maintenance worker (\`TLN_DB_MAINTENANCE=auto\`) analysed and vacuumed the tables past autovacuum's thresholds: ${r.maintenanceRuns} runs during the soak.`]
      : [`ANALYZE and VACUUM runs during the soak (autovacuum): ${r.maintenanceRuns}.`]),
    '',
    `| figure | value | target |`,
    '|---|---:|---:|',
    `| errors (ingest, queries, report reads) | ${r.errors} | 0 |`,
    `| statements stored / queries / report reads | ${r.statementsStored.toLocaleString('en-US')} / ${r.queries.toLocaleString('en-US')} / ${r.reportReads.toLocaleString('en-US')} | — |`,
    `| ingest sends skipped (${MAX_IN_FLIGHT} already in flight) | ${r.missed} | 0 |`,
    `| requests re-sent: written on a keep-alive connection the server closed at that moment (Node \`request.reusedSocket\`) | ${r.staleConnectionRetries} | — |`,
    `| server RSS start / peak / end (MB) | ${f(r.rss.startMb)} / ${f(r.rss.peakMb)} / ${f(r.rss.endMb)} | < 300 |`,
    `| RSS slope, whole run / second half (MB per minute) | ${r.rss.slopeMbPerMin.toFixed(2)} / ${r.rss.secondHalfSlopeMbPerMin.toFixed(2)} | ≈ 0 |`,
    '',
    ...(r.errorSamples.length > 0 ? ['Errors (first 10):', '', ...r.errorSamples.map((e) => `- \`${e.replace(/`/g, "'").replace(/\s+/g, ' ')}\``), ''] : []),
    '| minute | statements | ingest p95 (ms) | queries | query p95 (ms) | report reads | report p95 (ms) | errors | mean RSS (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.perMinute.map((m) => `| ${m.minute} | ${m.statements.toLocaleString('en-US')} | ${f(m.ingestP95Ms)} | ${m.queryRequests} | ${f(m.queryP95Ms)} | ${m.reportRequests} | ${f(m.reportP95Ms)} | ${m.errors} | ${f(m.rssMb)} |`),
    '',
  ]
}

/**
 * `--soak-minutes=N` (default 10), `--soak-max-seconds=N` (default 20), `--soak-teachers=N`
 * (default 10,000: issue 7's district scale) and `--soak-history-cycles=N` (default 1: each
 * teacher's first program cycle stored before the soak; 0 for the old empty start).
 */
export function soakOptions(argv: readonly string[]): SoakOptions {
  const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
  const options = {
    minutes: Number(arg('soak-minutes') ?? 10), maxSeconds: Number(arg('soak-max-seconds') ?? 20),
    teachers: Number(arg('soak-teachers') ?? 10_000), historyCycles: Number(arg('soak-history-cycles') ?? 1),
  }
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < (name === 'historyCycles' ? 0 : 1)) throw new TypeError(`soak option ${name} must be a whole number${name === 'historyCycles' ? '' : ' above 0'}, got ${value}`)
  }
  return options
}

/** Replaces (or appends) the Soak section of docs/benchmarks.md, leaving the others as they are (`--soak-only`). */
export function withSoakSection(markdown: string, section: readonly string[]): string {
  const start = markdown.indexOf('## Soak')
  if (start === -1) return `${markdown.trimEnd()}\n\n${section.join('\n')}`
  const after = markdown.indexOf('\n## ', start + 1)
  return `${markdown.slice(0, start)}${section.join('\n')}${after === -1 ? '' : `\n${markdown.slice(after + 1)}`}`
}

/** The Soak section of docs/benchmarks.md as the last soak wrote it, to keep it when a full run does not soak. */
export function soakSectionOf(markdown: string): string[] | undefined {
  const start = markdown.indexOf('## Soak')
  if (start === -1) return undefined
  const after = markdown.indexOf('\n## ', start + 1)
  return [...markdown.slice(start, after === -1 ? undefined : after).trimEnd().split('\n'), '']
}
