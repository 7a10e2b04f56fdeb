/**
 * Competence benchmarks (issue 6, "Benchmark"; issue 7 targets: report lag < 2 s under steady
 * ingest, district dashboard < 200 ms with 10,000 teachers and 1,000,000 statements). The server
 * process (`tln serve`) is the LRS and runs the aggregation engine, as in production; this
 * process stores statements over HTTP, watches the engine's cursor and runs the report queries
 * (`CompetenceReports`) against the same database.
 * 1. aggregation throughput: statements of the demo's mix stored, then a new config version
 *    stored, which makes the engine rebuild every projection from the start; timed until done;
 * 2. report lag: while a client posts statements at a steady rate, a probe statement is posted
 *    and the teacher report polled until it shows it; lag = acknowledged → visible;
 * 3. district dashboard latency: the stream topped up to the dashboard size, the engine caught
 *    up, then `district()` tenant-wide and scoped to the district (the filter a district admin's
 *    grant gives), and `kecamatan()`, called repeatedly, and the HTTP page `/reports/district`
 *    fetched by a signed-in district admin (the page a Dinas opens).
 * Called by run.ts.
 */
import { CompetenceConfigStore, CompetenceEngine, CompetenceReports, PROJECTION_TABLES } from '@tln/competence'
import { createDb, type Db } from '@tln/db'
import { Accounts } from '@tln/lti-tool'
import { nameUuid } from '@tln/xapi'
import { seedDemoOrg } from '../../apps/server/src/seed/demo-org.ts'
import { benchCompetenceConfig, benchCompetenceStatement, cohortsFor, demoSize, teachersIn } from './competence-data.ts'
import { http, median, percentile } from './load.ts'
import { startServer, tln, type ServerProcess, type Storage } from './server-process.ts'
import { Browser } from '../../lti-tool/test/org-helpers.ts'

export interface CompetenceBenchOptions {
  runs: number
  /** Statements stored before the throughput runs. */
  throughputStatements: number
  lagSeconds: number
  /** Background ingest during the lag test, statements per second. */
  lagRate: number
  dashboardTeachers: number
  dashboardStatements: number
  dashboardRequests: number
  /** Measure the dashboard on a database kept from an earlier run if it holds its statements. */
  reuse: boolean
}

export interface CompetenceBenchResult {
  throughput: { statements: number; statementsPerSecond: number[] }
  lag: { rate: number; achievedRate: number; samples: number; p50Ms: number; p95Ms: number; maxMs: number; errors: number }
  dashboard: {
    teachers: number
    statements: number
    facts: number
    ingestSeconds: number
    engineSeconds: number
    p50Ms: number[]
    p95Ms: number[]
    /** `district()` scoped to the district admin's grant (the demo district's path), what the page asks. */
    scopedP50Ms: number[]
    scopedP95Ms: number[]
    kecamatanP50Ms: number[]
    kecamatanP95Ms: number[]
    /** `GET /reports/district` (HTML) by a signed-in district admin, over HTTP from this process. */
    pageP50Ms: number[]
    pageP95Ms: number[]
    requests: number
  }
}

