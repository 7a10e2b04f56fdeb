/**
 * The `format` parameter of GET Statements (xAPI 1.0.3 Communication §2.1.3, table row 12, and
 * §2.1.3.s4 "Language Filtering Requirements for Canonical Format Statements"; the same in xAPI 2.0.0).
 */
import { pickLanguage } from './language.ts'
import type {
  Activity, ActivityDefinition, Actor, Agent, Attachment, Context, ContextActivities, Group, InteractionComponent,
  LanguageMap, Statement, StatementObject, SubStatement, Verb,
} from './types.ts'

export type StatementFormat = 'exact' | 'ids' | 'canonical'

export interface FormatOptions {
  /** Language ranges in order of preference, from `parseAcceptLanguage(Accept-Language)`. */
  languages: readonly string[]
  /** The LRS's canonical definition of an Activity, if it keeps one (used by `canonical` only). */
  canonicalDefinition?: (activityId: string) => ActivityDefinition | undefined
}

/**
 * Shapes a stored statement for a GET Statements response. Never mutates its input.
 *
 * - `exact`: "return Agent, Activity, Verb and Group Objects populated exactly as they were when the
 *   Statement was received"; the statement is returned as given (same object).
 * - `ids`: "only include minimum information necessary in Agent, Activity, Verb and Group Objects to
 *   identify them. For Anonymous Groups this means including the minimum information needed to
 *   identify each member." An Agent keeps its IFI (and `objectType` if present, since it is required
 *   where the Agent is an object); an Identified Group keeps `objectType` and its IFI, not its
 *   members (the IFI alone identifies it); an Anonymous Group keeps `objectType` and its members,
 *   each reduced to its IFI; a Verb keeps `id`; an Activity keeps only `id`: its `objectType` can
 *   only be "Activity", which an omitted one means (Data §2.4.4.1), so it is not "necessary" (the
 *   ADL suite, XAPI-00171, counts one key).
 *   Applied to actor, object, authority, context (instructor, team, contextActivities, 2.0
 *   contextAgents/contextGroups, whose `relevantTypes` are kept) and inside SubStatements. Result,
 *   timestamps, attachments, StatementRefs are not Agent/Activity/Verb/Group objects and are kept.
 * - `canonical`: "return Activity Objects and Verbs populated with the canonical definition of the
 *   Activity Objects and Display of the Verbs as determined by the LRS, after applying the language
 *   filtering process ..., and return the original Agent and Group Objects as in exact mode." Each
 *   Activity's definition is replaced by `canonicalDefinition(id)` when that returns one (else the
 *   statement's own is kept), then every language map is reduced to one entry chosen with
 *   `pickLanguage` (§2.1.3.s4.b1, b5): definition `name`/`description`, interaction component
 *   `description`s, `verb.display`, and attachment `display`/`description` (§2.1.3.s4.b4 extends this
 *   to any map the LRS returns in canonical form). Extensions are left alone.
 */
export function formatStatement(statement: Statement, format: StatementFormat, options: FormatOptions): Statement {
  if (format === 'exact') return statement
  const f = format === 'ids' ? idsFormatter : canonicalFormatter(options)
  const out: Statement = { ...statement, actor: f.actor(statement.actor), verb: f.verb(statement.verb), object: f.object(statement.object) }
  if (statement.context !== undefined) out.context = f.context(statement.context)
  if (statement.authority !== undefined) out.authority = f.actor(statement.authority)
  if (statement.attachments !== undefined) out.attachments = statement.attachments.map(f.attachment)
  return out
}

/** What each format does to each kind of object; the traversal below is shared. */
interface Formatter {
  actor<T extends Actor>(actor: T): T
  verb(verb: Verb): Verb
  activity(activity: Activity): Activity
  attachment(attachment: Attachment): Attachment
  object(object: StatementObject): StatementObject
  context(context: Context): Context
}

