import { ifiKey, type Agent, type Group } from '@tln/xapi'

/** What stands in for erased text inside statements, activity definitions and audit queries. */
export const ERASED_TEXT = '(dihapus)'

/**
 * How one person is taken out of JSON (statements, activity definitions, tool rows that keep an
 * xAPI Agent, audit queries): every Agent or Group whose IFI key is one of the person's becomes
 * the pseudonymous account of that key, without `name`; the person's names, e-mail addresses and
 * account names left in free text become `(dihapus)`.
 */
export interface Redaction {
  /** The person's IFI key → the pseudonymous Agent account that replaces it (one per key). */
  readonly pseudonyms: ReadonlyMap<string, { homePage: string; name: string }>
  /** Full names (the person's, as the organisation tree and the statements spelt them). */
  readonly names: readonly string[]
  /** E-mail addresses and account names (LMS `sub`, e-training id): replaced where they stand alone. */
  readonly identifiers: readonly string[]
}

export interface RedactionOutcome<T> {
  value: T
  changed: boolean
  /** `name`s the replaced Agents carried: more spellings of the person's name. */
  namesSeen: string[]
  /** `sha2`s of the attachments dropped from statements the person is the actor of. */
  droppedAttachments: string[]
}

const IFI_PROPERTIES = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const

/** Properties whose value is a Language Map (xAPI 1.0.3 Data 4.2): verb `display`, definition `name` and `description`. */
const LANGUAGE_MAPS = new Set(['display', 'name', 'description'])

function isIdentified(value: Record<string, unknown>): boolean {
  return IFI_PROPERTIES.some((p) => value[p] !== undefined)
}

/** Escapes `text` for a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * One pattern for all the person's names and identifiers, matched case-insensitively and only as
 * whole words (a letter or digit on either side means another word: "Siti" must not take a bite
 * out of "Sitiawati"). Names shorter than 3 characters are not searched: too many false hits.
 */
export function textPattern(r: Pick<Redaction, 'names' | 'identifiers'>): RegExp | undefined {
  const terms = [...new Set([...r.names, ...r.identifiers].map((t) => t.trim()).filter((t) => t.length >= 3))]
    .sort((a, b) => b.length - a.length)
    .map(escape)
  return terms.length === 0 ? undefined : new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
}

/**
 * Rewrites a JSON value (a statement, a definition, an Agent, a query). Agents of other people
 * are left exactly as they are (their names may contain the erased person's first name); Groups
 * are kept with their members rewritten one by one.
 */
export function redactJson<T>(value: T, r: Redaction, options: { dropActorAttachments?: boolean } = {}): RedactionOutcome<T> {
  const pattern = textPattern(r)
  const namesSeen: string[] = []
  const droppedAttachments: string[] = []
  let changed = false

  /** `languageMap`: the node is a Language Map (Data 4.2), whose `id` key is Bahasa Indonesia, not an id. */
  const visit = (node: unknown, inOtherAgent: boolean, languageMap = false): unknown => {
    if (typeof node === 'string') {
      if (inOtherAgent || pattern === undefined) return node
      const replaced = node.replace(pattern, ERASED_TEXT)
      if (replaced !== node) changed = true
      return replaced
    }
    if (Array.isArray(node)) return node.map((item) => visit(item, inOtherAgent))
    if (node === null || typeof node !== 'object') return node
    const object = node as Record<string, unknown>
    if (isIdentified(object) && (object['objectType'] === undefined || object['objectType'] === 'Agent' || object['objectType'] === 'Group')) {
      const key = safeIfiKey(object)
      const pseudonym = key === undefined ? undefined : r.pseudonyms.get(key)
      if (pseudonym !== undefined) {
        changed = true
        if (typeof object['name'] === 'string') namesSeen.push(object['name'])
        const replaced: Record<string, unknown> = {}
        if (object['objectType'] !== undefined) replaced['objectType'] = object['objectType']
        replaced['account'] = { homePage: pseudonym.homePage, name: pseudonym.name }
        if (Array.isArray(object['member'])) replaced['member'] = object['member'].map((m) => visit(m, false))
        return replaced
      }
      // Another person (or a Group): untouched, but a Group's members may be the erased person.
      const kept: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(object)) kept[k] = k === 'member' ? visit(v, false) : visit(v, true)
      return kept
    }
    const out: Record<string, unknown> = {}
    // Ids (Activity, statement, attachment) are kept: they are keys other rows and other LRSs
    // hold; an identifier a client built into an Activity id stays (docs/privacy.md, "Limits").
    for (const [k, v] of Object.entries(object)) out[k] = !languageMap && (k === 'id' || k === 'sha2') ? v : visit(v, inOtherAgent, LANGUAGE_MAPS.has(k))
    return out
  }

  let input: unknown = value
  if (options.dropActorAttachments === true && isStatementOfPerson(value, r)) {
    const statement = value as Record<string, unknown>
    const attachments = statement['attachments']
    if (Array.isArray(attachments) && attachments.length > 0) {
      for (const a of attachments) if (a !== null && typeof a === 'object' && typeof (a as { sha2?: unknown }).sha2 === 'string') droppedAttachments.push((a as { sha2: string }).sha2.toLowerCase())
      const { attachments: _dropped, ...rest } = statement
      input = rest
      changed = true
    }
  }
  const result = visit(input, false) as T
  return { value: result, changed, namesSeen, droppedAttachments }
}

/** Whether the statement's actor is (or is a Group with) one of the person's identities. */
function isStatementOfPerson(value: unknown, r: Redaction): boolean {
  if (value === null || typeof value !== 'object') return false
  const actor = (value as { actor?: unknown }).actor
  if (actor === null || typeof actor !== 'object') return false
  const candidates = [actor, ...(Array.isArray((actor as { member?: unknown }).member) ? ((actor as { member: unknown[] }).member) : [])]
  return candidates.some((c) => {
    const key = c !== null && typeof c === 'object' ? safeIfiKey(c as Record<string, unknown>) : undefined
    return key !== undefined && r.pseudonyms.has(key)
  })
}

function safeIfiKey(object: Record<string, unknown>): string | undefined {
  const account = object['account'] as { homePage?: unknown; name?: unknown } | undefined
  if (account !== undefined && (typeof account !== 'object' || account === null || typeof account.homePage !== 'string' || typeof account.name !== 'string')) return undefined
  for (const p of ['mbox', 'mbox_sha1sum', 'openid'] as const) if (object[p] !== undefined && typeof object[p] !== 'string') return undefined
  return ifiKey(object as unknown as Agent | Group)
}
