/**
 * Structural checks of an xAPI Profile document (xAPI Profiles 1.0, Part Two), so a profile we
 * publish cannot silently break the rules its consumers rely on.
 */
import { compileJsonPath, JsonPathSyntaxError } from './json-path.ts'
import type { Pattern, Profile } from './types.ts'

export const PROFILE_CONTEXT = 'https://w3id.org/xapi/profiles/context'
export const PROFILES_1_0 = 'https://w3id.org/xapi/profiles#1.0'

export interface ProfileIssue {
  readonly path: string
  readonly message: string
}

const PATTERN_MEMBERS = ['alternates', 'optional', 'oneOrMore', 'sequence', 'zeroOrMore'] as const

/** Every rule of Part Two this checks that the profile breaks; empty when it is well formed. */
export function validateProfile(profile: Profile): ProfileIssue[] {
  const issues: ProfileIssue[] = []
  const add = (path: string, message: string) => issues.push({ path, message })
  const contexts = Array.isArray(profile['@context']) ? profile['@context'] : [profile['@context']]
  if (!contexts.includes(PROFILE_CONTEXT)) add('@context', `must be or contain ${PROFILE_CONTEXT}`)
  if (profile.type !== 'Profile') add('type', 'must be "Profile"')
  if (profile.conformsTo !== PROFILES_1_0) add('conformsTo', `must be ${PROFILES_1_0}`)
  for (const key of ['prefLabel', 'definition'] as const) if (Object.keys(profile[key] ?? {}).length === 0) add(key, 'required language map')
  if (profile.versions.length === 0) add('versions', 'at least one version')
  const versions = new Set(profile.versions.map((v) => v.id))
  profile.versions.forEach((v, i) => {
    if (i < profile.versions.length - 1 && (v.wasRevisionOf ?? []).length === 0) add(`versions[${i}].wasRevisionOf`, 'MUST be used with all versions that succeed other profile versions')
  })
  const ids = new Set<string>()
  const unique = (id: string, path: string) => {
    if (ids.has(id)) add(path, `duplicate id ${id}`)
    ids.add(id)
  }
  const current = profile.versions[0]?.id
  for (const [i, concept] of (profile.concepts ?? []).entries()) {
    unique(concept.id, `concepts[${i}].id`)
    if (!versions.has(concept.inScheme)) add(`concepts[${i}].inScheme`, 'must be a version of this profile')
  }
  const templateIds = new Set((profile.templates ?? []).map((t) => t.id))
  for (const [i, template] of (profile.templates ?? []).entries()) {
    const at = `templates[${i}]`
    unique(template.id, `${at}.id`)
    if (template.inScheme !== current && !versions.has(template.inScheme)) add(`${at}.inScheme`, 'must be a version of this profile')
    if (Object.keys(template.prefLabel ?? {}).length === 0) add(`${at}.prefLabel`, 'required language map')
    if (Object.keys(template.definition ?? {}).length === 0) add(`${at}.definition`, 'required language map')
    if (template.objectActivityType !== undefined && template.objectStatementRefTemplate !== undefined) add(at, 'objectStatementRefTemplate may not be used with objectActivityType')
    for (const ref of [...(template.objectStatementRefTemplate ?? []), ...(template.contextStatementRefTemplate ?? [])]) {
      if (!templateIds.has(ref)) add(at, `StatementRef template ${ref} is not a template of this profile`)
    }
    for (const [j, rule] of (template.rules ?? []).entries()) {
      const ruleAt = `${at}.rules[${j}]`
      if (rule.presence === undefined && rule.any === undefined && rule.all === undefined && rule.none === undefined) add(ruleAt, 'MUST include one or more of presence, any, all, none')
      for (const key of ['location', 'selector'] as const) {
        const path = rule[key]
        if (path === undefined) continue
        try {
          compileJsonPath(path)
        } catch (error) {
          if (!(error instanceof JsonPathSyntaxError)) throw error
          add(`${ruleAt}.${key}`, error.message)
        }
      }
    }
  }
  const patterns = new Map((profile.patterns ?? []).map((p) => [p.id, p]))
  for (const [i, pattern] of (profile.patterns ?? []).entries()) {
    const at = `patterns[${i}]`
    unique(pattern.id, `${at}.id`)
    const members = PATTERN_MEMBERS.filter((m) => pattern[m] !== undefined)
    if (members.length !== 1) add(at, 'MUST contain exactly one of alternates, optional, oneOrMore, sequence, zeroOrMore')
    if (pattern.primary === true && (pattern.prefLabel === undefined || pattern.definition === undefined)) add(at, 'a primary pattern MUST include prefLabel and definition')
    for (const ref of referencesOf(pattern)) if (!templateIds.has(ref) && !patterns.has(ref)) add(at, `${ref} is neither a template nor a pattern of this profile`)
    if (refersToItself(pattern.id, patterns)) add(at, 'a pattern MUST NOT refer to itself, considered recursively')
  }
  return issues
}

function referencesOf(pattern: Pattern): string[] {
  return [...(pattern.alternates ?? []), ...(pattern.sequence ?? []), ...[pattern.optional, pattern.oneOrMore, pattern.zeroOrMore].filter((x): x is string => x !== undefined)]
}

function refersToItself(id: string, patterns: ReadonlyMap<string, Pattern>): boolean {
  const seen = new Set<string>()
  const stack = referencesOf(patterns.get(id)!)
  while (stack.length > 0) {
    const next = stack.pop()!
    if (next === id) return true
    if (seen.has(next)) continue
    seen.add(next)
    const pattern = patterns.get(next)
    if (pattern !== undefined) stack.push(...referencesOf(pattern))
  }
  return false
}