const KEY = 'bench-competence'
const SECRET = 'bench-competence-secret-not-for-production'
const HEADERS = {
  Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`,
  'X-Experience-API-Version': '1.0.3',
  'Content-Type': 'application/json',
}
const PROBE_NS = '0b7e3c55-1d2f-4a6b-8c9d-e0f1a2b3c4d5'

/** Posts statements `from`..`to` of the stream in batches of 500, four requests in flight. */
async function storeRange(server: ServerProcess, from: number, to: number, cohorts: number): Promise<void> {
  const batch = 500
  let next = from
  const worker = async () => {
    while (next < to) {
      const start = next
      next = Math.min(to, next + batch)
      const body = JSON.stringify(Array.from({ length: next - start }, (_, k) => benchCompetenceStatement(start + k, cohorts)))
      const res = await http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body })
      if (res.status !== 200) throw new Error(`storing statements ${start}..${next} failed with ${res.status}: ${res.body.slice(0, 300)}`)
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now()
  const value = await run()
  return { value, ms: performance.now() - t0 }
}

/** Statements of the tenant not yet behind the engine's cursor. */
async function remaining(db: Db, tenantId: string): Promise<number> {
  const { rows } = (await db.knex.raw(
    `select count(*)::int as n from xapi_statement s left join competence_engine e on e.tenant_id = s.tenant_id
      where s.tenant_id = ? and (e.tenant_id is null or (s.txid, s.seq) > (e.txid, e.seq))`,
    [tenantId],
  )) as { rows: Array<{ n: number }> }
  return rows[0]!.n
}

/**
 * Waits until the server's engine has applied config `version` to every stored statement (its
 * cursor past the last one). A transaction still open anywhere on the PostgreSQL server holds the
 * stream back (docs/architecture.md), so this can take longer on a busy machine.
 */
async function caughtUp(db: Db, tenantId: string, version: number): Promise<void> {
  const deadline = performance.now() + 30 * 60_000
  for (;;) {
    const partition = (await db.knex('competence_engine').where({ tenant_id: tenantId }).first()) as { config_version: number | null } | undefined
    if (partition?.config_version === version && (await remaining(db, tenantId)) === 0) return
    if (performance.now() > deadline) throw new Error('the competence engine did not catch up within 30 minutes')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Aggregation throughput of the server's engine: each run stores a new config version, which
 * makes the engine rebuild every projection from the start of the stream; timed until done.
 */
async function throughput(db: Db, configs: CompetenceConfigStore, tenantId: string, statements: number, runs: number): Promise<number[]> {
  const rates: number[] = []
  for (let run = 0; run < runs; run++) {
    const { version } = await configs.put(tenantId, benchCompetenceConfig(), 'bench')
    const { ms } = await timed(() => caughtUp(db, tenantId, version))
    rates.push(statements / (ms / 1000))
    console.log(`competence: rebuild over ${statements} statements in ${(ms / 1000).toFixed(1)} s: ${(statements / (ms / 1000)).toFixed(0)} statements/s`)
  }
  return rates
}

function probe(i: number): Record<string, unknown> & { id: string } {
  return {
    id: nameUuid(PROBE_NS, `probe/${Date.now()}/${i}`),
    actor: { objectType: 'Agent', name: `Probe ${i}`, account: { homePage: 'https://elearning.bppaudntb.example', name: `lag-probe-${i}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
    object: { objectType: 'Activity', id: 'https://tln.example/xapi/activities/meeting/bench-probe', definition: { type: 'http://adlnet.gov/expapi/activities/meeting' } },
    timestamp: new Date().toISOString(),
  }
}

/**
 * Report lag under steady ingest: the server's engine runs its background loop; a
 * client posts `rate` statements/s in batches of 10; every second a probe statement by a new
 * learner is posted and `teacher()` polled every 10 ms until the probe is in the timeline.
 */
