/**
 * The xAPI data model (xAPI 1.0.3 Data §2, xAPI 2.0.0 / IEEE 9274.1.1 Part Two §2).
 * These types describe a statement that has passed validation; raw input is `unknown`.
 */

/** Versions this LRS speaks; the negotiated version of a request. */
export type XapiVersion = '1.0.3' | '2.0.0'

export type LanguageMap = Record<string, string>
export type Extensions = Record<string, unknown>

export interface Account {
  homePage: string
  name: string
}

/** Inverse Functional Identifier fields: exactly one per identified Agent/Group. */
export interface Ifi {
  mbox?: string
  mbox_sha1sum?: string
  openid?: string
  account?: Account
}

export interface Agent extends Ifi {
  objectType?: 'Agent'
  name?: string
}

export interface Group extends Ifi {
  objectType: 'Group'
  name?: string
  member?: Agent[]
}

export type Actor = Agent | Group

export interface Verb {
  id: string
  display?: LanguageMap
}

export interface InteractionComponent {
  id: string
  description?: LanguageMap
}

export interface ActivityDefinition {
  name?: LanguageMap
  description?: LanguageMap
  type?: string
  moreInfo?: string
  extensions?: Extensions
  interactionType?: string
  correctResponsesPattern?: string[]
  choices?: InteractionComponent[]
  scale?: InteractionComponent[]
  source?: InteractionComponent[]
  target?: InteractionComponent[]
  steps?: InteractionComponent[]
}

export interface Activity {
  objectType?: 'Activity'
  id: string
  definition?: ActivityDefinition
}

export interface StatementRef {
  objectType: 'StatementRef'
  id: string
}

export interface Score {
  scaled?: number
  raw?: number
  min?: number
  max?: number
}

export interface Result {
  score?: Score
  success?: boolean
  completion?: boolean
  response?: string
  duration?: string
  extensions?: Extensions
}

export interface ContextActivities {
  parent?: Activity[]
  grouping?: Activity[]
  category?: Activity[]
  other?: Activity[]
}

/** xAPI 2.0.0 §2.4.6: a relevant Agent in the context, with optional relevance types. */
export interface ContextAgent {
  objectType: 'contextAgent'
  agent: Agent
  relevantTypes?: string[]
}

/** xAPI 2.0.0 §2.4.6: a relevant Group in the context, with optional relevance types. */
export interface ContextGroup {
  objectType: 'contextGroup'
  group: Group
  relevantTypes?: string[]
}

export interface Context {
  registration?: string
  instructor?: Actor
  team?: Group
  contextActivities?: ContextActivities
  contextAgents?: ContextAgent[]
  contextGroups?: ContextGroup[]
  revision?: string
  platform?: string
  language?: string
  statement?: StatementRef
  extensions?: Extensions
}

export interface Attachment {
  usageType: string
  display: LanguageMap
  description?: LanguageMap
  contentType: string
  length: number
  sha2: string
  fileUrl?: string
}

/** A statement nested as the object of another (xAPI 1.0.3 Data §2.4.4.3). */
export interface SubStatement {
  objectType: 'SubStatement'
  actor: Actor
  verb: Verb
  object: Activity | Agent | Group | StatementRef
  result?: Result
  context?: Context
  timestamp?: string
  attachments?: Attachment[]
}

export type StatementObject = Activity | Agent | Group | StatementRef | SubStatement

export interface Statement {
  id?: string
  actor: Actor
  verb: Verb
  object: StatementObject
  result?: Result
  context?: Context
  timestamp?: string
  stored?: string
  authority?: Actor
  version?: string
  attachments?: Attachment[]
}

/**
 * A statement that has passed `validateStatement` for a given version. Storage accepts only
 * this type (STYLE.md rule 4). The brand cannot be forged outside this package's validator.
 */
export type ValidatedStatement = Statement & { readonly __validated: unique symbol }
