import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { CompetenceEngine } from '@tln/competence'
import { createLrs, type Lrs } from '@tln/lrs'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatStatus, requestRebuild } from '../src/cli/competence-commands.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { seedDemoOrg } from '../src/seed/demo-org.ts'
import { demoStatements } from '../src/seed/demo-statements.ts'
import { TEACHERS } from '../src/seed/lombok-tengah.ts'
import { ifiKey } from '@tln/xapi'

/** The demo's competence configuration and person identities, and the engine over the demo stream (issue 6). */
describe(`demo competence projections on ${testEngine()}`, () => {
  let db: Db
  let lrs: Lrs
  let tenantId: string
  const total = demoStatements().length

  beforeAll(async () => {
    db = await createTestDb()
    lrs = createLrs({ knex: db.knex, logger: pino({ level: 'silent' }), publicUrl: 'http://tln.test' })
    await seedDemo(lrs)
    await seedDemoOrg(db.knex)
    tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
  }, 120_000)
  afterAll(async () => {
    await db.close()
  })

  it('stores the demo config once: a second seed stores no new version', async () => {
    const before = Number(((await db.knex('competence_config').where({ tenant_id: tenantId }).max('version as v').first()) as { v: number }).v)
    await seedDemoOrg(db.knex)
    const after = Number(((await db.knex('competence_config').where({ tenant_id: tenantId }).max('version as v').first()) as { v: number }).v)
    expect(before).toBe(1)
    expect(after).toBe(1)
  }, 60_000)

  it('makes every colleague a demo teacher mentors a TLN person at her school, so the reports name them', async () => {
    const mentored = demoStatements().filter((s) => (s['verb'] as { id: string }).id === 'http://id.tincanapi.com/verb/mentored')
    expect(mentored.length).toBeGreaterThan(0)
    for (const s of mentored) {
      const { actor, object } = s as unknown as { actor: Parameters<typeof ifiKey>[0]; object: Parameters<typeof ifiKey>[0] }
      const row = (await db.knex('person_identity as pi').join('person as p', 'p.id', 'pi.person_id')
        .where({ 'pi.tenant_id': tenantId, 'pi.ifi_key': ifiKey(object)! }).first('p.name', 'p.school_id')) as { name: string; school_id: string } | undefined
      const mentor = (await db.knex('person_identity as pi').join('person as p', 'p.id', 'pi.person_id')
        .where({ 'pi.tenant_id': tenantId, 'pi.ifi_key': ifiKey(actor)! }).first('p.school_id')) as { school_id: string }
      expect(row?.name, ifiKey(object)).toMatch(/^[A-Z]/)
      expect(row!.school_id).toBe(mentor.school_id)
    }
  })

  it('projects the demo stream: every teacher placed through person_identity, ratings on PED.C.2, tiers completed (throughput logged)', async () => {
    const engine = new CompetenceEngine({ knex: db.knex })
    const started = performance.now()
    let applied = 0
    // A transaction elsewhere on a shared PostgreSQL server can hold the stream horizon back for a moment.
    while (applied < total && performance.now() - started < 60_000) applied += await engine.catchUp()
    const seconds = (performance.now() - started) / 1000
    console.log(`[competence engine ${testEngine()}] demo: ${applied} statements in ${seconds.toFixed(2)} s: ${Math.round(applied / seconds)} statements/s`)
    expect(applied).toBe(total)
    const placed = (await db.knex('learner_placement').where({ tenant_id: tenantId }).whereNotNull('person_id').count('* as n').first()) as { n: number | string }
    expect(Number(placed.n)).toBe(TEACHERS.length)
    const pedC2 = (await db.knex('competence_rating').where({ tenant_id: tenantId, code: 'PED.C.2' }).count('* as n').first()) as { n: number | string }
    expect(Number(pedC2.n)).toBeGreaterThan(TEACHERS.length / 2)
    const tiers = (await db.knex('learning_fact').where({ tenant_id: tenantId, kind: 'tier-completed' }).count('* as n').first()) as { n: number | string }
    expect(Number(tiers.n)).toBeGreaterThan(0)
    expect(formatStatus('default', await engine.status(tenantId))).toMatch(/^tenant default: current\n {2}statements applied: \d+/)
  }, 120_000)

  it('`tln competence rebuild` makes the next pass rebuild the same projections', async () => {
    const ratings = async () => (await db.knex('competence_rating').where({ tenant_id: tenantId }).orderBy(['learner_key', 'code'])).map((r: Record<string, unknown>) => [r['learner_key'], r['code'], r['rating'], r['evidence']])
    const before = await ratings()
    await requestRebuild(db.knex, tenantId)
    const engine = new CompetenceEngine({ knex: db.knex })
    await engine.runOnce()
    expect(await engine.status(tenantId)).toMatchObject({ state: 'rebuilding', rebuildTotal: total })
    await engine.catchUp()
    expect(await ratings()).toEqual(before)
  }, 120_000)
})
