/**
 * Memory diagnostic (issue 7, "server RSS < 300 MB under load"; not part of `pnpm bench`). Starts
 * `tln serve` (the bundle, as operators run it) with test/bench/memory-probe.mjs preloaded and asks
 * the probe for process.memoryUsage(), V8's heap spaces, /proc/self/smaps_rollup and PGlite's
 * WebAssembly memory at each stage. Results go to OUT (default /tmp/tln-memory) as JSON.
 *
 *   tsx test/bench/memory.ts postgres [--minutes=5] [--rate=430] [--snapshots=1,4] [--label=memory] [--port=18390]
 *     the soak's mix (same statements, same queries and report reads as soak.ts) at a fixed rate
 *     on a fresh database `tln_m_memory`; stats every minute, heap snapshots at the given minutes
 *   tsx test/bench/memory.ts pglite [--statements=20000]
 *     a fresh data directory: stats at start, after ingest (batches of 100 × 8; its statements/s), after
 *     600 queries one at a time (their p50 and p95)
 *   tsx test/bench/memory.ts pglite-mix [--seconds=6] [--runs=3] [--fill=0] [--settle=0] [--statistics-target=N] [--label=mix] [--port=19400]
 *     `pnpm bench`'s PGlite ingest (batches of 1 × 8, 1 × 32, 10 × 8, 100 × 8 clients, `runs` × `seconds`
 *     each), then its fill (batches of 500, 8 at a time) up to `fill` statements: VmRSS every 100 ms,
 *     the probe's /light every second, VmHWM after each phase and where the peak was reached;
 *     `--statistics-target=-1` measures xapi_statement's ANALYZE sample as it was before migration
 *     20261130002310 (docs/performance-notes.md, "PGlite's peak under ingest", 2026-11-29, M)
 *
 * TLN_MEMORY_SERVER_ENV='A=1 B=2' adds environment to the server: NODE_OPTIONS flags, settings,
 * MALLOC_ARENA_MAX, or the probe's own TLN_MEMORY_V8_FLAGS (V8 flags NODE_OPTIONS refuses, set at
 * run time) and TLN_MEMORY_NO_COMPRESSION=1. TLN_MEMORY_KEEP_DB=1 keeps the database or data directory.
 * Snapshots: compare them with test/bench/memory-heap-diff.ts. Findings: docs/performance-notes.md,
 * "Server memory under load: no leak in the heap, glibc's per-thread arenas" (2026-11-29, M).
 */
import { CompetenceConfigStore } from '@tln/competence'
import { createDb, type Db } from '@tln/db'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { seedDemoOrg } from '../../apps/server/src/seed/demo-org.ts'
import { benchCompetenceConfig, benchCompetenceStatement, cohortsFor } from './competence-data.ts'
import { districtAdmin } from './competence.ts'
import { http, percentile, runLoad } from './load.ts'
import { freshPostgres, PG_ADMIN, startServer, tln, type ServerProcess, type Storage } from './server-process.ts'
import { kecamatanIds } from './soak.ts'
import { benchStatement, prng, teacher, VERBS } from './statements.ts'