async function reportLag(server: ServerProcess, db: Db, reports: CompetenceReports, tenantId: string, version: number, first: number, cohorts: number, options: CompetenceBenchOptions) {
  await caughtUp(db, tenantId, version)
  let next = first
  let posted = 0
  let errors = 0
  let stop = false
  const started = performance.now()
  const ingest = (async () => {
    const perBatch = 10
    const interval = (1000 * perBatch) / options.lagRate
    let due = performance.now()
    while (!stop) {
      const start = next
      next += perBatch
      const body = JSON.stringify(Array.from({ length: perBatch }, (_, k) => benchCompetenceStatement(start + k, cohorts)))
      void http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body }).then(
        (res) => { if (res.status === 200) posted += perBatch; else errors++ },
        () => { errors++ },
      )
      due += interval
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())))
    }
  })()
  const lags: number[] = []
  try {
    for (let i = 0; performance.now() - started < options.lagSeconds * 1000; i++) {
      const statement = probe(i)
      const res = await http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(statement) })
      if (res.status !== 200) { errors++; continue }
      const acknowledged = performance.now()
      const key = `account:${JSON.stringify(['https://elearning.bppaudntb.example', `lag-probe-${i}`])}`
      for (;;) {
        const report = await reports.teacher(key, { tenantId })
        if (report?.timeline.some((t) => t.statementId === statement.id)) break
        if (performance.now() - acknowledged > 30_000) throw new Error(`probe ${i} not visible after 30 s`)
        await new Promise((r) => setTimeout(r, 10))
      }
      lags.push(performance.now() - acknowledged)
      await new Promise((r) => setTimeout(r, 1000))
    }
  } finally {
    stop = true
    await ingest
  }
  const seconds = (performance.now() - started) / 1000
  return { next, result: { rate: options.lagRate, achievedRate: posted / seconds, samples: lags.length, p50Ms: percentile(lags, 50), p95Ms: percentile(lags, 95), maxMs: Math.max(...lags), errors } }
}

async function latency(call: () => Promise<unknown>, requests: number): Promise<{ p50: number; p95: number }> {
  const ms: number[] = []
  for (let i = 0; i < requests; i++) ms.push((await timed(call)).ms)
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) }
}

/**
 * A district admin of the demo district, signed in through `/login` like a Dinas officer (a local
 * account, invited and accepted here), to fetch the dashboard page over HTTP.
 */
export async function districtAdmin(db: Db, server: ServerProcess, tenantId: string, label = 'bench'): Promise<Browser> {
  const password = `${label}-dinas-password-not-for-production`
  const district = (await db.knex('org_node').where({ tenant_id: tenantId, kind: 'district' }).orderBy('path').first()) as { id: string }
  const accounts = new Accounts({ knex: db.knex, publicUrl: server.url })
  const email = `${label}-dinas-${Date.now()}@example.org`
  const invitation = await accounts.invite({ tenantId, email, name: `${label} dinas`, role: 'district-admin', nodeId: district.id })
  await accounts.acceptInvitation(new URL(invitation.link).pathname.split('/').pop()!, password)
  const browser = new Browser(server.url)
  const login = await browser.login(email, password)
  if (login.status !== 303) throw new Error(`the ${label} district admin could not sign in: ${login.status}`)
  return browser
}

async function districtPage(browser: Browser): Promise<void> {
  const res = await browser.request('/reports/district')
  if (res.status !== 200) throw new Error(`GET /reports/district answered ${res.status}`)
}

/**
 * Waits until the server's badge issuer has issued the badges of the tiers completed so far (the
 * count of `open_badge` rows unchanged for fifteen seconds, at most ten minutes): with the server
 * secret set it signs one credential per completion, which would otherwise share the CPU with the
 * dashboard being measured.
 */
async function badgesSettled(db: Db): Promise<void> {
  const deadline = performance.now() + 10 * 60_000
  let last = -1
  let steady = 0
  while (steady < 15 && performance.now() < deadline) {
    const n = Number(((await db.knex('open_badge').count('* as n').first()) as { n: number | string }).n)
    steady = n === last ? steady + 1 : 0
    last = n
    await new Promise((r) => setTimeout(r, 1000))
  }
}

async function count(db: Db, table: string, tenantId: string): Promise<number> {
  return ((await db.knex(table).where({ tenant_id: tenantId }).count('* as n').first()) as { n: number }).n
}

