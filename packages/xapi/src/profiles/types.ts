/**
 * The parts of an xAPI Profile (xAPI Profiles 1.0, Part Two "xAPI Profiles Document Structure
 * Specification") that statement validation reads. Property names are the JSON-LD compacted
 * names the spec uses (`id`, `type`, `inScheme`, …).
 */

import type { LanguageMap } from '../types.ts'

/** Part Two §"Statement Template Rules". */
export interface StatementTemplateRule {
  readonly location: string
  readonly selector?: string
  readonly presence?: 'included' | 'excluded' | 'recommended'
  readonly any?: readonly unknown[]
  readonly all?: readonly unknown[]
  readonly none?: readonly unknown[]
  readonly scopeNote?: LanguageMap
}

/** Part Two §"Statement Templates". */
export interface StatementTemplate {
  readonly id: string
  readonly type: 'StatementTemplate'
  readonly inScheme: string
  readonly prefLabel: LanguageMap
  readonly definition: LanguageMap
  readonly deprecated?: boolean
  readonly verb?: string
  readonly objectActivityType?: string
  readonly contextGroupingActivityType?: readonly string[]
  readonly contextParentActivityType?: readonly string[]
  readonly contextOtherActivityType?: readonly string[]
  readonly contextCategoryActivityType?: readonly string[]
  readonly attachmentUsageType?: readonly string[]
  readonly objectStatementRefTemplate?: readonly string[]
  readonly contextStatementRefTemplate?: readonly string[]
  readonly rules?: readonly StatementTemplateRule[]
}

/** Part Two §"Patterns": exactly one of the five members. */
export interface Pattern {
  readonly id: string
  readonly type: 'Pattern'
  readonly inScheme: string
  readonly primary?: boolean
  readonly prefLabel?: LanguageMap
  readonly definition?: LanguageMap
  readonly alternates?: readonly string[]
  readonly optional?: string
  readonly oneOrMore?: string
  readonly sequence?: readonly string[]
  readonly zeroOrMore?: string
}

export interface Concept {
  readonly id: string
  readonly type: string
  readonly inScheme: string
  readonly prefLabel?: LanguageMap
  readonly definition?: LanguageMap
  readonly [property: string]: unknown
}

/** Part Two §"Profile Properties". */
export interface Profile {
  readonly '@context': string | readonly unknown[]
  readonly id: string
  readonly type: 'Profile'
  readonly conformsTo: string
  readonly prefLabel: LanguageMap
  readonly definition: LanguageMap
  readonly seeAlso?: string
  readonly versions: readonly { readonly id: string; readonly wasRevisionOf?: readonly string[]; readonly generatedAtTime: string }[]
  readonly author: { readonly type: 'Organization' | 'Person'; readonly name: string; readonly url?: string }
  readonly concepts?: readonly Concept[]
  readonly templates?: readonly StatementTemplate[]
  readonly patterns?: readonly Pattern[]
}

/** One way a statement fails a template: the template, where, and which rule. */
export interface TemplateIssue {
  readonly template: string
  /** The rule's location, or the determining property. */
  readonly location: string
  readonly rule: 'presence' | 'any' | 'all' | 'none' | 'determining-property' | 'statement-ref'
  readonly message: string
}
