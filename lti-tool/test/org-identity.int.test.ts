import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { ifiKey } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrgStore } from '../src/org/org-store.ts'

let db: Db
let org: OrgStore
let tenantId: string

beforeAll(async () => {
  db = await createTestDb()
  org = new OrgStore(db.knex)
  tenantId = await org.tenantId('default')
})
afterAll(async () => {
  await db.close()
})

const identities = async (personId: string) =>
  ((await db.knex('person_identity').where({ tenant_id: tenantId, person_id: personId }).orderBy('ifi_key')) as Array<{ ifi_key: string }>).map((r) => r.ifi_key)

describe(`person identities for the competence reports on ${testEngine()} (learner_placement)`, () => {
  it('links a person to the xAPI mbox of their e-mail (xAPI 1.0.3 Data 2.4.2.3, mbox "mailto:" IRI) on upsert', async () => {
    const person = await org.upsertPerson(tenantId, { name: 'Baiq Nurul', email: 'Baiq.Nurul@PAUD.example' })
    expect(await identities(person.id)).toEqual([ifiKey({ mbox: 'mailto:Baiq.Nurul@PAUD.example' })])
    await org.upsertPerson(tenantId, { name: 'Baiq Nurul', email: 'Baiq.Nurul@PAUD.example' })
    expect(await identities(person.id)).toHaveLength(1)
  })

  it('links another actor (an e-training account) with linkIdentity, and moves an identity linked to someone else', async () => {
    const a = await org.upsertPerson(tenantId, { name: 'Lalu A', externalId: 'guru-a' })
    const b = await org.upsertPerson(tenantId, { name: 'Lalu B', externalId: 'guru-b' })
    const account = ifiKey({ account: { homePage: 'https://elearning.bppaudntb.example', name: 'guru-a' } })!
    await org.linkIdentity(tenantId, a.id, account)
    expect(await identities(a.id)).toEqual([account])
    await org.linkIdentity(tenantId, b.id, account)
    expect(await identities(a.id)).toEqual([])
    expect(await identities(b.id)).toEqual([account])
  })
})