/** Runs the three competence benchmarks on a fresh PostgreSQL database with a server on `port`. */
export async function benchCompetence(storage: Storage, port: number, options: CompetenceBenchOptions): Promise<CompetenceBenchResult> {
  if (storage.engine !== 'postgres') throw new TypeError('the competence benchmarks run on PostgreSQL')
  tln(storage, ['migrate'])
  const db = await createDb({ engine: 'postgres', url: storage.url, poolMax: 4, statementTimeoutMs: 0 })
  // `--competence-reuse`: a database kept from an earlier run with the dashboard's statements is
  // measured as it is (its engine caught up again after the migrations), not rebuilt.
  const reused = options.reuse && Number(((await db.knex('xapi_statement').count('* as n').first()) as { n: number | string }).n) >= options.dashboardStatements
  if (!reused) tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'competence benchmark'])
  // The LTI tool, and with it the sign-in and report pages, needs the server secret on PostgreSQL.
  const server = await startServer(storage, port, { TLN_SECRET_KEY: 'bench-competence-server-secret-not-for-production-0123' })
  try {
    if (!reused) await seedDemoOrg(db.knex)
    const tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    const configs = new CompetenceConfigStore(db.knex)
    if (!reused) await configs.put(tenantId, benchCompetenceConfig(), 'bench')
    const reports = new CompetenceReports(db.knex, configs, (t) => new CompetenceEngine({ knex: db.knex, configs }).status(t))
    const cohorts = cohortsFor(options.dashboardTeachers)

    // A reused database measures the rebuild over everything it holds (a rule change at full size).
    const n = reused ? await count(db, 'xapi_statement', tenantId) : options.throughputStatements
    let rates: number[] = []
    if (reused) rates = await throughput(db, configs, tenantId, n, 1)
    let lag: Awaited<ReturnType<typeof reportLag>> = { next: 0, result: { rate: options.lagRate, achievedRate: NaN, samples: 0, p50Ms: NaN, p95Ms: NaN, maxMs: NaN, errors: 0 } }
    if (!reused) {
      await storeRange(server, 0, n, cohorts)
      console.log(`competence: ${n} statements stored (${demoSize()} per cohort of 60 teachers)`)
      rates = await throughput(db, configs, tenantId, n, options.runs)
      lag = await reportLag(server, db, reports, tenantId, (await configs.active(tenantId)).version, n, cohorts, options)
      console.log(`competence: report lag p50 ${lag.result.p50Ms.toFixed(0)} ms, p95 ${lag.result.p95Ms.toFixed(0)} ms at ${lag.result.achievedRate.toFixed(0)} statements/s`)
    }
    const active = (await configs.active(tenantId)).version

    const ingest = await timed(() => (reused ? Promise.resolve() : storeRange(server, lag.next, Math.max(lag.next, options.dashboardStatements), cohorts)))
    const stored = await count(db, 'xapi_statement', tenantId)
    console.log(`competence: ${stored} statements stored in ${(ingest.ms / 1000).toFixed(0)} s; engine catching up`)
    const engineRun = await timed(() => caughtUp(db, tenantId, active))
    console.log(`competence: engine caught up ${(engineRun.ms / 1000).toFixed(0)} s after the last statement was stored`)
    // A bulk rebuild leaves the projections unanalysed (and the rating rows, upserted per page,
    // bloated) until autovacuum comes round; a live server reaches that state by itself, so the
    // dashboard is measured after it (performance-notes.md, "Competence reports").
    await badgesSettled(db)
    await db.knex.raw(`vacuum analyze ${PROJECTION_TABLES.join(', ')}`)
    const filter = { tenantId }
    const districtNode = (await db.knex('org_node').where({ tenant_id: tenantId, kind: 'district' }).orderBy('path').first()) as { path: string }
    const scoped = { tenantId, scopePath: districtNode.path }
    const kecamatan = ((await db.knex('org_node').where({ tenant_id: tenantId, kind: 'kecamatan' }).orderBy('code').first()) as { id: string }).id
    await latency(() => reports.district(filter), 3)
    await latency(() => reports.district(scoped), 3)
    const admin = await districtAdmin(db, server, tenantId)
    await latency(() => districtPage(admin), 3)
    const dashboard: CompetenceBenchResult['dashboard'] = {
      teachers: teachersIn(stored, cohorts), statements: stored, facts: await count(db, 'learning_fact', tenantId),
      ingestSeconds: ingest.ms / 1000, engineSeconds: engineRun.ms / 1000,
      p50Ms: [], p95Ms: [], scopedP50Ms: [], scopedP95Ms: [], kecamatanP50Ms: [], kecamatanP95Ms: [], pageP50Ms: [], pageP95Ms: [], requests: options.dashboardRequests,
    }
    for (let run = 0; run < options.runs; run++) {
      const d = await latency(() => reports.district(filter), options.dashboardRequests)
      const s = await latency(() => reports.district(scoped), options.dashboardRequests)
      const k = await latency(() => reports.kecamatan(kecamatan, filter), options.dashboardRequests)
      const page = await latency(() => districtPage(admin), options.dashboardRequests)
      dashboard.p50Ms.push(d.p50)
      dashboard.p95Ms.push(d.p95)
      dashboard.scopedP50Ms.push(s.p50)
      dashboard.scopedP95Ms.push(s.p95)
      dashboard.kecamatanP50Ms.push(k.p50)
      dashboard.kecamatanP95Ms.push(k.p95)
      dashboard.pageP50Ms.push(page.p50)
      dashboard.pageP95Ms.push(page.p95)
    }
    console.log(`competence: district() p50 ${median(dashboard.p50Ms).toFixed(0)} ms, p95 ${median(dashboard.p95Ms).toFixed(0)} ms; scoped to the district p50 ${median(dashboard.scopedP50Ms).toFixed(0)} ms, p95 ${median(dashboard.scopedP95Ms).toFixed(0)} ms; GET /reports/district p50 ${median(dashboard.pageP50Ms).toFixed(0)} ms, p95 ${median(dashboard.pageP95Ms).toFixed(0)} ms over ${stored} statements, ${dashboard.teachers} teachers`)
    return { throughput: { statements: n, statementsPerSecond: rates }, lag: lag.result, dashboard }
  } finally {
    await server.stop()
    await db.close()
  }
}

