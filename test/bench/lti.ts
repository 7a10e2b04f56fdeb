/**
 * LTI launch benchmark (issue 4): launches per second and p95 launch latency with the platform's
 * JWKS cached. The TLN server runs as its own process (`tln serve`); this process plays the LMS
 * (the platform simulator of `test/lti`) and the browsers. One launch is the whole flow a browser
 * makes: POST /lti/login (sets the state cookie) → GET /lti/launch/check (the cookie came back) →
 * the platform's authorization endpoint (signs an id_token) → POST /lti/launch with that cookie (validation, nonce, user upsert, session, launched
 * statement). "Launch latency" is
 * the POST /lti/launch alone; the flow latency includes the platform's signing. Called by
 * `run.ts --lti`; bounded in seconds, loopback only.
 */
import { randomBytes } from 'node:crypto'
import { startPlatformSimulator } from '../lti/platform-simulator.ts'
import { http, median, percentile } from './load.ts'
import { startServer, tln, type Storage } from './server-process.ts'

export interface LtiBenchResult {
  engine: string
  rows: Array<{ concurrency: number; launchesPerSecond: number[]; p95LaunchMs: number[]; p95FlowMs: number[]; errors: number }>
  /** Platform JWKS fetches by the tool during the measured runs (0: the cache held). */
  jwksFetchesMeasured: number
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }

function hidden(html: string): Record<string, string> {
  const fields: Record<string, string> = {}
  const unescape = (v: string) => v.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(m[1]!)] = unescape(m[2]!)
  return fields
}

/** Measure launches on `storage` (a fresh database) with a server on `port`. */
export async function benchLti(storage: Storage, port: number, options: { runs: number; seconds: number; concurrency: readonly number[] }): Promise<LtiBenchResult> {
  const sim = await startPlatformSimulator()
  const env = { TLN_SECRET_KEY: randomBytes(32).toString('base64'), TLN_PUBLIC_URL: `http://127.0.0.1:${port}` }
  tln(storage, ['migrate'], env)
  tln(storage, ['platform', 'add', '--issuer', sim.issuer, '--client-id', sim.clientId, '--auth-url', sim.platform.authorizationEndpoint,
    '--token-url', sim.platform.tokenEndpoint, '--jwks-url', sim.platform.jwksUri, '--deployment-id', sim.deploymentId], env)
  const server = await startServer(storage, port, env)
  sim.setTool({ loginUrl: `${server.url}/lti/login`, redirectUri: `${server.url}/lti/launch`, jwksUri: `${server.url}/lti/jwks` })
  const result: LtiBenchResult = { engine: storage.engine === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)', rows: [], jwksFetchesMeasured: 0 }

  const launchOnce = async (launchMs: number[]): Promise<boolean> => {
    const login = await http(`${server.url}/lti/login`, { method: 'POST', headers: FORM, body: new URLSearchParams(sim.initiation()).toString() })
    // As a browser does: the state cookie set at login goes back to the cookie check and the launch (login CSRF binding).
    const cookie = [login.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]!).join('; ')
    const checkUrl = login.headers.location
    if (login.status !== 303 || typeof checkUrl !== 'string') return false
    // A new browser each time: the cookie check's extra redirect is always paid.
    const check = await http(new URL(checkUrl, server.url).href, { headers: { cookie } })
    const location = check.headers.location
    if (check.status !== 302 || typeof location !== 'string') return false
    const auth = await http(location)
    if (auth.status !== 200) return false
    const t0 = performance.now()
    const launched = await http(`${server.url}/lti/launch`, { method: 'POST', headers: { ...FORM, cookie }, body: new URLSearchParams(hidden(auth.body)).toString() })
    launchMs.push(performance.now() - t0)
    return launched.status === 200
  }

  try {
    // Warm-up: the first launch fetches the platform JWKS; every measured one finds it cached.
    if (!(await launchOnce([]))) throw new Error('warm-up launch failed')
    const jwksFetchesBefore = sim.double.counters.jwksFetches
    for (const concurrency of options.concurrency) {
      const row = { concurrency, launchesPerSecond: [] as number[], p95LaunchMs: [] as number[], p95FlowMs: [] as number[], errors: 0 }
      for (let run = 0; run < options.runs; run++) {
        const launchMs: number[] = []
        const flowMs: number[] = []
        let ok = 0
        const started = performance.now()
        const deadline = started + options.seconds * 1000
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            const f0 = performance.now()
            try {
              if (await launchOnce(launchMs)) ok++
              else row.errors++
            } catch {
              row.errors++
            }
            flowMs.push(performance.now() - f0)
          }
        }))
        row.launchesPerSecond.push(ok / ((performance.now() - started) / 1000))
        row.p95LaunchMs.push(percentile(launchMs, 95))
        row.p95FlowMs.push(percentile(flowMs, 95))
      }
      result.rows.push(row)
    }
    result.jwksFetchesMeasured = sim.double.counters.jwksFetches - jwksFetchesBefore
  } finally {
    await server.stop()
    await sim.close()
  }
  return result
}

/** The benchmark's section of docs/benchmarks.md. */
export function renderLti(results: readonly LtiBenchResult[]): string[] {
  const lines = [
    '## LTI 1.3 launches (JWKS cached)',
    '',
    'One launch = POST /lti/login → GET /lti/launch/check (cookie check) → the platform simulator signs an id_token → POST /lti/launch (signature, claims, nonce, user, session, `launched` statement). The simulator runs in the load generator\'s process on the same machine. Median of the runs; p95 per run, median of those.',
    '',
    '| engine | concurrency | launches/s | p95 launch (ms) | p95 whole flow (ms) | errors |',
    '|---|---|---|---|---|---|',
  ]
  for (const r of results) {
    for (const row of r.rows) {
      lines.push(`| ${r.engine} | ${row.concurrency} | ${median(row.launchesPerSecond).toFixed(0)} | ${median(row.p95LaunchMs).toFixed(1)} | ${median(row.p95FlowMs).toFixed(1)} | ${row.errors} |`)
    }
  }
  lines.push('', ...results.map((r) => `- ${r.engine}: platform JWKS fetched ${r.jwksFetchesMeasured} times during the measured runs.`), '')
  return lines
}