function traversal(leaf: Pick<Formatter, 'actor' | 'verb' | 'activity' | 'attachment'>): Formatter {
  const self: Formatter = {
    ...leaf,
    object(o) {
      switch (o.objectType) {
        case 'SubStatement': return subStatement(o)
        case 'StatementRef': return o
        case 'Agent': case 'Group': return leaf.actor(o)
        // In the object position an omitted objectType means Activity (Data §2.4.4.1).
        default: return leaf.activity(o as Activity)
      }
    },
    context(c) {
      const out: Context = { ...c }
      if (c.instructor !== undefined) out.instructor = leaf.actor(c.instructor)
      if (c.team !== undefined) out.team = leaf.actor(c.team)
      if (c.contextActivities !== undefined) out.contextActivities = contextActivities(c.contextActivities)
      if (c.contextAgents !== undefined) out.contextAgents = c.contextAgents.map((ca) => ({ ...ca, agent: leaf.actor(ca.agent) }))
      if (c.contextGroups !== undefined) out.contextGroups = c.contextGroups.map((cg) => ({ ...cg, group: leaf.actor(cg.group) }))
      return out
    },
  }
  function contextActivities(ca: ContextActivities): ContextActivities {
    const out: ContextActivities = {}
    for (const key of ['parent', 'grouping', 'category', 'other'] as const) {
      const list = ca[key]
      if (list !== undefined) out[key] = list.map(leaf.activity)
    }
    return out
  }
  function subStatement(s: SubStatement): SubStatement {
    const out: SubStatement = { ...s, actor: leaf.actor(s.actor), verb: leaf.verb(s.verb), object: self.object(s.object) as SubStatement['object'] }
    if (s.context !== undefined) out.context = self.context(s.context)
    if (s.attachments !== undefined) out.attachments = s.attachments.map(leaf.attachment)
    return out
  }
  return self
}

function agentIds(agent: Agent): Agent {
  const out: Agent = {}
  if (agent.objectType !== undefined) out.objectType = agent.objectType
  if (agent.mbox !== undefined) out.mbox = agent.mbox
  else if (agent.mbox_sha1sum !== undefined) out.mbox_sha1sum = agent.mbox_sha1sum
  else if (agent.openid !== undefined) out.openid = agent.openid
  else if (agent.account !== undefined) out.account = { homePage: agent.account.homePage, name: agent.account.name }
  return out
}

function groupIds(group: Group): Group {
  const { objectType: _, ...ifi } = agentIds({ ...group, objectType: 'Agent' })
  if (Object.keys(ifi).length > 0) return { objectType: 'Group', ...ifi }
  return { objectType: 'Group', member: (group.member ?? []).map(agentIds) }
}

const idsFormatter = traversal({
  actor: <T extends Actor>(a: T): T => (a.objectType === 'Group' ? groupIds(a) : agentIds(a)) as T,
  verb: (v) => ({ id: v.id }),
  activity: (a) => ({ id: a.id }),
  attachment: (a) => a,
})

function canonicalFormatter({ languages, canonicalDefinition }: FormatOptions): Formatter {
  const pick = (map: LanguageMap): LanguageMap => pickLanguage(map, languages)
  const components = (list: InteractionComponent[] | undefined): InteractionComponent[] | undefined =>
    list?.map((c) => (c.description === undefined ? c : { ...c, description: pick(c.description) }))
  const definition = (d: ActivityDefinition): ActivityDefinition => {
    const out: ActivityDefinition = { ...d }
    if (d.name !== undefined) out.name = pick(d.name)
    if (d.description !== undefined) out.description = pick(d.description)
    for (const key of ['choices', 'scale', 'source', 'target', 'steps'] as const) {
      const list = components(d[key])
      if (list !== undefined) out[key] = list
    }
    return out
  }
  return traversal({
    actor: (a) => a,
    verb: (v) => (v.display === undefined ? v : { ...v, display: pick(v.display) }),
    activity: (a) => {
      const d = canonicalDefinition?.(a.id) ?? a.definition
      return d === undefined ? a : { ...a, definition: definition(d) }
    },
    attachment: (a) => {
      const out: Attachment = { ...a, display: pick(a.display) }
      if (a.description !== undefined) out.description = pick(a.description)
      return out
    },
  })
}
