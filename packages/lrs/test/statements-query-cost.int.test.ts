import { randomUUID } from 'node:crypto'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V103, type TestLrs } from './test-lrs.ts'

/**
 * What one page of `GET /xapi/statements` costs the database (issue 7: agent + verb p95 < 10 ms at
 * 1,000,000 statements): one SQL statement reads the page, its snapshot bound for the `more` token
 * and, for a read that names a person, writes its access audit row (UU 27/2022). Each round trip
 * more is a wake-up of the database and of the server, which under load cost more than the page.
 */
let t: TestLrs
beforeAll(async () => {
  t = await createTestLrs()
})
afterAll(() => t.close())

const who = { objectType: 'Agent', mbox: `mailto:q-${randomUUID()}@paud.example` }
const verb = `https://tln.example/test/${randomUUID()}`
const agentQuery = `/xapi/statements?agent=${encodeURIComponent(JSON.stringify(who))}&verb=${encodeURIComponent(verb)}&limit=2`

/** The SQL statements the server sends while `action` runs, without the credential check. */
async function statementsSent<T>(action: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const sql: string[] = []
  const listener = (query: { sql: string }) => {
    if (!/lrs_credential/.test(query.sql)) sql.push(query.sql)
  }
  t.db.knex.on('query', listener)
  try {
    return { result: await action(), sql }
  } finally {
    t.db.knex.off('query', listener)
  }
}

describe(`one SQL statement per page of GET /statements on ${testEngine()}`, () => {
  beforeAll(async () => {
    const statements = Array.from({ length: 3 }, () => aStatement({ actor: who, verb: { id: verb } }))
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statements).expect(200)
  })

  it('reads a first page and its snapshot bound for more (Communication 2.1.3, StatementResult) in one statement', async () => {
    const { result, sql } = await statementsSent(() => t.http.get(`/xapi/statements?verb=${encodeURIComponent(verb)}&limit=2`).set(V103).set('Authorization', t.auth).expect(200))
    expect(sql).toHaveLength(1)
    expect(result.body.statements).toHaveLength(2)
    expect(result.body.more).toMatch(/^\/xapi\/statements\?more=/)
  })

  it('reads a page of one person and writes its access audit row in one statement, with the count served', async () => {
    const before = Number(((await t.db.knex('access_audit').count('* as n').first()) as { n: string | number }).n)
    const { result, sql } = await statementsSent(() => t.http.get(agentQuery).set(V103).set('Authorization', t.auth).expect(200))
    expect(sql).toHaveLength(1)
    expect(sql[0]).toMatch(/insert into access_audit/)
    expect(result.body.statements).toHaveLength(2)
    const rows = (await t.db.knex('access_audit').orderBy('id').offset(before)) as Array<{ records: number; resource: string }>
    expect(rows.map((r) => [r.resource, r.records])).toEqual([['statements', 2]])
  })

  it('follows more to the last page in one statement per page, auditing each with its own count', async () => {
    const first = await t.http.get(agentQuery).set(V103).set('Authorization', t.auth).expect(200)
    const before = Number(((await t.db.knex('access_audit').count('* as n').first()) as { n: string | number }).n)
    const { result, sql } = await statementsSent(() => t.http.get(first.body.more).set(V103).set('Authorization', t.auth).expect(200))
    expect(sql).toHaveLength(1)
    expect(result.body).toMatchObject({ more: '' })
    expect(result.body.statements).toHaveLength(1)
    const rows = (await t.db.knex('access_audit').orderBy('id').offset(before)) as Array<{ records: number }>
    expect(rows.map((r) => r.records)).toEqual([1])
  })

  it('fails a read that names a person, and sends none of its statements, when its audit row cannot be written', async () => {
    await t.db.knex.raw('alter table access_audit add constraint q_refuse_rows check (records < 0) not valid')
    try {
      const res = await t.http.get(agentQuery).set(V103).set('Authorization', t.auth)
      expect(res.status).toBe(500)
      expect(JSON.stringify(res.body)).not.toContain(who.mbox)
    } finally {
      await t.db.knex.raw('alter table access_audit drop constraint q_refuse_rows')
    }
    await t.http.get(agentQuery).set(V103).set('Authorization', t.auth).expect(200)
  })
})
