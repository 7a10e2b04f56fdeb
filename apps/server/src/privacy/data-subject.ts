import type { Knex } from '@tln/db'
import { ifiKey } from '@tln/xapi'
import { agentKeyOf } from '../agent-option.ts'
import { ServerError } from '../errors.ts'

/** The `lti_user.issuer` of local accounts (`@tln/lti-tool` LOCAL_ISSUER; repeated: apps/server must not need the tool to erase). */
const LOCAL_ISSUER = 'urn:tln:local'

/** Who an export or erasure is about: named by an xAPI Agent (its IFI) or by a person id. */
export type SubjectSelector = { agent: string } | { personId: string }

/**
 * Everything that identifies one person in one tenant: the organisation-tree rows, the LTI and
 * local sign-in rows, and every IFI key the statements may carry them under (DOMAIN.md: the
 * tool's actor is `{ account: { homePage: <issuer>, name: <sub> } }`; a person without an LMS
 * identity is `{ account: { homePage: <publicUrl>, name: <person id> } }`; imported statements
 * use whatever `person_identity` links).
 */
export interface DataSubject {
  tenantId: string
  tenantSlug: string
  /** IFI keys (`ifiKey` of @tln/xapi), sorted. */
  ifiKeys: string[]
  personIds: string[]
  /** `lti_user` ids (launches and local accounts). */
  ltiUserIds: string[]
  /** `(issuer, sub)` of those users: grade passback jobs name them this way. */
  ltiSubjects: Array<{ issuer: string; sub: string }>
  localAccountIds: string[]
  names: string[]
  /** E-mail addresses and account names, for free-text redaction. */
  identifiers: string[]
  /** Set when `--person` names a tombstone a previous erasure left. */
  erasedAlready: boolean
}

