import { randomUUID } from 'node:crypto'
import type { Knex } from '@tln/db'
import { ifiKey } from '@tln/xapi'
import { LtiToolError } from '../errors.ts'
import { slugOf } from './import-rows.ts'
import { PARENT_KIND, type Grant, type GrantRole, type NodeKind, type OrgNode, type Person, type SchoolType } from './org-types.ts'

type Db = Knex | Knex.Transaction

interface NodeRow { id: string; tenant_id: string; parent_id: string | null; kind: NodeKind; code: string; name: string; school_type: SchoolType | null; path: string }
interface PersonRow { id: string; tenant_id: string; name: string; email: string | null; phone: string | null; school_id: string | null; external_id: string | null; lti_issuer: string | null; lti_sub: string | null }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu

/** Is `value` shaped like a UUID (so PostgreSQL will not fail on it)? */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}

export function toNode(row: NodeRow): OrgNode {
  return {
    id: row.id, tenantId: row.tenant_id, kind: row.kind, code: row.code, name: row.name, path: row.path,
    ...(row.parent_id !== null && { parentId: row.parent_id }), ...(row.school_type !== null && { schoolType: row.school_type }),
  }
}

function toPerson(row: PersonRow): Person {
  return {
    id: row.id, tenantId: row.tenant_id, name: row.name,
    ...(row.email !== null && { email: row.email }), ...(row.phone !== null && { phone: row.phone }),
    ...(row.school_id !== null && { schoolId: row.school_id }), ...(row.external_id !== null && { externalId: row.external_id }),
    ...(row.lti_issuer !== null && row.lti_sub !== null && { lti: { issuer: row.lti_issuer, sub: row.lti_sub } }),
  }
}

export interface NewNode {
  readonly kind: NodeKind
  readonly code: string
  readonly name: string
  readonly parentId?: string
  readonly schoolType?: SchoolType
}

export interface NewPerson {
  readonly name: string
  readonly email?: string
  readonly phone?: string
  readonly schoolId?: string
  /** The person's id elsewhere (e-training app, a roster); the key of repeated imports. */
  readonly externalId?: string
  readonly lti?: { readonly issuer: string; readonly sub: string }
}

/**
 * The organisation tree, people and grants in PostgreSQL (`org_node`, `person`, `person_grant`).
 * Every method takes the tenant and every query filters on it (ARCHITECTURE.md: tenancy is
 * enforced in the query layer), so an id of another tenant is simply not found.
 */
export class OrgStore {
  constructor(private readonly knex: Knex) {}

  /** The tenant id of a slug. @throws LtiToolError `ERR_TOOL_NOT_FOUND` */
  async tenantId(slug: string, db: Db = this.knex): Promise<string> {
    const row = (await db('tenant').select('id').where({ slug }).first()) as { id: string } | undefined
    if (row === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `tenant ${slug} does not exist`)
    return row.id
  }

