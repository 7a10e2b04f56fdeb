/**
 * Statement → evidence, pure (ARCHITECTURE.md: "Competence reports are projections of the
 * statement stream"). The aggregation engine calls this for every stored statement, in stored
 * order, and keeps what it returns; voiding retracts by statement id.
 */
import { ifiKey, toInstant, type Activity, type Statement } from '@tln/xapi'
import type { Evidence } from '../rating/types.ts'
import type { EvidenceRule } from './types.ts'

/** xAPI 1.0.3 Data §2.3.2: a voiding statement is never evidence itself. */
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided'
/** ADL `failed`: without a score, a failure is evidence of not (yet) reaching the indicator. */
const FAILED = 'http://adlnet.gov/expapi/verbs/failed'

function objectActivity(statement: Statement): Activity | undefined {
  const object = statement.object
  // Data §2.4.4: an object without objectType is an Activity.
  return object.objectType === undefined || object.objectType === 'Activity' ? (object as Activity) : undefined
}

function matches(statement: Statement, rule: EvidenceRule): boolean {
  const m = rule.match
  const activity = objectActivity(statement)
  const ctx = statement.context?.contextActivities
  if (m.verb !== undefined && statement.verb.id !== m.verb) return false
  if (m.activity !== undefined && activity?.id !== m.activity) return false
  if (m.activityType !== undefined && activity?.definition?.type !== m.activityType) return false
  if (m.activityIdPrefix !== undefined && !(activity?.id.startsWith(m.activityIdPrefix) ?? false)) return false
  if (m.within !== undefined && activity?.id !== m.within && ![...(ctx?.parent ?? []), ...(ctx?.grouping ?? [])].some((a) => a.id === m.within)) return false
  if (m.category !== undefined && !(ctx?.category ?? []).some((a) => a.id === m.category)) return false
  if (m.registration === true && statement.context?.registration === undefined) return false
  const r = rule.result
  if (r?.success !== undefined && statement.result?.success !== r.success) return false
  if (r?.completion !== undefined && statement.result?.completion !== r.completion) return false
  return true
}

const clamp = (x: number): number => Math.min(1, Math.max(0, x))

/**
 * The evidence score, 0..1: a rubric criterion's level ÷ the top level; else `result.score.scaled`
 * (negative scaled scores count as 0); else raw within min..max; else 0 for `success: false` or the verb
 * `failed`; else 1 (the statement says it was done: completed, passed, mentored).
 */
function scoreOf(statement: Statement, rule: EvidenceRule): number | undefined {
  const result = statement.result
  if (rule.match.rubricCriterion !== undefined) {
    if (rule.rubric === undefined) return undefined
    const levels = result?.extensions?.[rule.rubric.extension]
    const level = typeof levels === 'object' && levels !== null ? (levels as Record<string, unknown>)[rule.match.rubricCriterion] : undefined
    return typeof level === 'number' && Number.isFinite(level) ? clamp(level / rule.rubric.maxLevel) : undefined
  }
  const score = result?.score
  if (score?.scaled !== undefined) return clamp(score.scaled)
  if (score?.raw !== undefined && score.min !== undefined && score.max !== undefined && score.max > score.min) return clamp((score.raw - score.min) / (score.max - score.min))
  if (result?.success === false || statement.verb.id === FAILED) return 0
  return 1
}

/**
 * The evidence one statement gives under `rules`. Rules are tried in order; a statement counts at
 * most once per indicator (the first matching rule wins), so overlapping default and
 * administrator rules never double-count. Nothing for a voiding statement, or for an actor without
 * an IFI (an anonymous group has no one to credit).
 *
 * @param statement a stored statement (it has an `id` and a `timestamp`, Data §2.4.1, §2.4.7).
 * @throws TypeError for a statement without `id` or a valid `timestamp` (not from the LRS).
 */
export function evidenceFromStatement(statement: Statement, rules: readonly EvidenceRule[]): Evidence[] {
  if (statement.id === undefined) throw new TypeError('evidenceFromStatement needs a stored statement (no id)')
  const at = toInstant(statement.timestamp ?? statement.stored ?? '')
  if (at === undefined) throw new TypeError(`statement ${statement.id} has no valid timestamp`)
  if (statement.verb.id === VOIDED) return []
  const learner = ifiKey(statement.actor)
  if (learner === undefined) return []
  const out: Evidence[] = []
  const counted = new Set<string>()
  for (const rule of rules) {
    if (counted.has(rule.indicator) || !matches(statement, rule)) continue
    const score = scoreOf(statement, rule)
    if (score === undefined) continue
    if (rule.result?.minScaled !== undefined && score < rule.result.minScaled) continue
    counted.add(rule.indicator)
    out.push({ statementId: statement.id, learner, indicator: rule.indicator, source: rule.source, score, at, weight: rule.weight, rule: `${rule.id}@${rule.version}` })
  }
  return out
}