/** The competence section of docs/benchmarks.md. */
export function renderCompetence(r: CompetenceBenchResult, runs: number): string[] {
  const d = r.dashboard
  return [
    '## Competence reports (issue 6)',
    '',
    'PostgreSQL. Statements of the demo program\'s mix (workshops, lesson-plan tasks submitted and scored, mentoring,',
    'Diklat Dasar modules, phases and post-test, routine meetings; about 57 per teacher) for more teachers: the demo\'s',
    '60 teachers renamed per cohort, a second program cycle 182 days later once every cohort has had one',
    '(test/bench/competence-data.ts). Statements go through the LRS (HTTP batches of 500 to the server process); the',
    'server runs the aggregation engine (as in production); the report queries run in the benchmark process against the',
    `same database. Throughput: a new config version makes the engine rebuild from the stream's start. Medians over ${runs} run(s).`,
    '',
    '| figure | value | target |',
    '|---|---:|---:|',
    `| aggregation throughput, rebuild over ${r.throughput.statements.toLocaleString('en-US')} statements (statements/s) | ${median(r.throughput.statementsPerSecond).toFixed(0)} | — |`,
    r.lag.samples === 0
      ? '| report lag | not measured in this run: the dashboard database was reused (`--competence-reuse`); see performance-notes.md | < 2,000 |'
      : `| report lag p50 / p95 / max (ms), ${r.lag.samples} probes, ingest ${r.lag.achievedRate.toFixed(0)} statements/s (asked ${r.lag.rate}) | ${r.lag.p50Ms.toFixed(0)} / ${r.lag.p95Ms.toFixed(0)} / ${r.lag.maxMs.toFixed(0)} | < 2,000 |`,
    `| district dashboard \`district()\` tenant-wide p50 / p95 (ms), ${d.teachers.toLocaleString('en-US')} teachers, ${d.statements.toLocaleString('en-US')} statements | ${median(d.p50Ms).toFixed(0)} / ${median(d.p95Ms).toFixed(0)} | < 200 |`,
    `| district dashboard \`district()\` scoped to a district admin's grant p50 / p95 (ms), same data | ${median(d.scopedP50Ms).toFixed(0)} / ${median(d.scopedP95Ms).toFixed(0)} | < 200 |`,
    `| district dashboard page \`GET /reports/district\` (HTML, signed-in district admin) p50 / p95 (ms), same data | ${median(d.pageP50Ms).toFixed(0)} / ${median(d.pageP95Ms).toFixed(0)} | — |`,
    `| kecamatan report \`kecamatan()\` p50 / p95 (ms), same data | ${median(d.kecamatanP50Ms).toFixed(0)} / ${median(d.kecamatanP95Ms).toFixed(0)} | — |`,
    '',
    r.throughput.statements === 0
      ? `The dashboard data: a database kept from an earlier run of this benchmark (${d.statements.toLocaleString('en-US')} statements stored through the LRS, the projections built by the engine), migrated to the current schema and caught up; ${d.facts.toLocaleString('en-US')} learning facts. Lag (when measured): the engine's background loop (poll 250 ms when idle)`
      : `Building the dashboard data: ${d.statements.toLocaleString('en-US')} statements stored through the LRS in ${d.ingestSeconds.toFixed(0)} s (the top-up after the first two benchmarks), the engine caught up ${d.engineSeconds.toFixed(0)} s after the last was stored; ${d.facts.toLocaleString('en-US')} learning facts. Lag: the engine's background loop (poll 250 ms when idle)`,
    'while a client posts batches of 10 at a steady rate; a probe statement by a new learner each second, the',
    `teacher report polled every 10 ms until it lists the probe; ${r.lag.errors} errors. Latencies: ${d.requests} sequential calls per run, p50 and p95`,
    'of each run, the median over the runs; the page over HTTP on loopback (session, grants, filter, report, HTML). The dashboard',
    'shows mentoring reach and depth; the who-mentored-whom graph is its own page (`/reports/mentoring-network`), not measured here.',
    '',
  ]
}

