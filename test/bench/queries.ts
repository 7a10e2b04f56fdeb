/**
 * Statement query latency (issue 7): `GET /xapi/statements` by agent + verb, by activity with
 * `related_activities`, and by registration, `limit=100`, over a table filled to the target size
 * (1,000,000 in the full run), and `more` paging deep into one large result, which must stay flat.
 * Called by run.ts against a running server; requests one after another, so each latency is the
 * server's and the database's alone.
 */
import { http, median, percentile, runLoad } from './load.ts'
import type { ServerProcess } from './server-process.ts'
import { prng, registration, teacher, TEACHERS, VERBS } from './statements.ts'

/** The grouping activity every bench statement carries: a related_activities filter matching them all. */
const PROGRAM = 'https://tln.example/programs/diklat-berjenjang'
const TASKS = 500

export interface QueryKindResult {
  kind: string
  /** Per run: p50 and p95 of the run's requests. */
  p50Ms: number[]
  p95Ms: number[]
  /** Statements in the answers, on average: shows the query found something. */
  meanStatements: number
  errors: number
}

export interface PagingResult {
  pages: number
  firstPagesP50Ms: number
  lastPagesP50Ms: number
  p95Ms: number
  errors: number
}

export interface QueryBenchResult {
  stored: number
  kinds: QueryKindResult[]
  paging: PagingResult
}

/** The three filtered queries of issue 7, with random values from the bench data's ranges. */
function queryKinds(random: () => number): Array<{ kind: string; path: () => string }> {
  const pick = (n: number) => Math.floor(random() * n)
  return [
    {
      kind: 'agent + verb',
      path: () => `agent=${encodeURIComponent(JSON.stringify(teacher(pick(TEACHERS))))}&verb=${encodeURIComponent(VERBS[pick(VERBS.length)]!)}`,
    },
    {
      kind: 'activity + related_activities',
      path: () => `activity=${encodeURIComponent(`https://tln.example/activities/task/${pick(TASKS)}`)}&related_activities=true`,
    },
    { kind: 'registration', path: () => `registration=${registration(pick(TEACHERS))}` },
  ]
}

function statementCount(body: string): number {
  try {
    return (JSON.parse(body) as { statements: unknown[] }).statements.length
  } catch {
    return 0
  }
}

export async function benchQueries(
  server: ServerProcess,
  headers: Record<string, string>,
  options: { stored: number; runs: number; requests: number; pages: number },
): Promise<QueryBenchResult> {
  const random = prng(7)
  const kinds: QueryKindResult[] = []
  for (const { kind, path } of queryKinds(random)) {
    const url = () => `${server.url}/xapi/statements?${path()}&limit=100`
    // Warm-up: plans cached, pages of the indexes in memory, as on a running server.
    await runLoad({ concurrency: 1, maxRequests: 20, maxSeconds: 30, send: () => http(url(), { headers }) })
    const result: QueryKindResult = { kind, p50Ms: [], p95Ms: [], meanStatements: 0, errors: 0 }
    let statements = 0
    let answers = 0
    for (let run = 0; run < options.runs; run++) {
      const load = await runLoad({
        concurrency: 1,
        maxRequests: options.requests,
        maxSeconds: 60,
        send: async () => {
          const answer = await http(url(), { headers })
          statements += statementCount(answer.body)
          answers++
          return answer
        },
      })
      result.p50Ms.push(percentile(load.latenciesMs, 50))
      result.p95Ms.push(percentile(load.latenciesMs, 95))
      result.errors += load.errors
    }
    result.meanStatements = answers === 0 ? 0 : statements / answers
    kinds.push(result)
    console.log(`query ${kind}: p50 ${median(result.p50Ms).toFixed(1)} ms, p95 ${median(result.p95Ms).toFixed(1)} ms, ${result.meanStatements.toFixed(0)} statements per answer`)
  }
  const paging = await deepPaging(server, headers, options.pages)
  console.log(`more paging over ${paging.pages} pages: first 10 p50 ${paging.firstPagesP50Ms.toFixed(1)} ms, last 10 p50 ${paging.lastPagesP50Ms.toFixed(1)} ms`)
  return { stored: options.stored, kinds, paging }
}

/**
 * Follows `more` from the first page of a result that matches every statement (the program's
 * grouping activity, related_activities), `pages` pages deep: a cursor that re-scans from the
 * start would grow with the depth; a keyset cursor stays flat.
 */
async function deepPaging(server: ServerProcess, headers: Record<string, string>, pages: number): Promise<PagingResult> {
  const latencies: number[] = []
  let errors = 0
  let next: string | undefined = `/xapi/statements?activity=${encodeURIComponent(PROGRAM)}&related_activities=true&limit=100`
  while (next !== undefined && next !== '' && latencies.length < pages) {
    const t0 = performance.now()
    const answer = await http(`${server.url}${next}`, { headers })
    latencies.push(performance.now() - t0)
    if (answer.status !== 200) {
      errors++
      break
    }
    next = (JSON.parse(answer.body) as { more?: string }).more
  }
  const window = Math.min(10, latencies.length)
  return {
    pages: latencies.length,
    firstPagesP50Ms: median(latencies.slice(0, window)),
    lastPagesP50Ms: median(latencies.slice(latencies.length - window)),
    p95Ms: percentile(latencies, 95),
    errors,
  }
}

export function renderQueries(results: Array<{ engine: string; queries?: QueryBenchResult }>, runs: number, requests: number): string[] {
  const measured = results.filter((r) => r.queries !== undefined)
  if (measured.length === 0) return []
  return [
    '## Query latency: GET /xapi/statements, limit=100',
    '',
    `${requests} sequential requests per run and kind, random values (teacher of ${TEACHERS}, verb of ${VERBS.length}, task of ${TASKS}, a teacher's registration), after 20 warm-up requests; p50 and p95 per run, the median of ${runs} runs. PostgreSQL is filled to the target with the LRS's own rows (statements and posting lists, written straight into the database like the physical-limit rows); embedded PGlite, which only its server may open, is filled over HTTP to a smaller size. Target: p95 < 10 ms over 1,000,000 statements.`,
    '',
    '| engine | statements stored | query | p50 (ms) | p95 (ms) | statements per answer | errors |',
    '|---|---:|---|---:|---:|---:|---:|',
    ...measured.flatMap((r) =>
      r.queries!.kinds.map(
        (k) => `| ${r.engine} | ${r.queries!.stored.toLocaleString('en-US')} | ${k.kind} | ${median(k.p50Ms).toFixed(1)} | ${median(k.p95Ms).toFixed(1)} | ${k.meanStatements.toFixed(0)} | ${k.errors} |`,
      ),
    ),
    '',
    '`more` paging deep into one result (every statement, via the program grouping activity and `related_activities`), one page after another:',
    '',
    '| engine | pages followed | first 10 pages p50 (ms) | last 10 pages p50 (ms) | p95 all pages (ms) | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...measured.map((r) => {
      const p = r.queries!.paging
      return `| ${r.engine} | ${p.pages} | ${p.firstPagesP50Ms.toFixed(1)} | ${p.lastPagesP50Ms.toFixed(1)} | ${p.p95Ms.toFixed(1)} | ${p.errors} |`
    }),
    '',
  ]
}