/** The home page of the pseudonymous accounts erased people become in a tenant's statements. */
export function erasedHomePage(publicUrl: string, tenantSlug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/privacy/erased/${encodeURIComponent(tenantSlug)}`
}


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function tenantOf(knex: Knex, slug: string): Promise<{ id: string; slug: string }> {
  const row = (await knex('tenant').first('id', 'slug').where({ slug })) as { id: string; slug: string } | undefined
  if (row === undefined) throw new ServerError('ERR_NOT_FOUND', `no tenant ${slug}`, '--tenant')
  return row
}

const accountKey = (homePage: string, name: string): string => ifiKey({ account: { homePage, name } })!
const mboxKey = (email: string): string => ifiKey({ mbox: `mailto:${email}` })!

/** Reads the account (home page, name) back out of an `account:` IFI key. */
function accountOfKey(key: string): { homePage: string; name: string } | undefined {
  if (!key.startsWith('account:')) return undefined
  const [homePage, name] = JSON.parse(key.slice('account:'.length)) as [string, string]
  return { homePage, name }
}

/**
 * Finds the person behind `selector` and every identity they have in the tenant. One hop: the
 * Agent given leads to its person (by `person_identity`, LTI issuer + sub, TLN account or
 * e-mail), and the person to all their identities. A person a previous erasure emptied is
 * reported as such (and nothing else is looked up: its identities are pseudonyms now).
 */
export async function resolveSubject(knex: Knex, tenant: { id: string; slug: string }, selector: SubjectSelector, publicUrl: string): Promise<DataSubject> {
  const tenantId = tenant.id
  const erasedPrefix = `account:${JSON.stringify([erasedHomePage(publicUrl, tenant.slug)]).slice(0, -1)},`
  const keys = new Set<string>()
  const personIds = new Set<string>()
  let erasedAlready = false

  if ('personId' in selector) {
    if (!UUID.test(selector.personId)) throw new ServerError('ERR_USAGE', `--person must be a person id (a UUID), got "${selector.personId}"`, '--person')
    const person = (await knex('person').first('id').where({ tenant_id: tenantId, id: selector.personId })) as { id: string } | undefined
    if (person === undefined) throw new ServerError('ERR_NOT_FOUND', `no person ${selector.personId} in tenant ${tenant.slug}`, '--person')
    const erased = await knex('privacy_erasure').first('id').where({ tenant_id: tenantId, person_id: person.id })
    if (erased !== undefined) erasedAlready = true
    else personIds.add(person.id)
  } else {
    const key = agentKeyOf(selector.agent)
    if (!key.startsWith(erasedPrefix)) keys.add(key)
    for (const row of (await knex('person_identity').select('person_id').where({ tenant_id: tenantId, ifi_key: key })) as Array<{ person_id: string }>) personIds.add(row.person_id)
    const account = accountOfKey(key)
    if (account !== undefined) {
      const byLti = (await knex('person').select('id').where({ tenant_id: tenantId, lti_issuer: account.homePage, lti_sub: account.name })) as Array<{ id: string }>
      for (const p of byLti) personIds.add(p.id)
      if (account.homePage === publicUrl.replace(/\/+$/, '') && UUID.test(account.name)) {
        for (const p of (await knex('person').select('id').where({ tenant_id: tenantId, id: account.name })) as Array<{ id: string }>) personIds.add(p.id)
      }
    }
    if (key.startsWith('mbox:mailto:')) {
      const email = key.slice('mbox:mailto:'.length).toLowerCase()
      for (const p of (await knex('person').select('id').where({ tenant_id: tenantId }).whereRaw('lower(email) = ?', [email])) as Array<{ id: string }>) personIds.add(p.id)
      for (const a of (await knex('local_account').select('person_id').where({ tenant_id: tenantId }).whereRaw('lower(email) = ?', [email])) as Array<{ person_id: string }>) personIds.add(a.person_id)
    }
    if (personIds.size > 0) {
      const erased = (await knex('privacy_erasure').select('person_id').where({ tenant_id: tenantId }).whereIn('person_id', [...personIds])) as Array<{ person_id: string }>
      for (const e of erased) personIds.delete(e.person_id)
    }
  }

  const names = new Set<string>()
  const identifiers = new Set<string>()
  const ltiSubjects = new Map<string, { issuer: string; sub: string }>()
  const addLti = (issuer: string, sub: string) => ltiSubjects.set(JSON.stringify([issuer, sub]), { issuer, sub })
  const persons = personIds.size === 0 ? [] : ((await knex('person').select('id', 'name', 'email', 'lti_issuer', 'lti_sub', 'external_id').where({ tenant_id: tenantId }).whereIn('id', [...personIds])) as PersonRow[])
  for (const p of persons) {
    names.add(p.name)
    keys.add(accountKey(publicUrl.replace(/\/+$/, ''), p.id))
    if (p.email !== null) {
      identifiers.add(p.email)
      keys.add(mboxKey(p.email))
    }
    if (p.lti_issuer !== null && p.lti_sub !== null) {
      keys.add(accountKey(p.lti_issuer, p.lti_sub))
      addLti(p.lti_issuer, p.lti_sub)
    }
    if (p.external_id !== null) identifiers.add(p.external_id)
  }
  if (personIds.size > 0) {
    for (const row of (await knex('person_identity').select('ifi_key').where({ tenant_id: tenantId }).whereIn('person_id', [...personIds])) as Array<{ ifi_key: string }>) {
      if (!row.ifi_key.startsWith(erasedPrefix)) keys.add(row.ifi_key)
    }
  }
  const localAccounts = personIds.size === 0 ? [] : ((await knex('local_account').select('id', 'email').where({ tenant_id: tenantId }).whereIn('person_id', [...personIds])) as Array<{ id: string; email: string }>)
  for (const a of localAccounts) {
    identifiers.add(a.email)
    keys.add(mboxKey(a.email))
    addLti(LOCAL_ISSUER, a.id)
    keys.add(accountKey(publicUrl.replace(/\/+$/, ''), `account:${a.id}`))
  }
  for (const key of keys) {
    const account = accountOfKey(key)
    if (account !== undefined) {
      addLti(account.homePage, account.name)
      identifiers.add(account.name)
    }
    if (key.startsWith('mbox:mailto:')) identifiers.add(key.slice('mbox:mailto:'.length))
  }
  const users = ltiSubjects.size === 0 ? [] : ((await knex('lti_user').select('id', 'issuer', 'sub', 'name', 'email').where({ tenant_id: tenantId })
    .where((q) => { for (const s of ltiSubjects.values()) q.orWhere({ issuer: s.issuer, sub: s.sub }) })) as Array<{ id: string; issuer: string; sub: string; name: string | null; email: string | null }>)
  for (const u of users) {
    if (u.name !== null) names.add(u.name)
    if (u.email !== null) {
      identifiers.add(u.email)
      keys.add(mboxKey(u.email))
    }
  }
  // Person ids are UUIDs: replaced as identifiers they would only hide tombstone ids from the tool.
  for (const id of personIds) identifiers.delete(id)
  return {
    tenantId,
    tenantSlug: tenant.slug,
    ifiKeys: [...keys].sort(),
    personIds: [...personIds].sort(),
    ltiUserIds: users.map((u) => u.id).sort(),
    ltiSubjects: users.map((u) => ({ issuer: u.issuer, sub: u.sub })),
    localAccountIds: localAccounts.map((a) => a.id).sort(),
    names: [...names].filter((n) => n.trim() !== ''),
    identifiers: [...identifiers].filter((n) => n.trim() !== ''),
    erasedAlready,
  }
}

type PersonRow = { id: string; name: string; email: string | null; lti_issuer: string | null; lti_sub: string | null; external_id: string | null }
