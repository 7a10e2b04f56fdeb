import { randomUUID } from 'node:crypto'
import type { Knex } from '@tln/db'
import { ifiKey } from '@tln/xapi'
import type { SchoolRow, TeacherRow } from './import-rows.ts'

/**
 * The writes of a checked organisation import, a few set-based statements per file instead of
 * several per row (docs/performance-notes.md, "Organisation import at district scale": 5,000
 * teachers were 30,000 statements). Arrays go in as `unnest` parameters, so a statement's size does
 * not grow its parameter count. The learner-school triggers (migration 20261130000100) are row
 * triggers: PostgreSQL fires them once per row of a multi-row statement, as for one-row ones.
 * What each row means is the same as `OrgStore.upsertNode`, `upsertPerson`, `linkIdentity`,
 * `revokeRole` and `grant` applied row after row.
 */

/**
 * Create or update the file's schools by NPSN under their kecamatan. `existing`: NPSN → id of the
 * schools the transaction read. A school is a leaf of the tree, so moving one rewrites its own path
 * only. Should another import have created an NPSN since it was read, the conflict updates that row
 * and its path is built from its own id.
 */
export async function writeSchools(trx: Knex.Transaction, tenantId: string, rows: readonly SchoolRow[], existing: ReadonlyMap<string, string>): Promise<void> {
  if (rows.length === 0) return
  await trx.raw(
    `insert into org_node (id, tenant_id, parent_id, kind, code, name, school_type, path)
     select u.id, k.tenant_id, k.id, 'school', u.code, u.name, u.school_type, k.path || u.id || '/'
       from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[]) as u(id, parent_id, code, name, school_type)
       join org_node k on k.id = u.parent_id and k.tenant_id = ? and k.kind = 'kecamatan'
     on conflict (tenant_id, kind, code) do update set
       parent_id = excluded.parent_id, name = excluded.name, school_type = excluded.school_type, updated_at = now(),
       path = (select k.path from org_node k where k.id = excluded.parent_id) || org_node.id || '/'`,
    [
      rows.map((r) => existing.get(r.npsn) ?? randomUUID()), rows.map((r) => r.kecamatanId), rows.map((r) => r.npsn),
      rows.map((r) => r.name), rows.map((r) => r.type), tenantId,
    ],
  )
}

/** A stored person an import row may match: by `externalId`, else by e-mail. */
export interface KnownPerson {
  readonly id: string
  readonly externalId: string | null
  readonly email: string | null
}

/** One person a teachers file writes: its last row's values; `undefined` fields keep the stored value. */
export interface PersonWrite {
  readonly id: string
  name: string
  schoolId: string
  email?: string
  phone?: string
  externalId?: string
}

export interface TeacherPlan {
  /** People the file creates, in file order. */
  readonly created: readonly PersonWrite[]
  /** Stored people the file updates. */
  readonly updated: readonly PersonWrite[]
  /** xAPI `mbox` IFI key → the person it now names (statements by that address are theirs). */
  readonly identities: ReadonlyMap<string, string>
}

/** The stored people a teachers file can match (by `id` or e-mail), oldest first like a heap scan. */
export async function knownPeople(db: Knex | Knex.Transaction, tenantId: string, rows: readonly TeacherRow[]): Promise<KnownPerson[]> {
  const ids = rows.flatMap((r) => (r.externalId === undefined ? [] : [r.externalId]))
  const emails = rows.flatMap((r) => (r.email === undefined ? [] : [r.email.toLowerCase()]))
  if (ids.length === 0 && emails.length === 0) return []
  const found = await db.raw(
    `select id, external_id, email from person
      where tenant_id = ? and (external_id = any(?::text[]) or lower(email) = any(?::text[]))
      order by created_at, id`,
    [tenantId, ids, emails],
  )
  return (found.rows as Array<{ id: string; external_id: string | null; email: string | null }>).map((p) => ({ id: p.id, externalId: p.external_id, email: p.email }))
}

/**
 * What a checked teachers file writes, decided row after row as the one-row-at-a-time import did:
 * a row with `id` matches the person with that external id, a row without one the (oldest) person
 * with its e-mail, case-insensitively; no match creates a person. A person matched by two rows
 * (one by id, one by their e-mail) gets the later row's values, each field given replacing the
 * earlier one. Pure: `known` comes from `knownPeople`, read in the writing transaction.
 */