const OUT = process.env.TLN_MEMORY_OUT ?? '/tmp/tln-memory'
const KEY = 'memory-diag'
const SECRET = 'memory-diag-secret-not-for-production'
const HEADERS = { Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
/** `--label=NAME` names the database (`tln_m_NAME`), the data directory and the output files, so runs can go side by side. */
const LABEL = arg('label', 'memory')
const PROBE_PORT = Number(arg('port', '18390'))
const SERVER_PORT = PROBE_PORT + 1
const COHORTS = cohortsFor(1_000)
const BATCH = 10

interface Stage { stage: string; vmRssMb: number; serverCpuSeconds: number; stats: Record<string, unknown> }

function procStatus(pid: number): { vmRssMb: number; vmHwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024
  return { vmRssMb: kb('VmRSS'), vmHwmMb: kb('VmHWM') }
}

/** utime + stime of a process, in seconds (clock ticks of 100 Hz). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function probe(path: string): Promise<Record<string, unknown>> {
  // The probe's keep-alive socket may have been closed while idle (ECONNRESET): asked again once.
  const url = `http://127.0.0.1:${PROBE_PORT}${path}`
  const answer = await http(url).catch(() => http(url))
  if (answer.status !== 200) throw new Error(`probe ${path}: ${answer.status} ${answer.body}`)
  return JSON.parse(answer.body) as Record<string, unknown>
}

function serverEnv(): Record<string, string> {
  const extra = Object.fromEntries((process.env.TLN_MEMORY_SERVER_ENV ?? '').split(/\s+(?=[A-Z_]+=)/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  const nodeOptions = [`--import=${pathToFileURL(resolve(import.meta.dirname, 'memory-probe.mjs')).href}`, '--expose-gc', extra.NODE_OPTIONS ?? ''].join(' ').trim()
  return { ...extra, NODE_OPTIONS: nodeOptions, TLN_MEMORY_PROBE_PORT: String(PROBE_PORT) }
}

async function stage(server: ServerProcess, name: string, stages: Stage[]): Promise<void> {
  const pid = server.child.pid!
  const stats = await probe('/stats')
  const s: Stage = { stage: name, vmRssMb: procStatus(pid).vmRssMb, serverCpuSeconds: cpuSeconds(pid), stats }
  stages.push(s)
  const mu = stats.memoryUsage as Record<string, number>
  const sm = stats.smapsRollup as Record<string, number>
  const wasm = stats.wasmMemoriesMb as number[]
  console.log(`${name}: RSS ${s.vmRssMb.toFixed(0)} MB (anon ${sm.Anonymous?.toFixed(0)}, file ${(sm.Rss! - sm.Anonymous!).toFixed(0)}), heap ${mu.heapUsed!.toFixed(0)}/${mu.heapTotal!.toFixed(0)}, external ${mu.external!.toFixed(0)} (arrayBuffers ${mu.arrayBuffers!.toFixed(0)}), wasm [${wasm.map((w) => w.toFixed(0)).join(', ')}] MB, CPU ${s.serverCpuSeconds.toFixed(1)} s`)
}

/** The soak's mix at a fixed rate, with stats every minute and heap snapshots at the given minutes. */
async function postgres(): Promise<void> {
  const minutes = Number(arg('minutes', '5'))
  const rate = Number(arg('rate', '430'))
  const snapshots = new Set(arg('snapshots', '1,4').split(',').filter(Boolean).map(Number))
  const storage = await freshPostgres(`tln_m_${LABEL}`)
  tln(storage, ['migrate'])
  tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'memory diagnostic'])
  const db = await createDb({ engine: 'postgres', url: storage.url, poolMax: 2, statementTimeoutMs: 0 })
  const server = await startServer(storage, SERVER_PORT, { TLN_SECRET_KEY: 'memory-diag-server-secret-not-for-production-0123456789', ...serverEnv() }).catch(async (error: unknown) => {
    await db.close()
    await dropDatabase()
    throw error
  })
  const stages: Stage[] = []
  try {
    await seedDemoOrg(db.knex)
    const tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    await new CompetenceConfigStore(db.knex).put(tenantId, benchCompetenceConfig(), 'memory')
    const admin = { browser: await districtAdmin(db, server, tenantId, 'memory'), kecamatanIds: await kecamatanIds(db, tenantId) }
    await stage(server, 'start', stages)
    let next = 0
    let errors = 0
    let stored = 0
    const errorSamples: string[] = []
    const ingestOne = (k: number) => {
      const size = k % 2 === 0 ? 1 : BATCH
      const start = next
      next += size
      const body = size === 1 ? JSON.stringify(benchCompetenceStatement(start, COHORTS)) : JSON.stringify(Array.from({ length: size }, (_, j) => benchCompetenceStatement(start + j, COHORTS)))
      return http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body }).then((res) => {
        if (res.status >= 300) { errors++; if (errorSamples.length < 5) errorSamples.push(`${res.status} ${res.body.slice(0, 200)}`) } else stored += size
      }, (error: Error) => { errors++; if (errorSamples.length < 5) errorSamples.push(error.message) })
    }
    const started = performance.now()
    const end = started + minutes * 60_000
    let inFlight = 0
    const ingest = (async () => {
      const interval = (1000 * (1 + BATCH)) / 2 / rate
      let due = performance.now()
      for (let k = 0; performance.now() < end; k++) {
        if (inFlight < 64) { inFlight++; void ingestOne(k).finally(() => inFlight--) }
        due += interval
        const wait = due - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
    })()
    const verbs = ['http://adlnet.gov/expapi/verbs/attended', 'http://adlnet.gov/expapi/verbs/scored', 'http://activitystrea.ms/schema/1.0/submit', 'http://adlnet.gov/expapi/verbs/completed']
    let queries = 0
    const query = (async () => {
      for (let q = 0; performance.now() < end; q++) {
        const agent = encodeURIComponent(JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://elearning.bppaudntb.example', name: `ptk-${String(1 + (q % 60)).padStart(3, '0')}${q % COHORTS === 0 ? '' : `~${q % COHORTS}`}` } }))
        const res = await http(`${server.url}/xapi/statements?agent=${agent}&verb=${encodeURIComponent(verbs[q % verbs.length]!)}&limit=100`, { headers: HEADERS }).catch(() => ({ status: 0 }))
        if (res.status !== 200) errors++
        queries++
      }
    })()
    let reports = 0
    const report = (async () => {
      for (let r = 0; performance.now() < end; r++) {
        const path = r % 2 === 0 ? '/api/reports/district' : `/api/reports/kecamatan/${admin.kecamatanIds[r % admin.kecamatanIds.length]!}`
        const res = await admin.browser.request(path).catch(() => ({ status: 0 }))
        if (res.status !== 200) errors++
        reports++
      }
    })()
    const rss: number[] = []
    const perMinute: Array<{ minute: number; minMb: number; p50Mb: number; maxMb: number }> = []
    const sampler = setInterval(() => rss.push(procStatus(server.child.pid!).vmRssMb), 1000)
    const marks = (async () => {
      for (let m = 1; m <= minutes; m++) {
        const wait = started + m * 60_000 - performance.now() - (m === minutes ? 2000 : 0)
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        const windowRss = rss.splice(0)
        perMinute.push({ minute: m, minMb: Math.min(...windowRss), p50Mb: percentile(windowRss, 50), maxMb: Math.max(...windowRss) })
        console.log(`minute ${m}: ${stored} statements, ${queries} queries, ${reports} reports, ${errors} errors; RSS in the minute ${Math.min(...windowRss).toFixed(0)}–${Math.max(...windowRss).toFixed(0)} MB, p50 ${percentile(windowRss, 50).toFixed(0)}`)
        await stage(server, `minute ${m}`, stages)
        if (snapshots.has(m)) {
          const file = `${OUT}/${LABEL}-minute-${m}.heapsnapshot`
          await probe(`/snapshot?file=${encodeURIComponent(file)}`)
          console.log(`minute ${m}: heap snapshot ${file}`)
          await stage(server, `minute ${m} after snapshot (full GC)`, stages)
        }
      }
    })()
    await Promise.all([ingest, query, report, marks])
    clearInterval(sampler)
    for (const e of errorSamples) console.log(`error: ${e}`)
    await stage(server, 'end', stages)
    writeFileSync(`${OUT}/${LABEL}-rss.json`, JSON.stringify({ env: process.env.TLN_MEMORY_SERVER_ENV ?? '', stored, queries, reports, errors, perMinute, cpuSeconds: cpuSeconds(server.child.pid!) }, null, 1))
  } finally {
    writeFileSync(`${OUT}/${LABEL}-stages.json`, JSON.stringify(stages, null, 1))
    await server.stop()
    await db.close()
    await dropDatabase()
  }
}

