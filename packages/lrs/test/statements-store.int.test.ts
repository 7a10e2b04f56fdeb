import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, PUBLIC_URL, V103, V2, type TestLrs } from './test-lrs.ts'

let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(() => t.close())

async function count(): Promise<number> {
  const row = await t.db.knex('xapi_statement').count<{ count: number }[]>('* as count').first()
  return Number(row!.count)
}

describe('storing statements (xAPI 1.0.3 Communication 2.1.1–2.1.2)', () => {
  it('PUT stores a statement under the given statementId and answers 204 (Communication 2.1.1)', async () => {
    const id = randomUUID()
    await t.http.put(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).send(aStatement()).expect(204)
    const res = await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body.id).toBe(id)
  })

  it('POST accepts one statement or an array and answers the ids in order (Communication 2.1.2)', async () => {
    const given = randomUUID()
    const one = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)
    expect(one.body).toHaveLength(1)
    const many = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([aStatement(), aStatement({ id: given })]).expect(200)
    expect(many.body).toHaveLength(2)
    expect(many.body[1]).toBe(given)
  })

  it('assigns id, stored, authority, version, and timestamp = stored when absent (Data 2.4.1, 2.4.7–2.4.10)', async () => {
    t.setNow(new Date('2026-03-01T02:03:04.567Z'))
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    const res = await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body.stored).toBe('2026-03-01T02:03:04.567Z')
    expect(res.body.timestamp).toBe('2026-03-01T02:03:04.567Z')
    expect(res.body.version).toBe('1.0.0')
    expect(res.body.authority).toMatchObject({ objectType: 'Agent', account: { homePage: PUBLIC_URL } })
    t.setNow(new Date())
  })

  it('sets version 2.0.0 on a statement without version sent under xAPI 2.0 (IEEE 9274.1.1 Data 2.4.10)', async () => {
    const [id] = (await t.http.post('/xapi/statements').set(V2).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    const res = await t.http.get(`/xapi/statements?statementId=${id}`).set(V2).set('Authorization', t.auth).expect(200)
    expect(res.body.version).toBe('2.0.0')
  })

  it('overwrites the authority a client sends with its credential (Data 2.4.9)', async () => {
    const forged = { objectType: 'Agent', mbox: 'mailto:boss@bppaud.example' }
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ authority: forged })).expect(200)).body
    const res = await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body.authority.mbox).toBeUndefined()
    expect(res.body.authority.account.homePage).toBe(PUBLIC_URL)
  })

  it('keeps one copy when the same id comes again with the same content (Communication 2.1.2)', async () => {
    const statement = aStatement({ id: randomUUID() })
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statement).expect(200)
    const before = await count()
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statement).expect(200)
    await t.http.put(`/xapi/statements?statementId=${statement.id}`).set(V103).set('Authorization', t.auth).send(statement).expect(204)
    expect(await count()).toBe(before)
  })

  it('answers 409 when an id is stored already with different content (Communication 2.1.1, Data 2.3.1)', async () => {
    const id = randomUUID()
    await t.http.put(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).send(aStatement()).expect(204)
    const res = await t.http.put(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).send(aStatement()).expect(409)
    expect(res.body.error.code).toBe('ERR_LRS_CONFLICT')
    const batch = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([aStatement(), aStatement({ id })]).expect(409)
    expect(batch.body.error.code).toBe('ERR_LRS_CONFLICT')
  })

  it('answers concurrent single-statement requests each on its own: a conflicting one 409, the others stored (Communication 2.1.1, issue 7 group commit)', async () => {
    const taken = randomUUID()
    const repeated = aStatement({ id: randomUUID() })
    await t.http.put(`/xapi/statements?statementId=${taken}`).set(V103).set('Authorization', t.auth).send(aStatement()).expect(204)
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(repeated).expect(200)
    const before = await count()
    const fresh = Array.from({ length: 12 }, () => aStatement({ id: randomUUID() }))
    const answers = await Promise.all([
      ...fresh.map((s) => t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(s)),
      t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ id: taken })),
      t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(repeated),
    ])
    expect(answers.map((a) => a.status)).toEqual([...fresh.map(() => 200), 409, 200])
    expect(answers[12]!.body.error.code).toBe('ERR_LRS_CONFLICT')
    expect(answers.slice(0, 12).map((a) => a.body[0])).toEqual(fresh.map((s) => s.id))
    expect(await count()).toBe(before + 12)
  })

  it('stores nothing of a batch with one invalid statement, and names its field (Communication 2.1.2)', async () => {
    const before = await count()
    const bad = aStatement({ verb: { id: 'not an iri' } })
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([aStatement(), bad, aStatement()]).expect(400)
    expect(res.body.error.path).toBe('[1].verb.id')
    expect(res.body.error.issues[0].rule).toBe('iri')
    expect(await count()).toBe(before)
  })

  it('rejects a batch that repeats a statement id (Communication 2.1.2)', async () => {
    const id = randomUUID()
    const before = await count()
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send([aStatement({ id }), aStatement({ id })]).expect(400)
    expect(await count()).toBe(before)
  })

  it('rejects a PUT whose statement id differs from statementId (Communication 2.1.1)', async () => {
    const res = await t.http.put(`/xapi/statements?statementId=${randomUUID()}`).set(V103).set('Authorization', t.auth).send(aStatement({ id: randomUUID() })).expect(400)
    expect(res.body.error.path).toBe('id')
  })

  it('rejects a PUT without statementId (Communication 2.1.1)', async () => {
    const res = await t.http.put('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(400)
    expect(res.body.error.path).toBe('statementId')
  })

  it('treats statement ids case-insensitively (Data 2.4.1: UUIDs)', async () => {
    const id = randomUUID()
    await t.http.put(`/xapi/statements?statementId=${id.toUpperCase()}`).set(V103).set('Authorization', t.auth).send(aStatement()).expect(204)
    const res = await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body.id).toBe(id)
  })
})

