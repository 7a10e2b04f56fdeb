/**
 * The physical limit of ingest on this machine (issue 7: "the same statement rows written straight
 * into PostgreSQL by the fastest plain method (multi-row INSERT or COPY, no HTTP, no
 * validation)"), measured in the same run as the LRS so the two can be compared as a ratio.
 *
 * The rows are exactly what the LRS stores for a statement: one `xapi_statement` row (id, verb,
 * the JSON, stored time) and its posting-list rows in `xapi_statement_index`, computed before the
 * clock starts. Each batch is one multi-row INSERT of both tables (`unnest` of arrays: one round
 * trip, the plain method closest to COPY without an extra dependency), autocommitted, from
 * `concurrency` connections at once.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { statementIndexEntries } from '../../packages/lrs/src/statements/statement-rows.ts'
import type { Statement } from '@tln/xapi'
import { benchStatement, prng } from './statements.ts'

export interface RawLimitResult {
  batch: number
  concurrency: number
  statementsPerSecond: number[]
}

const INSERT = `with s as (
    insert into xapi_statement (tenant_id, id, stored, verb_id, object_statement_id, voiding, statement)
    select $1, u.id, $2, u.verb, null, false, u.json::json
      from unnest($3::uuid[], $4::text[], $5::text[]) as u(id, verb, json)
    returning id, seq
  )
  insert into xapi_statement_index (tenant_id, kind, key, seq, narrow)
  select $1, p.kind, p.key, s.seq, p.narrow
    from unnest($6::uuid[], $7::smallint[], $8::uuid[], $9::boolean[]) as p(id, kind, key, narrow)
    join s on s.id = p.id`

interface PreparedBatch { params: unknown[] }

function prepare(tenantId: string, batch: number, random: () => number): PreparedBatch {
  const statements = Array.from({ length: batch }, () => ({ ...benchStatement(random), id: randomUUID(), stored: new Date().toISOString(), authority: { objectType: 'Agent', account: { homePage: 'https://tln.example', name: 'raw' } } }) as unknown as Statement & { id: string })
  const postings = statements.flatMap((s) => statementIndexEntries(s).map((e) => ({ id: s.id, e })))
  return {
    params: [
      tenantId, new Date(),
      statements.map((s) => s.id), statements.map((s) => s.verb.id), statements.map((s) => JSON.stringify(s)),
      postings.map((p) => p.id), postings.map((p) => p.e.kind), postings.map((p) => p.e.key), postings.map((p) => p.e.narrow),
    ],
  }
}

/** Raw multi-row INSERT throughput into a migrated database at `url`, for tenant `default`. */
export async function benchRawLimit(url: string, options: { batch: number; concurrency: number; seconds: number; runs: number }): Promise<RawLimitResult> {
  const pool = new pg.Pool({ connectionString: url, max: options.concurrency })
  try {
    const { rows } = await pool.query<{ id: string }>(`select id from tenant where slug = 'default'`)
    const tenantId = rows[0]!.id
    const random = prng(4242)
    const result: RawLimitResult = { batch: options.batch, concurrency: options.concurrency, statementsPerSecond: [] }
    for (let run = 0; run < options.runs; run++) {
      // Prepared before the clock starts: the limit is the database's, not the generator's.
      const queue = Array.from({ length: Math.ceil((options.seconds * 40_000) / options.batch) }, () => prepare(tenantId, options.batch, random))
      let next = 0
      let done = 0
      const started = process.hrtime.bigint()
      const deadline = Date.now() + options.seconds * 1000
      await Promise.all(Array.from({ length: options.concurrency }, async () => {
        while (Date.now() < deadline && next < queue.length) {
          const job = queue[next++]!
          await pool.query(INSERT, job.params)
          done += options.batch
        }
      }))
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      result.statementsPerSecond.push(done / seconds)
    }
    return result
  } finally {
    await pool.end()
  }
}

/**
 * Tops tenant `default` up to `target` statements with the same rows as above (statements and
 * their posting lists, exactly what the LRS stores), so that filtered queries can be measured over
 * a large table without storing a million statements through HTTP first.
 * @returns the number of statements in the tenant afterwards
 */
export async function fillWithPostings(url: string, target: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  try {
    const { rows } = await pool.query<{ id: string }>(`select id from tenant where slug = 'default'`)
    const tenantId = rows[0]!.id
    const count = await pool.query<{ n: string }>(`select count(*) as n from xapi_statement where tenant_id = $1`, [tenantId])
    const have = Number(count.rows[0]!.n)
    const random = prng(777)
    const batch = 1000
    let remaining = Math.ceil(Math.max(0, target - have) / batch)
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (remaining > 0) {
        remaining--
        await pool.query(INSERT, prepare(tenantId, batch, random).params)
      }
    }))
    // What autovacuum does to a table after many inserts (PostgreSQL 13+): statistics, and the
    // visibility map that lets posting-list scans skip the heap (index-only). This machine's test
    // server runs with autovacuum off, so the bench does it.
    await pool.query('vacuum analyze xapi_statement, xapi_statement_index')
    const after = await pool.query<{ n: string }>(`select count(*) as n from xapi_statement where tenant_id = $1`, [tenantId])
    return Number(after.rows[0]!.n)
  } finally {
    await pool.end()
  }
}

/**
 * Waits until the server's competence engine has read everything the fill wrote. The fill bypasses
 * the server, so its engine then catches up on a million statements at once, which a server in
 * service never does (it follows ingest as it comes); queries timed meanwhile would measure that
 * catch-up. Polls whether any statement lies past the engine's (txid, seq) cursor; not its `seq`
 * against the newest statement's, since an idle engine at the stream horizon has `seq` 0.
 * @returns the seconds waited
 */
export async function waitForEngine(url: string, timeoutS = 1800): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const started = performance.now()
  try {
    for (;;) {
      const { rows } = await client.query<{ engines: number; behind: number }>(
        `select count(*)::int as engines,
                (count(*) filter (where e.state <> 'current' or exists (
                   select 1 from xapi_statement s where s.tenant_id = e.tenant_id and (s.txid, s.seq) > (e.txid, e.seq))))::int as behind
           from competence_engine e`,
      )
      if (rows[0]!.engines > 0 && rows[0]!.behind === 0) return (performance.now() - started) / 1000
      if (performance.now() - started > timeoutS * 1000) throw new Error(`the competence engine did not catch up with the fill within ${timeoutS} s`)
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  } finally {
    await client.end()
  }
}
