import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'
import { createEngineFixture, projections, type EngineFixture } from './engine-fixture.ts'
import { TEST_CONFIG, workload } from './statements.ts'

let f: EngineFixture

beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

/** Projections that do not depend on when the statements were stored (so two tenants compare). */
async function comparable(tenantId: string) {
  const { ratings, evidence, learners, months } = await projections(f.knex, tenantId)
  return { ratings, evidence, learners, months }
}

async function partition(tenantId: string) {
  return (await f.knex('competence_engine').where({ tenant_id: tenantId }).first()) as { txid: number; seq: number; processed: number }
}

describe(`crash of the engine mid-page on ${testEngine()} (issue 6: "resumable after a crash")`, () => {
  it('leaves projections and cursor where they were when a page fails half-written, and resumes to the same result as a clean run', async () => {
    const statements = workload(120, 10, 'c')
    const clean = await f.tenant('clean')
    const crashing = await f.tenant('crashing')
    for (const tenant of [clean, crashing]) await new CompetenceConfigStore(f.knex).put(tenant, TEST_CONFIG, 'test')
    await f.store('clean', statements)
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    await f.store('crashing', statements)
    // Ratings are written last in a page: make that write fail for this tenant only, after evidence, facts and learners were written.
    await f.knex.raw(`alter table competence_rating add constraint crash_test check (tenant_id <> '${crashing}') not valid`)
    try {
      await expect(new CompetenceEngine({ knex: f.knex, pageSize: 50 }).catchUp()).rejects.toThrow(/crash_test/)
    } finally {
      await f.knex.raw('alter table competence_rating drop constraint crash_test')
    }
    expect(await partition(crashing)).toMatchObject({ txid: 0, seq: 0, processed: 0 })
    expect((await projections(f.knex, crashing)).evidence).toEqual([])
    expect(await new CompetenceEngine({ knex: f.knex, pageSize: 50 }).catchUp()).toBe(120)
    expect(await comparable(crashing)).toEqual(await comparable(clean))
  })

  it('keeps other tenants current in the background while one tenant\'s page keeps failing', async () => {
    const failing = await f.tenant('failing')
    const healthy = await f.tenant('healthy')
    for (const tenant of [failing, healthy]) await new CompetenceConfigStore(f.knex).put(tenant, TEST_CONFIG, 'test')
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    await f.knex.raw(`alter table competence_rating add constraint crash_test check (tenant_id <> '${failing}') not valid`)
    const errors: string[] = []
    const engine = new CompetenceEngine({ knex: f.knex, pollMs: 20, logger: { info() {}, warn() {}, error: (_o, message) => errors.push(message) } })
    try {
      await f.store('failing', workload(5, 3, 'fail'))
      await f.store('healthy', workload(5, 3, 'ok'))
      engine.start()
      const started = Date.now()
      while (((await partition(healthy)).processed < 5 || errors.length === 0) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20))
    } finally {
      await engine.stop()
      await f.knex.raw('alter table competence_rating drop constraint crash_test')
    }
    expect((await partition(healthy)).processed).toBe(5)
    expect((await partition(failing)).processed).toBe(0)
    expect(errors.length).toBeGreaterThan(0)
  })

  // PostgreSQL only: the engine runs in a child process that connects to the same database, and an
  // embedded PGlite database belongs to the one process that opened it.
  it.runIf(testEngine() === 'postgres')('leaves projections and cursor consistent when the process is killed (SIGKILL) mid-stream, and replays nothing twice', async () => {
    const tenant = await f.tenant('killed')
    await new CompetenceConfigStore(f.knex).put(tenant, TEST_CONFIG, 'test')
    await f.store('killed', workload(1500, 40, 'k'))
    const url = (f.knex.client.config as { connection: { connectionString: string } }).connection.connectionString
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./engine-child.ts', import.meta.url)), url], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const started = Date.now()
      for (;;) {
        const processed = Number((await f.knex('competence_engine').where({ tenant_id: tenant }).first() as { processed?: number } | undefined)?.processed ?? 0)
        if (processed > 0) break
        if (Date.now() - started > 25_000) throw new Error('the child engine never applied a page')
        await new Promise((r) => setTimeout(r, 10))
      }
    } finally {
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
    }
    const killedAt = await partition(tenant)
    expect(killedAt.processed).toBeLessThan(1500)
    const engine = new CompetenceEngine({ knex: f.knex })
    await engine.catchUp()
    expect((await partition(tenant)).processed).toBe(1500)
    const resumed = await projections(f.knex, tenant)
    await f.knex('competence_engine').where({ tenant_id: tenant }).update({ config_version: null })
    await engine.catchUp()
    expect(await projections(f.knex, tenant)).toEqual(resumed)
  }, 60_000)
})