async function dropDatabase(): Promise<void> {
  if (process.env.TLN_MEMORY_KEEP_DB === '1') return
  const admin = await createDb({ engine: 'postgres', url: PG_ADMIN, poolMax: 1 })
  await admin.knex.raw(`drop database if exists tln_m_${LABEL} with (force)`)
  await admin.close()
}

/** A fresh embedded data directory: start, ingest, queries. */
async function pglite(): Promise<void> {
  const statements = Number(arg('statements', '20000'))
  const dataDir = `${OUT}/${LABEL}-data`
  rmSync(dataDir, { recursive: true, force: true })
  const storage: Storage = { engine: 'pglite', dataDir }
  tln(storage, ['migrate'])
  tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'memory diagnostic'])
  const server = await startServer(storage, SERVER_PORT, serverEnv())
  const stages: Stage[] = []
  try {
    await stage(server, 'start', stages)
    const random = prng(42)
    let stored = 0
    const ingestStart = performance.now()
    while (stored < statements) {
      await runLoad({ concurrency: 8, maxRequests: 8, maxSeconds: 600, send: () => http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(Array.from({ length: 100 }, () => benchStatement(random))) }) })
      stored += 800
    }
    console.log(`ingest: ${(stored / ((performance.now() - ingestStart) / 1000)).toFixed(0)} statements/s`)
    await stage(server, `after ingest of ${stored}`, stages)
    const pick = (n: number) => Math.floor(random() * n)
    const kinds = [
      () => `agent=${encodeURIComponent(JSON.stringify(teacher(pick(1000))))}&verb=${encodeURIComponent(VERBS[pick(VERBS.length)]!)}`,
      () => `activity=${encodeURIComponent(`https://tln.example/activities/task/${pick(500)}`)}&related_activities=true`,
      () => `activity=${encodeURIComponent('https://tln.example/programs/diklat-berjenjang')}&related_activities=true`,
    ]
    // A keep-alive socket the server closed while the stage above ran answers ECONNRESET: asked again once.
    const query = (url: string) => http(url, { headers: HEADERS }).catch(() => http(url, { headers: HEADERS }))
    const load = await runLoad({ concurrency: 1, maxRequests: 600, maxSeconds: 120, send: (i) => query(`${server.url}/xapi/statements?${kinds[i % kinds.length]!()}&limit=100`) })
    const ms = (p: number) => percentile(load.latenciesMs, p).toFixed(1)
    console.log(`queries: ${load.requests}, errors ${load.errors}, p50 ${ms(50)} ms, p95 ${ms(95)} ms`)
    await stage(server, 'after queries', stages)
    const pid = server.child.pid!
    console.log(`VmHWM ${procStatus(pid).vmHwmMb.toFixed(0)} MB`)
  } finally {
    writeFileSync(`${OUT}/${LABEL}-stages.json`, JSON.stringify(stages, null, 1))
    await server.stop()
    if (process.env.TLN_MEMORY_KEEP_DB !== '1') rmSync(dataDir, { recursive: true, force: true })
  }
}