describe('voiding (xAPI 1.0.3 Data 2.3.2)', () => {
  const voiding = (target: string) =>
    aStatement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } }, object: { objectType: 'StatementRef', id: target } })

  it('hides a voided statement from statementId and returns it by voidedStatementId', async () => {
    const [target] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(voiding(target)).expect(200)
    await t.http.get(`/xapi/statements?statementId=${target}`).set(V103).set('Authorization', t.auth).expect(404)
    const res = await t.http.get(`/xapi/statements?voidedStatementId=${target}`).set(V103).set('Authorization', t.auth).expect(200)
    expect(res.body.id).toBe(target)
  })

  it('answers 404 for voidedStatementId of a statement that is not voided', async () => {
    const [id] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    await t.http.get(`/xapi/statements?voidedStatementId=${id}`).set(V103).set('Authorization', t.auth).expect(404)
  })

  it('rejects a statement that voids a voiding statement', async () => {
    const [target] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)).body
    const [voider] = (await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(voiding(target)).expect(200)).body
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(voiding(voider)).expect(400)
    expect(res.body.error.path).toBe('object.id')
    await t.http.get(`/xapi/statements?statementId=${voider}`).set(V103).set('Authorization', t.auth).expect(200)
  })

  it('treats a statement as voided when its voiding statement arrived first', async () => {
    const target = randomUUID()
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(voiding(target)).expect(200)
    await t.http.put(`/xapi/statements?statementId=${target}`).set(V103).set('Authorization', t.auth).send(aStatement()).expect(204)
    await t.http.get(`/xapi/statements?statementId=${target}`).set(V103).set('Authorization', t.auth).expect(404)
    await t.http.get(`/xapi/statements?voidedStatementId=${target}`).set(V103).set('Authorization', t.auth).expect(200)
  })
})

describe('the cost of storing a statement (issue 7)', () => {
  /** The plan nodes of an EXPLAIN (FORMAT JSON) answer, depth first. */
  function planNodes(plan: Record<string, unknown>): Array<Record<string, unknown>> {
    return [plan, ...((plan.Plans as Array<Record<string, unknown>> | undefined) ?? []).flatMap(planNodes)]
  }

  it('answers a POST with its ids as JSON and no entity tag, which means nothing on a POST answer (Communication 2.1.2; no SHA-1 per request)', async () => {
    const id = randomUUID()
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement({ id })).expect(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify([id]))))
    expect(res.headers.etag).toBeUndefined()
    expect(res.body).toEqual([id])
  })

  it('tests "voided by a stored voiding statement" (Data 2.3.2) with an index probe, not a read of every statement of the tenant', async () => {
    // The table was never analysed (as under PGlite, which has no autovacuum): the case where PostgreSQL hashed the test.
    const inserts: Array<{ sql: string; bindings: unknown[] }> = []
    const listener = (query: { sql: string; bindings?: unknown[] }) => {
      if (query.sql.includes('insert into xapi_statement ')) inserts.push({ sql: query.sql, bindings: query.bindings ?? [] })
    }
    t.db.knex.on('query', listener)
    try {
      await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(aStatement()).expect(200)
    } finally {
      t.db.knex.off('query', listener)
    }
    expect(inserts).toHaveLength(1)
    // EXPLAIN without ANALYZE plans the INSERT and runs nothing.
    const { sql, bindings } = inserts[0]!
    const explained = (await t.db.knex.raw(`explain (format json) ${sql.replace(/\$\d+/g, '?')}`, bindings as never[])) as { rows: Array<{ 'QUERY PLAN': unknown }> }
    const raw = explained.rows[0]!['QUERY PLAN']
    const [root] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: Record<string, unknown> }>
    const voidedTest = planNodes(root!.Plan).filter((node) => node['Relation Name'] === 'xapi_statement' && node.Alias === 'v')
    expect(voidedTest).toHaveLength(1)
    expect(voidedTest[0]).toMatchObject({ 'Node Type': 'Index Scan', 'Index Name': 'xapi_statement_by_target' })
  })
})
