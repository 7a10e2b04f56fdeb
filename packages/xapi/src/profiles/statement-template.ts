/**
 * Statement Template validation (xAPI Profiles 1.0, Part Two §"Statement Templates" and
 * §"Statement Template Rules"; Part Three §"Statement Template Validation").
 */
import { isDeepStrictEqual } from 'node:util'
import { compileJsonPath, type JsonPath } from './json-path.ts'
import type { Profile, StatementTemplate, StatementTemplateRule, TemplateIssue } from './types.ts'

type Json = Record<string, unknown>

const CONTEXT_TYPES = [
  ['contextGroupingActivityType', 'grouping'],
  ['contextParentActivityType', 'parent'],
  ['contextOtherActivityType', 'other'],
  ['contextCategoryActivityType', 'category'],
] as const

/** contextActivities normalised to arrays ("singleton objects MUST be replaced by arrays of length one"). */
function normaliseContextActivities(statement: Json): Json {
  const context = statement.context as Json | undefined
  const activities = context?.contextActivities as Json | undefined
  if (activities === undefined) return statement
  const normalised = Object.fromEntries(Object.entries(activities).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]))
  return { ...statement, context: { ...context, contextActivities: normalised } }
}

function activityTypes(list: unknown): string[] {
  return (Array.isArray(list) ? list : []).map((a) => ((a as Json)?.definition as Json | undefined)?.type).filter((t): t is string => typeof t === 'string')
}

/**
 * The determining properties of `template` that `statement` lacks (Part Two: "The verb, object
 * activity type, attachment usage types, and context activity types listed are the determining
 * properties"; every listed context/attachment type must be present). Empty: the template applies.
 */
export function missingDeterminingProperties(template: StatementTemplate, statement: Json): string[] {
  const s = normaliseContextActivities(statement)
  const missing: string[] = []
  if (template.verb !== undefined && (s.verb as Json | undefined)?.id !== template.verb) missing.push('verb')
  const object = s.object as Json | undefined
  if (template.objectActivityType !== undefined && ((object?.definition as Json | undefined)?.type !== template.objectActivityType || (object?.objectType ?? 'Activity') !== 'Activity')) {
    missing.push('objectActivityType')
  }
  const ctx = (s.context as Json | undefined)?.contextActivities as Json | undefined
  for (const [property, key] of CONTEXT_TYPES) {
    const wanted = template[property]
    if (wanted === undefined) continue
    const present = activityTypes(ctx?.[key])
    if (!wanted.every((type) => present.includes(type))) missing.push(property)
  }
  if (template.attachmentUsageType !== undefined) {
    const usages = (Array.isArray(s.attachments) ? s.attachments : []).map((a) => (a as Json).usageType)
    if (!template.attachmentUsageType.every((u) => usages.includes(u))) missing.push('attachmentUsageType')
  }
  return missing
}

/** The values a rule applies to: `location`, then `selector` on each (an unmatchable value when it finds nothing). */
const UNMATCHABLE = Symbol('unmatchable')
/** Compiled locations and selectors: a profile has a few dozen, checked against every statement. */
const compiled = new Map<string, JsonPath>()
function path(source: string): JsonPath {
  let found = compiled.get(source)
  if (found === undefined) {
    found = compileJsonPath(source)
    if (compiled.size < 10_000) compiled.set(source, found)
  }
  return found
}
function ruleValues(rule: StatementTemplateRule, statement: Json): unknown[] {
  const located = path(rule.location).evaluate(statement)
  if (rule.selector === undefined) return located
  const selector = path(rule.selector)
  return located.flatMap((value) => {
    const selected = selector.evaluate(value)
    return selected.length === 0 ? [UNMATCHABLE] : selected
  })
}

const matchesAny = (value: unknown, list: readonly unknown[]) => value !== UNMATCHABLE && list.some((item) => isDeepStrictEqual(item, value))