export function planTeachers(rows: readonly TeacherRow[], known: readonly KnownPerson[], newId: () => string = randomUUID): TeacherPlan {
  const byExternalId = new Map<string, PersonWrite>()
  const byEmail = new Map<string, PersonWrite[]>()
  const emailOf = new Map<PersonWrite, string>()
  const setEmail = (person: PersonWrite, email: string | null) => {
    const before = emailOf.get(person)
    if (before !== undefined) byEmail.set(before, byEmail.get(before)!.filter((p) => p !== person))
    if (email === null) return
    const key = email.toLowerCase()
    emailOf.set(person, key)
    byEmail.set(key, [...(byEmail.get(key) ?? []), person])
  }
  const updated = new Set<PersonWrite>()
  for (const k of known) {
    const person: PersonWrite = { id: k.id, name: '', schoolId: '' }
    if (k.externalId !== null) byExternalId.set(k.externalId, person)
    setEmail(person, k.email)
  }
  const created: PersonWrite[] = []
  const isNew = new Set<PersonWrite>()
  const identities = new Map<string, string>()
  for (const r of rows) {
    let person = r.externalId !== undefined ? byExternalId.get(r.externalId) : r.email !== undefined ? byEmail.get(r.email.toLowerCase())?.[0] : undefined
    if (person === undefined) {
      person = { id: newId(), name: r.name, schoolId: r.schoolId }
      created.push(person)
      isNew.add(person)
    } else if (!isNew.has(person)) {
      updated.add(person)
    }
    person.name = r.name
    person.schoolId = r.schoolId
    if (r.email !== undefined) {
      person.email = r.email
      setEmail(person, r.email)
      identities.set(ifiKey({ mbox: `mailto:${r.email}` })!, person.id)
    }
    if (r.phone !== undefined) person.phone = r.phone
    if (r.externalId !== undefined) {
      person.externalId = r.externalId
      byExternalId.set(r.externalId, person)
    }
  }
  return { created, updated: [...updated], identities }
}

/**
 * Store a plan in the importing transaction: people, then their e-mail identities (so the
 * learner-school triggers read the people's new schools), then the `teacher` grant on their school
 * and no other. A grant already on the right school is kept; a moved teacher's old one is removed.
 * An identity that already names its person is not rewritten.
 */
export async function writeTeachers(trx: Knex.Transaction, tenantId: string, plan: TeacherPlan): Promise<void> {
  const columns = (people: readonly PersonWrite[]): Knex.Value[] => [
    people.map((p) => p.id), people.map((p) => p.name), nullable(people.map((p) => p.email ?? null)), nullable(people.map((p) => p.phone ?? null)),
    people.map((p) => p.schoolId), nullable(people.map((p) => p.externalId ?? null)),
  ]
  const unnestPeople = 'unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::text[]) as u(id, name, email, phone, school_id, external_id)'
  if (plan.created.length > 0) {
    await trx.raw(
      `insert into person (id, tenant_id, name, email, phone, school_id, external_id)
       select u.id, ?, u.name, u.email, u.phone, u.school_id, u.external_id from ${unnestPeople}`,
      [tenantId, ...columns(plan.created)],
    )
  }
  if (plan.updated.length > 0) {
    await trx.raw(
      `update person p set name = u.name, email = coalesce(u.email, p.email), phone = coalesce(u.phone, p.phone),
              school_id = u.school_id, external_id = coalesce(u.external_id, p.external_id), updated_at = now()
         from ${unnestPeople}
        where p.tenant_id = ? and p.id = u.id`,
      [...columns(plan.updated), tenantId],
    )
  }
  if (plan.identities.size > 0) {
    await trx.raw(
      `insert into person_identity (tenant_id, ifi_key, person_id)
       select ?, u.ifi_key, u.person_id from unnest(?::text[], ?::uuid[]) as u(ifi_key, person_id)
       on conflict (tenant_id, ifi_key) do update set person_id = excluded.person_id
         where person_identity.person_id is distinct from excluded.person_id`,
      [tenantId, [...plan.identities.keys()], [...plan.identities.values()]],
    )
  }
  const grants = (people: readonly PersonWrite[]) => [people.map((p) => p.id), people.map((p) => p.schoolId)]
  if (plan.updated.length > 0) {
    await trx.raw(
      `delete from person_grant g using unnest(?::uuid[], ?::uuid[]) as u(person_id, node_id)
        where g.tenant_id = ? and g.role = 'teacher' and g.person_id = u.person_id and g.node_id is distinct from u.node_id`,
      [...grants(plan.updated), tenantId],
    )
  }
  await trx.raw(
    `insert into person_grant (tenant_id, person_id, role, node_id)
     select ?, u.person_id, 'teacher', u.node_id from unnest(?::uuid[], ?::uuid[]) as u(person_id, node_id)
     on conflict (person_id, role, coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid)) do nothing`,
    [tenantId, ...grants([...plan.created, ...plan.updated])],
  )
}

/** An array parameter with SQL NULL elements (both drivers send them as NULL; knex's types only know arrays without null). */
function nullable(values: Array<string | null>): Knex.Value {
  return values as unknown as Knex.Value
}
