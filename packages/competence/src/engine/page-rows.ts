/**
 * A page of the statement stream → the rows it adds to the projections, pure (STYLE.md rule 7:
 * the mapping apart from the SQL). Voiding is only collected here; what it retracts needs the
 * database (`voiding.ts`).
 */
import { ifiKey, toInstant, type Actor, type Statement } from '@tln/xapi'
import type { StreamedStatement } from '@tln/lrs'
import type { ProgramVocabulary } from '../config/types.ts'
import type { EvidenceRule } from '../rules/types.ts'
import { evidenceFromStatement } from '../rules/evidence-from-statement.ts'
import type { Evidence } from '../rating/types.ts'
import { factFromStatement, type Fact } from './fact-from-statement.ts'
import { monthIn } from './report-time-zone.ts'

/** xAPI 1.0.3 Data 2.3.2: the verb of a voiding statement. */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided'

export interface LearnerRow {
  readonly key: string
  name?: string
  npsn?: string
  kecamatan?: string
  firstAt: string
  lastAt: string
}

/** A statement of the page that the stream delivered voided: skipped, but it may need counting (see `voiding.ts`). */
export interface DeliveredVoided {
  readonly streamed: StreamedStatement
  readonly learner: string
  readonly month: string
}

export interface VoidingInPage {
  readonly streamed: StreamedStatement
  readonly targetId: string
}

export interface PageRows {
  readonly evidence: Evidence[]
  readonly facts: Fact[]
  readonly learners: Map<string, LearnerRow>
  /** `learner \u0000 month` → statements to add (negative after voiding). */
  readonly months: Map<string, number>
  readonly voiding: VoidingInPage[]
  readonly deliveredVoided: DeliveredVoided[]
  /** Statements that could not be read (logged and skipped, so one bad row cannot stop the partition). */
  readonly unreadable: Array<{ id: string; error: string }>
}

export interface PageConfig {
  readonly rules: readonly EvidenceRule[]
  readonly program: ProgramVocabulary
  /** IANA zone whose local months `learner_month` counts (`TLN_TIME_ZONE`; report-time-zone.ts). */
  readonly timeZone: string
}

export function monthKey(learner: string, month: string): string {
  return `${learner}\u0000${month}`
}

export function addMonth(months: Map<string, number>, learner: string, month: string, delta: number): void {
  const key = monthKey(learner, month)
  months.set(key, (months.get(key) ?? 0) + delta)
}

/**
 * Who and when a statement is about, for `learner_month` (the local month of `timestamp` in
 * `timeZone`); undefined for an anonymous actor.
 */
export function learnerAndMonth(statement: Statement, timeZone: string): { learner: string; at: string; month: string } | undefined {
  const learner = ifiKey(statement.actor as Actor)
  const at = toInstant(statement.timestamp ?? statement.stored ?? '')
  if (learner === undefined || at === undefined) return undefined
  return { learner, at, month: monthIn(at, timeZone) }
}

function stringExtension(statement: Statement, iri: string): string | undefined {
  const value = statement.context?.extensions?.[iri]
  return typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined
}

/** The newest statement (by timestamp) decides name, NPSN and kecamatan; earlier ones fill gaps. */
function touchLearner(learners: Map<string, LearnerRow>, statement: Statement, learner: string, at: string, program: ProgramVocabulary): void {
  const name = statement.actor.name
  const npsn = stringExtension(statement, program.npsnExtension)
  const kecamatan = stringExtension(statement, program.kecamatanExtension)
  const row = learners.get(learner)
  if (row === undefined) {
    learners.set(learner, { key: learner, firstAt: at, lastAt: at, ...(name !== undefined && { name }), ...(npsn !== undefined && { npsn }), ...(kecamatan !== undefined && { kecamatan }) })
    return
  }
  const newer = at >= row.lastAt
  if (name !== undefined && (newer || row.name === undefined)) row.name = name
  if (npsn !== undefined && (newer || row.npsn === undefined)) row.npsn = npsn
  if (kecamatan !== undefined && (newer || row.kecamatan === undefined)) row.kecamatan = kecamatan
  if (at < row.firstAt) row.firstAt = at
  if (newer) row.lastAt = at
}

function isVoiding(statement: Statement): boolean {
  return statement.verb.id === VOIDED_VERB && statement.object.objectType === 'StatementRef'
}

/**
 * The rows of one page: evidence (`evidenceFromStatement`), facts (`factFromStatement`), learners
 * and statements per learner and month. Statements the stream delivers voided are never evidence
 * (xAPI 1.0.3 Data 2.3.2: a voided statement is to be ignored for reporting); voiding statements
 * are collected for retraction and count nowhere themselves.
 */
export function pageRows(page: readonly StreamedStatement[], config: PageConfig): PageRows {
  const rows: PageRows = { evidence: [], facts: [], learners: new Map(), months: new Map(), voiding: [], deliveredVoided: [], unreadable: [] }
  for (const streamed of page) {
    try {
      const statement = JSON.parse(streamed.json) as Statement
      if (isVoiding(statement)) {
        rows.voiding.push({ streamed, targetId: (statement.object as { id: string }).id })
        continue
      }
      const who = learnerAndMonth(statement, config.timeZone)
      if (who === undefined) continue
      if (streamed.voided) {
        rows.deliveredVoided.push({ streamed, learner: who.learner, month: who.month })
        continue
      }
      rows.evidence.push(...evidenceFromStatement(statement, config.rules))
      const fact = factFromStatement(statement, config.program)
      if (fact !== undefined) rows.facts.push(fact)
      touchLearner(rows.learners, statement, who.learner, who.at, config.program)
      addMonth(rows.months, who.learner, who.month, 1)
    } catch (error) {
      if (!(error instanceof TypeError || error instanceof SyntaxError)) throw error
      rows.unreadable.push({ id: streamed.id, error: error.message })
    }
  }
  return rows
}
