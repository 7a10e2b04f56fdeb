import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestLrs, listen, type TestLrs } from '../../packages/lrs/test/test-lrs.ts'

/**
 * TinCanJS (Rustici Software's xAPI library, `tincanjs` on npm, Node build over xhr2) against
 * the running LRS over real HTTP: statements (save, query, page with more) and State documents.
 * TinCanJS speaks xAPI up to 1.0.2, which a 1.0.3 LRS accepts as 1.0.x (Communication 3.3).
 */
interface TinCanLrs {
  saveStatement(statement: unknown, cfg: { callback(err: unknown, xhr: { status: number }): void }): void
  saveStatements(statements: unknown[], cfg: { callback(err: unknown, xhr: { status: number; responseText: string }): void }): void
  retrieveStatement(id: string, cfg: { callback(err: unknown, statement: { id: string; verb: { id: string } } | null): void }): void
  queryStatements(cfg: { params: Record<string, unknown>; callback(err: unknown, result: StatementsResult): void }): void
  moreStatements(cfg: { url: string; callback(err: unknown, result: StatementsResult): void }): void
  saveState(key: string, value: unknown, cfg: { activity: unknown; agent: unknown; registration?: string; contentType?: string; lastSHA1?: string; callback(err: unknown, xhr: { status: number }): void }): void
  retrieveState(key: string, cfg: { activity: unknown; agent: unknown; registration?: string; callback(err: unknown, state: { contents: unknown; etag: string } | null): void }): void
}
interface StatementsResult {
  statements: Array<{ id: string }>
  more: string | null
}
interface TinCanModule {
  LRS: new (cfg: { endpoint: string; username: string; password: string; version: string; allowFail: boolean }) => TinCanLrs
  Statement: new (cfg: Record<string, unknown>, options?: { doStamp?: boolean }) => { id: string }
  Agent: new (cfg: Record<string, unknown>) => unknown
  Activity: new (cfg: Record<string, unknown>) => unknown
  Verb: new (cfg: Record<string, unknown>) => unknown
  DEBUG: boolean
}
const TinCan = createRequire(import.meta.url)('tincanjs') as TinCanModule

let t: TestLrs
let stop: () => Promise<void>
let lrs: TinCanLrs

beforeAll(async () => {
  t = await createTestLrs({ maxLimit: 10 })
  const listening = await listen(t)
  stop = listening.stop
  const port = new URL(listening.base).port
  const { credential, secret } = await t.lrs.credentials.create({ scopes: ['all'], label: 'tincanjs interop' })
  lrs = new TinCan.LRS({ endpoint: `http://127.0.0.1:${port}/xapi/`, username: credential.key, password: secret, version: '1.0.2', allowFail: false })
})

afterAll(async () => {
  await stop()
  await t.close()
})

/** Calls a TinCanJS method with a node-style callback and resolves its result. */
function call<T>(run: (callback: (err: unknown, result: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((err, result) => (err !== null && err !== undefined ? reject(new Error(`TinCanJS: ${String(err)}`)) : resolve(result))))
}

const actor = { mbox: 'mailto:lale.sumiati@paud.example', name: 'Lale Sumiati' }
const verb = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } }
const module = (n: number) => ({ id: `https://tln.example/xapi/activities/module/${n}`, definition: { name: { 'id-ID': `Modul ${n}` } } })

describe('tincanjs against TLN', () => {
  it('saves a statement and retrieves it by id', async () => {
    const statement = new TinCan.Statement({ actor: new TinCan.Agent(actor), verb: new TinCan.Verb(verb), target: new TinCan.Activity(module(1)) })
    const xhr = await call<{ status: number }>((cb) => lrs.saveStatement(statement, { callback: cb }))
    expect(xhr.status).toBe(204)
    const got = await call<{ id: string; verb: { id: string } } | null>((cb) => lrs.retrieveStatement(statement.id, { callback: cb }))
    expect(got?.id).toBe(statement.id)
    expect(got?.verb.id).toBe(verb.id)
  })

  it('saves a batch, queries by agent and verb and follows more to the end', async () => {
    const statements = Array.from({ length: 24 }, (_, i) => new TinCan.Statement({ actor: new TinCan.Agent(actor), verb: new TinCan.Verb(verb), target: new TinCan.Activity(module(100 + i)) }))
    const saved = await call<{ status: number }>((cb) => lrs.saveStatements(statements, { callback: cb }))
    expect(saved.status).toBe(200)
    const ids: string[] = []
    let page = await call<StatementsResult>((cb) => lrs.queryStatements({ params: { agent: new TinCan.Agent(actor), verb: new TinCan.Verb(verb), limit: 10 }, callback: cb }))
    ids.push(...page.statements.map((s) => s.id))
    while (page.more !== null && page.more !== '') {
      const more = page.more
      page = await call<StatementsResult>((cb) => lrs.moreStatements({ url: more, callback: cb }))
      ids.push(...page.statements.map((s) => s.id))
    }
    expect(ids).toHaveLength(25)
    expect(new Set(ids).size).toBe(25)
    for (const s of statements) expect(ids).toContain(s.id)
  })

  it('saves State, reads it back, and updates it with the ETag it got', async () => {
    const where = { activity: new TinCan.Activity(module(1)), agent: new TinCan.Agent(actor), registration: '75dc8c86-41ce-5f65-a717-396f02a06a34' }
    const put = await call<{ status: number }>((cb) => lrs.saveState('bookmark', { page: 3 }, { ...where, contentType: 'application/json', callback: cb }))
    expect(put.status).toBe(204)
    const state = await call<{ contents: unknown; etag: string } | null>((cb) => lrs.retrieveState('bookmark', { ...where, callback: cb }))
    expect(state?.contents).toEqual({ page: 3 })
    const updated = await call<{ status: number }>((cb) => lrs.saveState('bookmark', { page: 4 }, { ...where, contentType: 'application/json', lastSHA1: state!.etag, callback: cb }))
    expect(updated.status).toBe(204)
    const again = await call<{ contents: unknown; etag: string } | null>((cb) => lrs.retrieveState('bookmark', { ...where, callback: cb }))
    expect(again?.contents).toEqual({ page: 4 })
  })
})