/** `pnpm bench`'s PGlite ingest and fill (test/bench/run.ts), sampled finely enough to see where the peak lies. */
async function pgliteMix(): Promise<void> {
  const seconds = Number(arg('seconds', '6'))
  const runs = Number(arg('runs', '3'))
  const fill = Number(arg('fill', '0'))
  const dataDir = `/tmp/m-${LABEL}-data`
  rmSync(dataDir, { recursive: true, force: true })
  const storage: Storage = { engine: 'pglite', dataDir }
  tln(storage, ['migrate'])
  tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'memory diagnostic'])
  // `--statistics-target=-1`: xapi_statement's columns back to PostgreSQL's default target, to measure
  // the server as it was before migration 20261130002310 (a 30,000-row ANALYZE sample).
  const target = arg('statistics-target', '')
  if (target !== '') {
    const db = await createDb({ engine: 'pglite', dataDir })
    const columns = ((await db.knex.raw(`select attname from pg_attribute where attrelid = 'xapi_statement'::regclass and attnum > 0 and not attisdropped`)) as { rows: Array<{ attname: string }> }).rows
    await db.knex.raw(`alter table xapi_statement ${columns.map((c) => `alter column ${c.attname} set statistics ${Number(target)}`).join(', ')}`)
    await db.close()
  }
  const t0 = performance.now()
  const server = await startServer(storage, SERVER_PORT, serverEnv())
  const pid = server.child.pid!
  let phase = 'start'
  const samples: Array<{ t: number; phase: string; rssMb: number }> = []
  const lights: Array<Record<string, unknown> & { t: number; phase: string }> = []
  const sampler = setInterval(() => samples.push({ t: (performance.now() - t0) / 1000, phase, rssMb: procStatus(pid).vmRssMb }), 100)
  let lightBusy = false
  const lighter = setInterval(() => {
    if (lightBusy) return
    lightBusy = true
    const t = (performance.now() - t0) / 1000
    const at = phase
    probe('/light').then((l) => lights.push({ t, phase: at, ...l }), () => {}).finally(() => (lightBusy = false))
  }, 1000)
  const phases: Array<{ phase: string; statementsPerSecond?: number; vmRssMb: number; vmHwmMb: number; cpuSeconds: number }> = []
  const mark = (name: string, statementsPerSecond?: number) => {
    const p = { phase: name, ...(statementsPerSecond !== undefined ? { statementsPerSecond } : {}), ...procStatus(pid), cpuSeconds: cpuSeconds(pid) }
    phases.push(p)
    console.log(`${name}: RSS ${p.vmRssMb.toFixed(0)} MB, VmHWM ${p.vmHwmMb.toFixed(0)} MB, server CPU ${p.cpuSeconds.toFixed(1)} s${statementsPerSecond !== undefined ? `, ${statementsPerSecond.toFixed(0)} statements/s` : ''}`)
  }
  try {
    await new Promise((r) => setTimeout(r, 1500))
    mark('ready')
    const random = prng(42)
    let stored = 0
    for (const [batch, concurrency] of [[1, 8], [1, 32], [10, 8], [100, 8]] as const) {
      phase = `${batch}x${concurrency}`
      let ok = 0
      let elapsed = 0
      for (let run = 0; run < runs; run++) {
        const load = await runLoad({ concurrency, maxRequests: 1_000_000, maxSeconds: seconds, send: () => http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(Array.from({ length: batch }, () => benchStatement(random))) }) })
        ok += (load.requests - load.errors) * batch
        elapsed += load.seconds
        if (load.errors > 0) console.log(`${phase}: ${load.errors} errors`)
      }
      stored += ok
      mark(`batch ${batch} × ${concurrency}`, ok / elapsed)
    }
    phase = 'fill'
    const fillStart = performance.now()
    const before = stored
    while (stored < fill) {
      const batches = Math.min(8, Math.ceil((fill - stored) / 500))
      // A keep-alive socket the server closed while idle answers ECONNRESET: sent again once (the ids make it idempotent).
      const send = (body: string) => http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body }).catch(() => http(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body }))
      const answers = await Promise.all(Array.from({ length: batches }, () => send(JSON.stringify(Array.from({ length: 500 }, () => benchStatement(random))))))
      for (const a of answers) {
        if (a.status !== 200) throw new Error(`fill: ${a.status} ${a.body.slice(0, 200)}`)
        stored += 500
        if ((stored - before) % 10_000 === 0) mark(`fill, ${stored - before} so far`)
      }
    }
    if (fill > 0) mark(`fill to ${stored}`, (stored - before) / ((performance.now() - fillStart) / 1000))
    // `--settle=S`: S seconds without load, so that the maintenance worker's next round (ANALYZE) runs.
    const settle = Number(arg('settle', '0'))
    if (settle > 0) {
      phase = 'settle'
      await new Promise((r) => setTimeout(r, settle * 1000))
      mark(`${settle} s later`)
    }
    phase = 'end'
    await new Promise((r) => setTimeout(r, 1500))
    clearInterval(sampler)
    clearInterval(lighter)
    const top = samples.reduce((a, b) => (b.rssMb > a.rssMb ? b : a), samples[0]!)
    console.log(`peak sampled RSS ${top.rssMb.toFixed(0)} MB at ${top.t.toFixed(1)} s (${top.phase})`)
    const near = lights.filter((l) => Math.abs(l.t - top.t) <= 1.5)
    for (const l of near) console.log(`  near the peak: ${JSON.stringify({ ...l, largestMappings: undefined })}`)
    const perPhase = new Map<string, number>()
    for (const s of samples) perPhase.set(s.phase, Math.max(perPhase.get(s.phase) ?? 0, s.rssMb))
    console.log(`max RSS per phase: ${[...perPhase].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`)
    writeFileSync(`${OUT}/${LABEL}-mix.json`, JSON.stringify({ env: process.env.TLN_MEMORY_SERVER_ENV ?? '', phases, samples, lights }, null, 1))
  } finally {
    clearInterval(sampler)
    clearInterval(lighter)
    await server.stop()
    if (process.env.TLN_MEMORY_KEEP_DB !== '1') rmSync(dataDir, { recursive: true, force: true })
  }
}

mkdirSync(OUT, { recursive: true })
const mode = process.argv[2]
if (mode === 'postgres') await postgres()
else if (mode === 'pglite') await pglite()
else if (mode === 'pglite-mix') await pgliteMix()
else throw new TypeError('usage: tsx test/bench/memory.ts postgres|pglite|pglite-mix [options]')
process.exit(0)