/**
 * Sizes: the issue's in the full run, smaller with `--quick`; `--competence-n=N` and
 * `--competence-teachers=N` set the dashboard's statements and teachers.
 */
export function competenceOptions(quick: boolean, runs: number, argv: readonly string[]): CompetenceBenchOptions {
  const n = argv.find((a) => a.startsWith('--competence-n='))?.split('=')[1]
  const teachers = argv.find((a) => a.startsWith('--competence-teachers='))?.split('=')[1]
  return {
    runs,
    throughputStatements: quick ? 10_000 : 100_000,
    lagSeconds: quick ? 10 : 30,
    lagRate: quick ? 100 : 200,
    dashboardTeachers: teachers !== undefined ? Number(teachers) : quick ? 1_000 : 10_000,
    dashboardStatements: n !== undefined ? Number(n) : quick ? 60_000 : 1_000_000,
    dashboardRequests: quick ? 20 : 50,
    reuse: argv.includes('--competence-reuse'),
  }
}

/** The competence section of docs/benchmarks.md as the last competence run wrote it (up to the next section). */
export function competenceSectionOf(markdown: string): string[] | undefined {
  const start = markdown.indexOf('## Competence reports')
  if (start === -1) return undefined
  const after = markdown.indexOf('\n## ', start + 1)
  return [...markdown.slice(start, after === -1 ? undefined : after).trimEnd().split('\n'), '']
}

/**
 * Replaces (or appends) the competence section of docs/benchmarks.md, leaving the other sections
 * as the last full run wrote them (`pnpm bench --competence-only`).
 */
export function withCompetenceSection(markdown: string, section: readonly string[]): string {
  const start = markdown.indexOf('## Competence reports')
  if (start === -1) return `${markdown.trimEnd()}\n\n${section.join('\n')}`
  const after = markdown.indexOf('\n## ', start + 1)
  return `${markdown.slice(0, start)}${section.join('\n')}${after === -1 ? '' : `\n${markdown.slice(after + 1)}`}`
}