/** Part Three §"Statement Template Validation": one rule on one statement; undefined when it holds. */
export function checkRule(templateId: string, rule: StatementTemplateRule, statement: Json): TemplateIssue | undefined {
  const values = ruleValues(rule, normaliseContextActivities(statement))
  const matchable = values.filter((v) => v !== UNMATCHABLE)
  const issue = (kind: TemplateIssue['rule'], message: string): TemplateIssue => ({ template: templateId, location: rule.location, rule: kind, message })
  if (rule.presence === 'included' && (matchable.length === 0 || matchable.length !== values.length)) return issue('presence', `${rule.location} must be included`)
  if (rule.presence === 'excluded' && matchable.length > 0) return issue('presence', `${rule.location} must be excluded`)
  // "recommended": any/all/none apply only when the location is non-empty; so do they without presence.
  if (values.length === 0 && rule.presence !== 'included') return undefined
  if (rule.any !== undefined && !values.some((v) => matchesAny(v, rule.any!))) return issue('any', `${rule.location} must have at least one of ${JSON.stringify(rule.any)}`)
  if (rule.all !== undefined && !values.every((v) => matchesAny(v, rule.all!))) return issue('all', `every ${rule.location} must be one of ${JSON.stringify(rule.all)}`)
  if (rule.none !== undefined && values.some((v) => matchesAny(v, rule.none!))) return issue('none', `${rule.location} must not be any of ${JSON.stringify(rule.none)}`)
  return undefined
}

/** Every way `statement` fails `template` (determining properties, StatementRef shape, rules). */
export function validateAgainstTemplate(template: StatementTemplate, statement: Json): TemplateIssue[] {
  const issues: TemplateIssue[] = missingDeterminingProperties(template, statement).map((property) => ({
    template: template.id, location: property, rule: 'determining-property', message: `the statement lacks the determining property ${property}`,
  }))
  if (template.objectStatementRefTemplate !== undefined && (statement.object as Json | undefined)?.objectType !== 'StatementRef') {
    issues.push({ template: template.id, location: 'object', rule: 'statement-ref', message: 'object must be a StatementRef' })
  }
  if (template.contextStatementRefTemplate !== undefined && ((statement.context as Json | undefined)?.statement as Json | undefined)?.objectType !== 'StatementRef') {
    issues.push({ template: template.id, location: 'context.statement', rule: 'statement-ref', message: 'context.statement must be a StatementRef' })
  }
  for (const rule of template.rules ?? []) {
    const issue = checkRule(template.id, rule, statement)
    if (issue !== undefined) issues.push(issue)
  }
  return issues
}

export interface ProfileCheck {
  /** Templates whose determining properties the statement has. */
  readonly templates: readonly string[]
  /** Rule failures of those templates. */
  readonly issues: readonly TemplateIssue[]
}

/**
 * Checks a statement against a profile: the templates whose determining properties it has (a
 * template that names an object StatementRef template also needs an object StatementRef), and
 * those templates' rules ("Any statement including all the determining properties and using the
 * profile version as a category context activity MUST follow the rules").
 */
export function checkStatementAgainstProfile(profile: Profile, statement: Json): ProfileCheck {
  const applicable = (profile.templates ?? []).filter((t) =>
    missingDeterminingProperties(t, statement).length === 0 &&
    (t.objectStatementRefTemplate === undefined || (statement.object as Json | undefined)?.objectType === 'StatementRef'))
  return { templates: applicable.map((t) => t.id), issues: applicable.flatMap((t) => validateAgainstTemplate(t, statement)) }
}

/** True when the statement names a version of `profile` in `context.contextActivities.category`. */
export function usesProfile(profile: Profile, statement: Json): boolean {
  const category = ((statement.context as Json | undefined)?.contextActivities as Json | undefined)?.category
  const ids = (Array.isArray(category) ? category : category === undefined ? [] : [category]).map((a) => (a as Json).id)
  return profile.versions.some((v) => ids.includes(v.id))
}
