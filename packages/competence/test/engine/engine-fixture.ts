/**
 * A fresh database of the current test engine with the LRS on it, tenants, and a way to store
 * statements through the LRS (validated, as any client's) and to read the projections back.
 */
import type { Db, Knex } from '@tln/db'
import { createTestDb, waitForHorizon } from '@tln/db/testing'
import { createLrs, type Credential, type Lrs } from '@tln/lrs'
import { validateStatement } from '@tln/xapi'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'
import { TEST_CONFIG, type Raw } from './statements.ts'

export interface EngineFixture {
  readonly db: Db
  readonly knex: Knex
  readonly lrs: Lrs
  /** The id of tenant `slug`, created when missing. */
  tenant(slug: string): Promise<string>
  /** The id of tenant `slug`, created when missing, with `TEST_CONFIG` put as its configuration. */
  tenantWithConfig(slug: string): Promise<string>
  /** A new engine (default page size unless given) applies everything stored; answers how many statements. */
  catchUp(pageSize?: number): Promise<number>
  /** Stores statements in one batch (one transaction) under the tenant. */
  store(slug: string, statements: readonly Raw[]): Promise<void>
  close(): Promise<void>
}

const silent = { debug: () => {}, error: (object: object) => console.error(object) }

export async function createEngineFixture(): Promise<EngineFixture> {
  const db = await createTestDb()
  const lrs = createLrs({ knex: db.knex, logger: silent, publicUrl: 'http://lrs.test' })
  const credentials = new Map<string, Credential>()
  const tenant = async (slug: string): Promise<string> => {
    await db.knex('tenant').insert({ slug, name: slug }).onConflict('slug').ignore()
    return ((await db.knex('tenant').where({ slug }).first()) as { id: string }).id
  }
  const credentialOf = async (slug: string): Promise<Credential> => {
    const known = credentials.get(slug)
    if (known !== undefined) return known
    await tenant(slug)
    const { credential } = await lrs.credentials.create({ tenant: slug, scopes: ['all'] })
    credentials.set(slug, credential)
    return credential
  }
  return {
    db, knex: db.knex, lrs, tenant,
    tenantWithConfig: async (slug) => {
      const id = await tenant(slug)
      await new CompetenceConfigStore(db.knex).put(id, TEST_CONFIG, 'test')
      return id
    },
    catchUp: (pageSize) => new CompetenceEngine({ knex: db.knex, ...(pageSize !== undefined && { pageSize }) }).catchUp(),
    store: async (slug, statements) => {
      const credential = await credentialOf(slug)
      const valid = statements.map((s) => validateStatement(structuredClone(s), { version: '1.0.3' }))
      await lrs.statements.storeStatements({ tenantId: credential.tenantId, credential, version: '1.0.3' }, valid)
      await waitForHorizon(db.knex)
    },
    close: () => db.close(),
  }
}

/** Moved to `@tln/db/testing`; re-exported for the engine tests that import it from here. */
export { waitForHorizon }

/** Everything the engine projected for a tenant, without tenant ids and write times, in a stable order. */
/** A projection row as read back (dates as ISO strings); loosely typed for terse assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>

export interface Projections {
  evidence: Row[]
  ratings: Row[]
  facts: Row[]
  learners: Row[]
  months: Row[]
}

export async function projections(knex: Knex, tenantId: string): Promise<Projections> {
  const iso = (rows: Array<Record<string, unknown>>) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])))
  const q = async (sql: string) => iso(((await knex.raw(sql, [tenantId])) as { rows: Array<Record<string, unknown>> }).rows)
  return {
    evidence: await q('select statement_id, indicator, learner_key, source, score, at, weight, rule, voided from competence_evidence where tenant_id = ? order by statement_id, indicator'),
    ratings: await q('select learner_key, code, level, rating, proficient, method, config_version, evidence from competence_rating where tenant_id = ? order by learner_key, code'),
    facts: await q('select statement_id, learner_key, kind, verb, object_id, object_type, object_name, program_id, tier_id, parent_id, related_key, at, stored, score, success, completion, duration_seconds, voided from learning_fact where tenant_id = ? order by statement_id'),
    learners: await q('select learner_key, name, npsn, kecamatan_iri, first_at, last_at from competence_learner where tenant_id = ? order by learner_key'),
    months: await q(`select learner_key, to_char(month, 'YYYY-MM') as month, statements from learner_month where tenant_id = ? order by learner_key, month`),
  }
}
