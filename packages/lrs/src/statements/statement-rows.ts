import { createHash } from 'node:crypto'
import { ifiKey, type Activity, type Actor, type Context, type Statement, type SubStatement } from '@tln/xapi'

/**
 * What a posting list in `xapi_statement_index` is keyed by. `agentVerb` lists the statements that
 * match a plain `agent` filter and a `verb` filter together (key: `agentVerbKey`), so that the
 * commonest combined query reads only its matches instead of all of the agent's statements.
 */
export const IndexKind = { agent: 1, activity: 2, verb: 3, registration: 4, agentVerb: 5 } as const
export type IndexKind = (typeof IndexKind)[keyof typeof IndexKind]

/**
 * One posting: the statement mentions `value` of `kind`. `narrow` is true when the plain filter
 * matches it (xAPI 1.0.3 Communication 2.1.3: `agent` matches the Actor or Object, `activity` the
 * Object; `verb` and `registration` always); the `related_*` filters match every posting.
 */
export interface IndexEntry {
  kind: IndexKind
  key: string
  narrow: boolean
}

/**
 * A 128-bit key for a value, as a UUID string: fixed width so that IRIs of any length fit the
 * B-tree, and collision-free in practice (SHA-256 truncated to 128 bits).
 */
export function indexKey(kind: IndexKind, value: string): string {
  const known = recentKeys[kind].get(value)
  if (known !== undefined) return known
  const key = uuidOf(createHash('sha256').update(`${kind}\u0000${value}`).digest('hex'))
  if (value.length <= MAX_REMEMBERED_LENGTH) remember(recentKeys[kind], value, key)
  return key
}

/**
 * The key of an `agentVerb` posting: a hash of the agent's and the verb's posting keys, so that
 * SQL can compute it from the two postings too (the backfill of migration 20261130000300):
 * `substr(encode(sha256(convert_to(agent_key::text || '/' || verb_key::text, 'UTF8')), 'hex'), 1, 32)::uuid`.
 */
export function agentVerbKey(agentKey: string, verbKey: string): string {
  let byVerb = recentPairs.get(agentKey)
  const known = byVerb?.get(verbKey)
  if (known !== undefined) return known
  const key = uuidOf(createHash('sha256').update(`${agentKey}/${verbKey}`).digest('hex'))
  if (byVerb === undefined) {
    byVerb = new Map()
    remember(recentPairs, agentKey, byVerb)
  }
  remember(byVerb, verbKey, key)
  return key
}

/**
 * The first 128 bits of a hex digest as a UUID string, made by one regex replace: that gives one
 * flat string, where concatenating the five slices gave a rope that every batch's array literal
 * had to copy flat again (keys are cached and written thousands of times).
 */
function uuidOf(hex: string): string {
  return hex.replace(UUID_GROUPS, '$1-$2-$3-$4-$5')
}
const UUID_GROUPS = /^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/

/**
 * Keys of recently seen values. Ingest hashes about seven values per statement, and most repeat
 * (verbs, programme activities, the same teachers): the cache saves a SHA-256 for each repeat.
 * One map per kind, keyed by the value itself (and agent key, then verb key, for the pairs): a
 * lookup hashes a string the parser made once, where a combined "kind + value" key had to be built,
 * copied flat and hashed again for every lookup. Bounded in entries and value length; emptied when full.
 */
const recentKeys: Record<IndexKind, Map<string, string>> = { 1: new Map(), 2: new Map(), 3: new Map(), 4: new Map(), 5: new Map() }
const recentPairs = new Map<string, Map<string, string>>()
const MAX_REMEMBERED_KEYS = 20_000
const MAX_REMEMBERED_LENGTH = 512
let remembered = 0

function remember<V>(map: Map<string, V>, value: string, key: V): void {
  if (remembered >= MAX_REMEMBERED_KEYS) {
    for (const kind of Object.values(recentKeys)) kind.clear()
    recentPairs.clear()
    remembered = 0
  }
  map.set(value, key)
  remembered++
}

/** The key of the `agent` filter's value, or undefined for an anonymous group. */
export function agentIndexKey(actor: Actor): string | undefined {
  const ifi = ifiKey(actor)
  return ifi === undefined ? undefined : indexKey(IndexKind.agent, ifi)
}

class Postings {
  private readonly byKey = new Map<string, IndexEntry>()

  add(kind: IndexKind, value: string, narrow: boolean): void {
    const key = indexKey(kind, value)
    const seen = this.byKey.get(key)
    if (seen === undefined) this.byKey.set(key, { kind, key, narrow })
    else if (narrow) seen.narrow = true
  }

  /** An Agent or Group and, for a Group, its members: members count with the Group's usage. */
  addActor(actor: Actor | undefined, narrow: boolean): void {
    if (actor === undefined) return
    const ifi = ifiKey(actor)
    if (ifi !== undefined) this.add(IndexKind.agent, ifi, narrow)
    if (actor.objectType === 'Group') for (const member of actor.member ?? []) this.addActor(member, narrow)
  }

