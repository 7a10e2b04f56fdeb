/**
 * Benchmarks of data exchange (issue 3): bulk export throughput and server memory while
 * exporting, and document (State) PUT/GET latency. Called by run.ts against a running server.
 */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createDb } from '@tln/db'
import { http, percentile, runLoad } from './load.ts'
import type { ServerProcess, Storage } from './server-process.ts'

export interface ExportResult {
  statements: number
  seconds: number
  statementsPerSecond: number
  megabytes: number
  rssBeforeMb: number
  rssPeakMb: number
}

export interface DocumentResult {
  requests: number
  put: { p50Ms: number; p95Ms: number }
  get: { p50Ms: number; p95Ms: number }
  errors: number
}

/**
 * Tops the statement table up to `target` rows with one INSERT … SELECT straight into
 * PostgreSQL (generating a million statements over HTTP would take longer than the export
 * itself). The rows are complete stored statements; they carry no postings, which the export
 * without filters does not read.
 * @returns the number of statements in the tenant afterwards
 */
export async function preloadForExport(storage: Storage & { engine: 'postgres' }, target: number): Promise<number> {
  const db = await createDb({ engine: 'postgres', url: storage.url, poolMax: 1, statementTimeoutMs: 0 })
  try {
    const tenant = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    const have = ((await db.knex('xapi_statement').where({ tenant_id: tenant }).count('* as n').first()) as { n: number }).n
    const missing = target - have
    const chunk = 200_000
    for (let done = 0; done < missing; done += chunk) {
      const n = Math.min(chunk, missing - done)
      await db.knex.raw(
        `insert into xapi_statement (tenant_id, id, stored, verb_id, voiding, statement)
         select ?, s.id, now(), 'http://adlnet.gov/expapi/verbs/completed', false,
                json_build_object(
                  'id', s.id,
                  'actor', json_build_object('objectType', 'Agent', 'name', 'Guru ' || (s.g % 1000),
                           'account', json_build_object('homePage', 'https://elearning.bppaudntb.example', 'name', 'guru-' || (s.g % 1000))),
                  'verb', json_build_object('id', 'http://adlnet.gov/expapi/verbs/completed', 'display', json_build_object('en-US', 'completed')),
                  'object', json_build_object('objectType', 'Activity', 'id', 'https://tln.example/activities/task/' || (s.g % 500)),
                  'result', json_build_object('score', json_build_object('scaled', (s.g % 100) / 100.0), 'completion', true),
                  'context', json_build_object('registration', s.id, 'extensions',
                           json_build_object('https://tln.example/xapi/extensions/kecamatan', 'kecamatan-' || (s.g % 12))),
                  'timestamp', '2026-03-01T08:00:00.000Z', 'stored', '2026-11-29T00:00:00.000Z', 'version', '1.0.0',
                  'authority', json_build_object('objectType', 'Agent', 'name', 'benchmark', 'account', json_build_object('homePage', 'http://127.0.0.1', 'name', 'bench')))
           from (select g, gen_random_uuid() as id from generate_series(1, ?) as g) s`,
        [tenant, n],
      )
    }
    return Math.max(have, target)
  } finally {
    await db.close()
  }
}

/** Resident memory of a process now, in MB (Linux VmRSS). */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : Number.NaN
}

/**
 * Downloads the whole NDJSON export once, as fast as the client reads, sampling the server's
 * resident memory every 100 ms: constant memory means the peak stays near the start value
 * whatever the number of statements.
 */
export async function exportThroughput(server: ServerProcess, auth: string): Promise<ExportResult> {
  const pid = server.child.pid!
  const rssBeforeMb = rssMb(pid)
  let rssPeakMb = rssBeforeMb
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, rssMb(pid))
  }, 100)
  const started = performance.now()
  let lines = 0
  let bytes = 0
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/api/export/statements`, { headers: { Authorization: auth }, agent: new Agent({ keepAlive: false }) }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`))
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
        })
        res.on('end', () => resolve())
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
  } finally {
    clearInterval(sampler)
  }
  const seconds = (performance.now() - started) / 1000
  return { statements: lines, seconds, statementsPerSecond: lines / seconds, megabytes: bytes / 2 ** 20, rssBeforeMb, rssPeakMb }
}

/**
 * State documents (xAPI 1.0.3 Communication 2.3): `requests` sequential PUTs of a small JSON
 * document under distinct state ids, then as many GETs of them; p50/p95 of each.
 */
export async function documentLatency(server: ServerProcess, auth: string, requests: number): Promise<DocumentResult> {
  const headers = { Authorization: auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }
  const agent = encodeURIComponent(JSON.stringify({ account: { homePage: 'https://elearning.bppaudntb.example', name: 'guru-1' } }))
  const url = (i: number) => `${server.url}/xapi/activities/state?activityId=${encodeURIComponent(`https://tln.example/activities/task/${i % 500}`)}&agent=${agent}&stateId=bookmark-${i}`
  const body = JSON.stringify({ page: 3, answers: Array.from({ length: 20 }, (_, i) => ({ q: i, a: 'jawaban' })) })
  const put = await runLoad({ concurrency: 1, maxRequests: requests, maxSeconds: 120, send: (i) => http(url(i), { method: 'PUT', headers, body }) })
  const get = await runLoad({ concurrency: 1, maxRequests: requests, maxSeconds: 120, send: (i) => http(url(i), { headers }) })
  return {
    requests,
    put: { p50Ms: percentile(put.latenciesMs, 50), p95Ms: percentile(put.latenciesMs, 95) },
    get: { p50Ms: percentile(get.latenciesMs, 50), p95Ms: percentile(get.latenciesMs, 95) },
    errors: put.errors + get.errors,
  }
}

/** The exchange sections of docs/benchmarks.md. */
export function renderExchange(rows: Array<{ engine: string; export?: ExportResult; documents?: DocumentResult }>, requestedExport: number): string[] {
  return [
    '## Bulk export (GET /api/export/statements, NDJSON)',
    '',
    `The whole tenant exported in one answer by one client reading as fast as it can; ${requestedExport.toLocaleString('en-US')} statements`,
    'requested (`--export-n`, the issue\'s figure is 1,000,000; the quick run uses fewer). Server memory is its',
    'resident set sampled every 100 ms during the export: constant memory means the peak stays near the start.',
    '',
    '| engine | statements | seconds | statements/s | MB sent | server RSS before (MB) | server RSS peak (MB) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.flatMap((r) =>
      r.export === undefined
        ? []
        : [`| ${r.engine} | ${r.export.statements.toLocaleString('en-US')} | ${r.export.seconds.toFixed(1)} | ${r.export.statementsPerSecond.toFixed(0)} | ${r.export.megabytes.toFixed(0)} | ${r.export.rssBeforeMb.toFixed(0)} | ${r.export.rssPeakMb.toFixed(0)} |`],
    ),
    '',
    '## Document latency (State: PUT then GET /xapi/activities/state)',
    '',
    '| engine | requests each | PUT p50 (ms) | PUT p95 (ms) | GET p50 (ms) | GET p95 (ms) | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.flatMap((r) =>
      r.documents === undefined
        ? []
        : [`| ${r.engine} | ${r.documents.requests} | ${r.documents.put.p50Ms.toFixed(1)} | ${r.documents.put.p95Ms.toFixed(1)} | ${r.documents.get.p50Ms.toFixed(1)} | ${r.documents.get.p95Ms.toFixed(1)} | ${r.documents.errors} |`],
    ),
    '',
  ]
}
