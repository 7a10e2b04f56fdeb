import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, V2, type TestLrs } from '../test-lrs.ts'

/**
 * UU 27/2022 (Personal Data Protection) and issue 7 ("an audit log of who pulled or exported whose
 * records"): every read that names a person leaves one `access_audit` row, written before the
 * answer goes out.
 */
let t: TestLrs
const SITI = { objectType: 'Agent', name: 'Siti Aminah', mbox: 'mailto:siti.aminah@paud.example' }
const SITI_IFI = 'mbox:mailto:siti.aminah@paud.example'
const ACTIVITY = 'https://tln.example/activities/rpph/audit'

beforeAll(async () => {
  t = await createTestLrs()
  const statements = [...Array.from({ length: 3 }, () => aStatement({ actor: SITI })), aStatement()]
  expect((await t.http.post('/xapi/statements').set(V2).set('Authorization', t.auth).send(statements)).status).toBe(200)
  const agent = encodeURIComponent(JSON.stringify(SITI))
  expect((await t.http.put(`/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&agent=${agent}&stateId=draft`).set(V2).set('Authorization', t.auth).send({ step: 2 })).status).toBe(204)
  expect((await t.http.put(`/xapi/agents/profile?agent=${agent}&profileId=prefs`).set(V2).set('Authorization', t.auth).send({ lang: 'id' })).status).toBe(204)
})
afterAll(async () => {
  await t.close()
})

async function auditRows(): Promise<Array<Record<string, unknown>>> {
  return (await t.db.knex('access_audit').orderBy('id')) as Array<Record<string, unknown>>
}

async function newRows<T>(action: () => Promise<T>): Promise<{ result: T; rows: Array<Record<string, unknown>> }> {
  const before = (await auditRows()).length
  const result = await action()
  return { result, rows: (await auditRows()).slice(before) }
}

const agentParam = `agent=${encodeURIComponent(JSON.stringify(SITI))}`

describe(`the access audit on ${testEngine()}`, () => {
  it('records who read statements filtered by agent, about whom, with what query, how many, from where', async () => {
    const { result, rows } = await newRows(() => t.http.get(`/xapi/statements?${agentParam}`).set(V2).set('Authorization', t.auth))
    expect(result.status).toBe(200)
    expect(rows).toHaveLength(1)
    const credential = (await t.db.knex('lrs_credential').first('id', 'api_key')) as { id: string; api_key: string }
    expect(rows[0]).toMatchObject({
      actor_kind: 'credential',
      actor_id: credential.id,
      actor_label: credential.api_key,
      resource: 'statements',
      agent_ifi: SITI_IFI,
      query: { agent: JSON.stringify(SITI) },
      records: 3,
    })
    expect(String(rows[0]!.address)).toMatch(/127\.0\.0\.1|::1/)
    expect(rows[0]!.at).toBeInstanceOf(Date)
  })

  it('records each more page of an agent query, with the original parameters and not the token', async () => {
    const first = await t.http.get(`/xapi/statements?${agentParam}&limit=2`).set(V2).set('Authorization', t.auth)
    const more = first.body.more as string
    expect(more).not.toBe('')
    const { result, rows } = await newRows(() => t.http.get(more).set(V2).set('Authorization', t.auth))
    expect(result.status).toBe(200)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ resource: 'statements', agent_ifi: SITI_IFI, records: 1 })
    expect(rows[0]!.query).toMatchObject({ agent: JSON.stringify(SITI), limit: '2' })
    expect(rows[0]!.query).not.toHaveProperty('more')
  })

  it('does not record a statement query that names nobody', async () => {
    const { rows } = await newRows(() => t.http.get('/xapi/statements?limit=2').set(V2).set('Authorization', t.auth))
    expect(rows).toHaveLength(0)
  })

  it('records reads of State documents kept under an agent, single and listed', async () => {
    const base = `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&${agentParam}`
    const { rows } = await newRows(async () => {
      expect((await t.http.get(`${base}&stateId=draft`).set(V2).set('Authorization', t.auth)).status).toBe(200)
      expect((await t.http.get(base).set(V2).set('Authorization', t.auth)).status).toBe(200)
    })
    expect(rows.map((r) => [r.resource, r.agent_ifi, r.records])).toEqual([
      ['state', SITI_IFI, 1],
      ['state', SITI_IFI, 1],
    ])
  })

  it('records reads of Agent Profile documents and of the Person object', async () => {
    const { rows } = await newRows(async () => {
      expect((await t.http.get(`/xapi/agents/profile?${agentParam}&profileId=prefs`).set(V2).set('Authorization', t.auth)).status).toBe(200)
      expect((await t.http.get(`/xapi/agents?${agentParam}`).set(V2).set('Authorization', t.auth)).status).toBe(200)
    })
    expect(rows.map((r) => [r.resource, r.agent_ifi, r.records])).toEqual([
      ['agent-profile', SITI_IFI, 1],
      ['agents', SITI_IFI, 1],
    ])
  })

  it('does not record writes, nor reads of Activity Profiles (they name no person)', async () => {
    const { rows } = await newRows(async () => {
      const agent = encodeURIComponent(JSON.stringify(SITI))
      expect((await t.http.put(`/xapi/agents/profile?agent=${agent}&profileId=other`).set(V2).set('Authorization', t.auth).send({ a: 1 })).status).toBe(204)
      expect((await t.http.get(`/xapi/activities/profile?activityId=${encodeURIComponent(ACTIVITY)}`).set(V2).set('Authorization', t.auth)).status).toBe(200)
    })
    expect(rows).toHaveLength(0)
  })

  it('lists the rows of one person since a time, newest first (AccessAudit.list)', async () => {
    const all = await t.lrs.audit.list({ agentIfi: SITI_IFI })
    expect(all.length).toBeGreaterThanOrEqual(5)
    expect(all.every((row) => row.agentIfi === SITI_IFI && row.tenant === 'default')).toBe(true)
    expect(all[0]!.id).toBeGreaterThan(all[1]!.id)
    expect(await t.lrs.audit.list({ agentIfi: SITI_IFI, since: new Date(Date.now() + 60_000) })).toEqual([])
    expect(await t.lrs.audit.list({ agentIfi: 'mbox:mailto:nobody@paud.example' })).toEqual([])
  })
})
