/**
 * Peer mentoring (DOMAIN.md "Entities": MentoringRelation (mentor, mentee, school, window such as
 * 15 days) → MentoringSession (date, duration, topic, evidence, mentee acknowledgement,
 * verification)). Plain values; rules are `rules.ts`, storage `mentoring-store.ts`, HTTP `router.ts`.
 */
import type { Text } from '../tasks/types.ts'

export type { Text }

/** The lesson-plan tasks a session may be about (the 15-day challenge: colleagues make the same plans). */
export type LessonPlanTask = 'PROTA' | 'PROMES' | 'RPPM' | 'RPPH'
export const LESSON_PLAN_TASKS: readonly LessonPlanTask[] = ['PROTA', 'PROMES', 'RPPM', 'RPPH']

/** Their catalogue item ids (`catalogue.ts`), the key of the task Activity in statements. */
export const TASK_KEY: Readonly<Record<LessonPlanTask, string>> = {
  PROTA: 'task-prota', PROMES: 'task-promes', RPPM: 'task-rppm', RPPH: 'task-rpph',
}

/**
 * waiting (for the mentee) → confirmed | disputed (by the mentee) → verified | rejected (by a
 * facilitator of the kecamatan or the school head). verified and rejected are final.
 */
export type SessionStatus = 'waiting' | 'confirmed' | 'disputed' | 'verified' | 'rejected'

/** The challenge window when a tenant has set none (the paper: "a 15-day challenge"). */
export const DEFAULT_WINDOW_DAYS = 15

export interface PersonRef {
  readonly id: string
  readonly name: string
  readonly lti?: { readonly issuer: string; readonly sub: string }
}

export interface Relation {
  readonly id: string
  readonly tenantId: string
  /** The tenant's slug (statement ids and task Activity ids are per tenant). */
  readonly tenant: string
  readonly mentor: PersonRef
  readonly mentee: PersonRef & { readonly phone?: string; readonly email?: string }
  readonly school: { readonly id: string; readonly name: string; readonly npsn: string; readonly path: string }
  readonly kecamatan?: { readonly name: string; readonly districtName?: string }
  /** `YYYY-MM-DD`, the first day of the window. */
  readonly windowStart: string
  readonly windowDays: number
  readonly createdAt: Date
}

export interface Evidence {
  readonly name: string
  readonly mediaType: string
  readonly size: number
}

export interface MentoringSession {
  readonly id: string
  readonly relationId: string
  /** `YYYY-MM-DD`. */
  readonly date: string
  readonly durationMinutes: number
  readonly topicTask?: LessonPlanTask
  readonly topicText: string
  readonly notes: string
  readonly afterWindow: boolean
  readonly evidence?: Evidence
  readonly status: SessionStatus
  readonly menteeNote: string
  readonly verificationNote: string
  readonly createdAt: Date
}

/** One bad field of a form: which field, which rule, a message in both languages. */
export interface FieldProblem {
  readonly field: string
  readonly rule: string
  readonly message: Text
}