  addActivity(activity: Activity, narrow: boolean): void {
    this.add(IndexKind.activity, activity.id, narrow)
  }

  addObject(object: Statement['object'] | SubStatement['object'], narrow: boolean): void {
    switch (object.objectType) {
      case 'Agent':
      case 'Group':
        this.addActor(object, narrow)
        return
      case 'StatementRef':
        return
      case 'SubStatement':
        this.addSubStatement(object)
        return
      default:
        this.addActivity(object as Activity, narrow)
    }
  }

  /** Context Agents, Groups and Activities match only the `related_*` filters. */
  addContext(context: Context | undefined): void {
    if (context === undefined) return
    this.addActor(context.instructor, false)
    this.addActor(context.team, false)
    for (const contextAgent of context.contextAgents ?? []) this.addActor(contextAgent.agent, false)
    for (const contextGroup of context.contextGroups ?? []) this.addActor(contextGroup.group, false)
    const activities = context.contextActivities
    if (activities !== undefined) {
      for (const list of [activities.parent, activities.grouping, activities.category, activities.other]) {
        for (const activity of list ?? []) this.addActivity(activity, false)
      }
    }
  }

  /** Everything in a SubStatement matches only the `related_*` filters (Communication 2.1.3). */
  addSubStatement(sub: SubStatement): void {
    this.addActor(sub.actor, false)
    this.addObject(sub.object, false)
    this.addContext(sub.context)
  }

  /** A target's postings, as a statement inherits them through a StatementRef. */
  merge(other: Postings): void {
    for (const entry of other.byKey.values()) {
      const seen = this.byKey.get(entry.key)
      if (seen === undefined) this.byKey.set(entry.key, { ...entry })
      else if (entry.narrow) seen.narrow = true
    }
  }

  /**
   * The postings, with the `agentVerb` pairs: every narrow agent with every verb. Per filter
   * condition, not per statement (Communication 2.1.3, "Filter Conditions for StatementRefs"): a
   * statement meets `agent` if it or a statement it targets does, and `verb` likewise, so with
   * inherited postings the pairs cross the whole chain (its own actor with its target's verb…).
   */
  entries(): IndexEntry[] {
    const out = [...this.byKey.values()]
    for (const agent of this.byKey.values()) {
      if (agent.kind !== IndexKind.agent || !agent.narrow) continue
      for (const verb of this.byKey.values()) {
        if (verb.kind === IndexKind.verb) out.push({ kind: IndexKind.agentVerb, key: agentVerbKey(agent.key, verb.key), narrow: true })
      }
    }
    return out
  }
}

/**
 * The postings of one statement's own content (not those it inherits through a StatementRef).
 * Pure: the store decides when to write them.
 */
export function statementIndexEntries(statement: Statement): IndexEntry[] {
  return ownPostings(statement).entries()
}

/**
 * The postings of a statement that targets others through StatementRefs: its own and those of
 * every statement in `chain` (its targets, transitively), with the `agentVerb` pairs across them.
 */
export function chainIndexEntries(statement: Statement, chain: readonly Statement[]): IndexEntry[] {
  const postings = ownPostings(statement)
  for (const target of chain) postings.merge(ownPostings(target))
  return postings.entries()
}

function ownPostings(statement: Statement): Postings {
  const postings = new Postings()
  postings.addActor(statement.actor, true)
  postings.addObject(statement.object, true)
  postings.addActor(statement.authority, false)
  postings.addContext(statement.context)
  postings.add(IndexKind.verb, statement.verb.id, true)
  const registration = statement.context?.registration
  if (registration !== undefined) postings.add(IndexKind.registration, registration.toLowerCase(), true)
  return postings
}

/** The id of the statement a StatementRef object points at, lowercased, if the object is one. */
export function referencedStatementId(statement: Statement): string | undefined {
  return statement.object.objectType === 'StatementRef' ? statement.object.id.toLowerCase() : undefined
}

/** Every Activity id a statement mentions (object, context activities, sub-statement). */
export function activityIdsIn(statements: readonly Statement[]): Set<string> {
  const ids = new Set<string>()
  for (const statement of statements) {
    for (const id of activityIdsOf(statement)) ids.add(id)
  }
  return ids
}

function activityIdsOf(statement: Statement): string[] {
  const out: string[] = []
  const visit = (object: Statement['object'] | SubStatement['object'], context: Context | undefined): void => {
    if (object.objectType === undefined || object.objectType === 'Activity') out.push((object as Activity).id)
    if (object.objectType === 'SubStatement') visit(object.object, object.context)
    const lists = context?.contextActivities
    if (lists !== undefined) for (const list of [lists.parent, lists.grouping, lists.category, lists.other]) for (const a of list ?? []) out.push(a.id)
  }
  visit(statement.object, statement.context)
  return out
}