  /** A node of the tenant, or undefined (also for another tenant's id and for a malformed id). */
  async node(tenantId: string, id: string, db: Db = this.knex): Promise<OrgNode | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await db('org_node').where({ tenant_id: tenantId, id }).first()) as NodeRow | undefined
    return row === undefined ? undefined : toNode(row)
  }

  /** The names of these nodes of the tenant, by id, in one query; other tenants' and malformed ids are left out. */
  async nodeNames(tenantId: string, ids: readonly string[], db: Db = this.knex): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)].filter(isUuid)
    if (wanted.length === 0) return new Map()
    const rows = (await db('org_node').select('id', 'name').where({ tenant_id: tenantId }).whereIn('id', wanted)) as Array<{ id: string; name: string }>
    return new Map(rows.map((r) => [r.id, r.name]))
  }

  /** Nodes of the tenant, optionally of one kind and/or below (or at) a node, ordered by kind and name. */
  async nodes(tenantId: string, filter: { kind?: NodeKind; under?: OrgNode } = {}, db: Db = this.knex): Promise<OrgNode[]> {
    const q = db('org_node').where({ tenant_id: tenantId })
    if (filter.kind !== undefined) q.andWhere({ kind: filter.kind })
    if (filter.under !== undefined) q.andWhere('path', 'like', `${filter.under.path}%`)
    return ((await q.orderBy(['kind', 'name'])) as NodeRow[]).map(toNode)
  }

  /**
   * A node by reference, as an operator types it: its code (Kemendagri code, NPSN), or its name
   * or slug when that names one node only.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND` when nothing or several nodes match
   */
  async findByRef(tenantId: string, ref: string, db: Db = this.knex): Promise<OrgNode> {
    const byCode = (await db('org_node').where({ tenant_id: tenantId, code: ref })) as NodeRow[]
    const matches = byCode.length > 0 ? byCode : ((await db('org_node').where({ tenant_id: tenantId })) as NodeRow[]).filter((r) => slugOf(r.name) === slugOf(ref))
    if (matches.length !== 1) throw new LtiToolError('ERR_TOOL_NOT_FOUND', matches.length === 0 ? `no organisation node "${ref}"` : `"${ref}" names ${matches.length} nodes; use a code`)
    return toNode(matches[0]!)
  }

  /**
   * Create or update a node by (tenant, kind, code). The parent must be of the kind above and of
   * the same tenant. Moving a node rewrites the paths of its subtree in the same statement set.
   * @throws TypeError when the parent does not fit (a caller's mistake); LtiToolError `ERR_TOOL_NOT_FOUND` for an unknown parent
   */
  async upsertNode(tenantId: string, input: NewNode, db: Db = this.knex): Promise<OrgNode> {
    const parentKind = PARENT_KIND[input.kind]
    if ((parentKind === undefined) !== (input.parentId === undefined)) throw new TypeError(`a ${input.kind} ${parentKind === undefined ? 'has no' : 'needs a'} parent`)
    if ((input.kind === 'school') !== (input.schoolType !== undefined)) throw new TypeError('schoolType is for schools, and schools need it')
    const parent = input.parentId === undefined ? undefined : await this.node(tenantId, input.parentId, db)
    if (input.parentId !== undefined && parent === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'parent node not found in this tenant')
    if (parent !== undefined && parent.kind !== parentKind) throw new TypeError(`the parent of a ${input.kind} must be a ${parentKind}, not a ${parent.kind}`)
    const existing = (await db('org_node').where({ tenant_id: tenantId, kind: input.kind, code: input.code }).first()) as NodeRow | undefined
    const id = existing?.id ?? randomUUID()
    const path = `${parent?.path ?? '/'}${id}/`
    if (existing === undefined) {
      const [row] = (await db('org_node').insert({
        id, tenant_id: tenantId, parent_id: parent?.id ?? null, kind: input.kind, code: input.code, name: input.name, school_type: input.schoolType ?? null, path,
      }).returning('*')) as NodeRow[]
      return toNode(row!)
    }
    if (existing.path !== path) {
      await db('org_node').where({ tenant_id: tenantId }).andWhere('path', 'like', `${existing.path}%`)
        .update({ path: db.raw('? || substr(path, ?)', [path, existing.path.length + 1]) })
    }
    const [row] = (await db('org_node').where({ id }).update({
      parent_id: parent?.id ?? null, name: input.name, school_type: input.schoolType ?? null, updated_at: db.fn.now(),
    }).returning('*')) as NodeRow[]
    return toNode(row!)
  }

  async person(tenantId: string, id: string, db: Db = this.knex): Promise<Person | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await db('person').where({ tenant_id: tenantId, id }).first()) as PersonRow | undefined
    return row === undefined ? undefined : toPerson(row)
  }

  /** The person linked to an LTI user (issuer, sub) in the tenant. */
  async personByLti(tenantId: string, issuer: string, sub: string, db: Db = this.knex): Promise<Person | undefined> {
    const row = (await db('person').where({ tenant_id: tenantId, lti_issuer: issuer, lti_sub: sub }).first()) as PersonRow | undefined
    return row === undefined ? undefined : toPerson(row)
  }

  /** The person behind a local account (`accounts/`), in the tenant. */
  async personOfAccount(tenantId: string, accountId: string, db: Db = this.knex): Promise<Person | undefined> {
    if (!isUuid(accountId)) return undefined
    const row = (await db('local_account as a').join('person as p', 'p.id', 'a.person_id').select('p.*')
      .where({ 'a.id': accountId, 'a.tenant_id': tenantId, 'p.tenant_id': tenantId }).first()) as PersonRow | undefined
    return row === undefined ? undefined : toPerson(row)
  }

  /** People at a school, or below a node, by name. */
  async people(tenantId: string, under: OrgNode, db: Db = this.knex): Promise<Person[]> {
    const rows = (await db('person as p').join('org_node as n', 'n.id', 'p.school_id').select('p.*')
      .where({ 'p.tenant_id': tenantId, 'n.tenant_id': tenantId }).andWhere('n.path', 'like', `${under.path}%`).orderBy('p.name')) as PersonRow[]
    return rows.map(toPerson)
  }

  /**
   * Create or update a person: matched by `externalId` when given, else by e-mail (case-insensitive)
   * when given, else created. Fields given replace the stored ones; absent ones are kept.
   */
  async upsertPerson(tenantId: string, input: NewPerson, db: Db = this.knex): Promise<Person> {
    const existing = input.externalId !== undefined
      ? (await db('person').where({ tenant_id: tenantId, external_id: input.externalId }).first()) as PersonRow | undefined
      : input.email !== undefined
        ? (await db('person').where({ tenant_id: tenantId }).andWhereRaw('lower(email) = lower(?)', [input.email]).first()) as PersonRow | undefined
        : undefined
    const fields = {
      name: input.name,
      ...(input.email !== undefined && { email: input.email }), ...(input.phone !== undefined && { phone: input.phone }),
      ...(input.schoolId !== undefined && { school_id: input.schoolId }), ...(input.externalId !== undefined && { external_id: input.externalId }),
      ...(input.lti !== undefined && { lti_issuer: input.lti.issuer, lti_sub: input.lti.sub }),
    }
    const [row] = existing === undefined
      ? (await db('person').insert({ tenant_id: tenantId, ...fields }).returning('*')) as PersonRow[]
      : (await db('person').where({ id: existing.id }).update({ ...fields, updated_at: db.fn.now() }).returning('*')) as PersonRow[]
    // Statements by this e-mail address (xAPI mbox) are this person's in the competence reports.
    const mbox = input.email === undefined ? undefined : ifiKey({ mbox: `mailto:${input.email}` })
    if (mbox !== undefined) await this.linkIdentity(tenantId, row!.id, mbox, db)
    return toPerson(row!)
  }

  /**
   * Says that xAPI actor `ifiKey` (`ifiKey` of @tln/xapi, e.g. an e-training account) is this
   * person (`person_identity`, read by the competence reports' `learner_placement`). An identity
   * belongs to one person: linking it again moves it.
   */
  async linkIdentity(tenantId: string, personId: string, key: string, db: Db = this.knex): Promise<void> {
    await db.raw(
      `insert into person_identity (tenant_id, ifi_key, person_id) values (?, ?, ?)
       on conflict (tenant_id, ifi_key) do update set person_id = excluded.person_id`,
      [tenantId, key, personId],
    )
  }

  /** Give a grant (idempotent). `nodeId` undefined = the whole tenant. */
  async grant(tenantId: string, personId: string, role: GrantRole, nodeId: string | undefined, db: Db = this.knex): Promise<void> {
    await db.raw(
      `insert into person_grant (tenant_id, person_id, role, node_id) values (?, ?, ?, ?)
       on conflict (person_id, role, coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid)) do nothing`,
      [tenantId, personId, role, nodeId ?? null],
    )
  }

  /** Take away every grant of one role from a person (e.g. a teacher moving school). */
  async revokeRole(tenantId: string, personId: string, role: GrantRole, db: Db = this.knex): Promise<void> {
    await db('person_grant').where({ tenant_id: tenantId, person_id: personId, role }).delete()
  }

  /** A person's grants with their nodes' paths. */
  async grants(tenantId: string, personId: string, db: Db = this.knex): Promise<Grant[]> {
    const rows = (await db('person_grant as g').leftJoin('org_node as n', 'n.id', 'g.node_id')
      .select('g.role', 'g.node_id', 'n.path').where({ 'g.tenant_id': tenantId, 'g.person_id': personId })) as Array<{ role: GrantRole; node_id: string | null; path: string | null }>
    return rows.map((r) => (r.node_id === null ? { role: r.role } : { role: r.role, nodeId: r.node_id, nodePath: r.path! }))
  }
}
