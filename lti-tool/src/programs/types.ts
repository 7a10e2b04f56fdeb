/**
 * Programs as an administrator configures them (issue 5; DOMAIN.md "Diklat Berjenjang tiers"):
 * Program → Tier (Dasar / Lanjut / Mahir) → Phase (in-service / on-the-job) → Module, and the
 * participants planned per kecamatan. Every level has a stable xAPI activity IRI.
 */

export type Text = { readonly id: string; readonly en: string }

export const TIER_LEVELS = ['dasar', 'lanjut', 'mahir'] as const
export type TierLevel = (typeof TIER_LEVELS)[number]

export const PHASE_KINDS = ['in-service', 'on-the-job'] as const
export type PhaseKind = (typeof PHASE_KINDS)[number]

/**
 * When a teacher has completed a tier (DOMAIN.md: "completion by attendance, tasks and
 * post-test"). Each part is optional; `null` percentages mean "not required".
 */
export interface CompletionRule {
  /** Every module of the tier completed. */
  readonly allModules: boolean
  /** The post-test passed with at least this percentage (xAPI `score.scaled` × 100). */
  readonly postTestMinPercent: number | null
  /** Every performance task accepted (scored as passed) by a facilitator. */
  readonly tasksAccepted: boolean
  /** At least this share of the group's meetings attended, in percent. */
  readonly minAttendancePercent: number | null
}

export interface ProgramFields {
  readonly code: string
  readonly name: Text
  readonly active: boolean
}

export interface TierFields {
  readonly level: TierLevel
  readonly name: Text
  /** Jam pelajaran (JP). */
  readonly hours: number
  readonly completion: CompletionRule
}

export interface PhaseFields {
  readonly code: string
  /** 1-based place in the tier. */
  readonly position: number
  readonly name: Text
  readonly kind: PhaseKind
  readonly hours: number
}

export interface ModuleFields {
  readonly code: string
  /** 1-based place in its phase. */
  readonly position: number
  readonly name: Text
  readonly hours: number
  /** Activity ids of the e-training app or LMS whose completion counts as this module. */
  readonly lmsActivityIds: readonly string[]
}

export interface ProgramModule extends ModuleFields {
  readonly id: string
  readonly phaseId: string
  readonly activityId: string
}

export interface ProgramPhase extends PhaseFields {
  readonly id: string
  readonly activityId: string
  readonly modules: readonly ProgramModule[]
}

export interface ProgramTier extends TierFields {
  readonly id: string
  readonly activityId: string
  /** In order. */
  readonly phases: readonly ProgramPhase[]
}

export interface ProgramQuota {
  readonly kecamatanId: string
  readonly kecamatanCode: string
  readonly kecamatanName: string
  readonly participants: number
}

export interface ProgramSummary extends ProgramFields {
  readonly id: string
  readonly activityId: string
  readonly tiers: readonly TierLevel[]
  readonly updatedAt: string
}

/** A program with everything under it, tiers in level order. */
export interface Program extends ProgramSummary {
  readonly tierList: readonly ProgramTier[]
  readonly quotas: readonly ProgramQuota[]
}

/**
 * A whole program as JSON (export, import, the demo seed): positions are array order; codes
 * identify tiers (by level), phases and modules, so importing again updates in place. An
 * `activityId` is only read when the row is new: a stored row keeps its IRI.
 */
export interface ProgramDocument {
  readonly format: typeof PROGRAM_DOCUMENT_FORMAT
  readonly code: string
  readonly name: Text
  readonly active: boolean
  readonly activityId?: string
  readonly tiers: ReadonlyArray<TierFields & {
    readonly activityId?: string
    readonly phases: ReadonlyArray<Omit<PhaseFields, 'position'> & {
      readonly activityId?: string
      readonly modules: ReadonlyArray<Omit<ModuleFields, 'position'> & { readonly activityId?: string }>
    }>
  }>
  /** Participants planned, by kecamatan code (`org_node.code`). */
  readonly quotas: Readonly<Record<string, number>>
}

export const PROGRAM_DOCUMENT_FORMAT = 'tln-program/1'

/** One broken rule of one field: `field` is the form field (or the document path), `rule` a stable name. */
export interface FieldProblem {
  readonly field: string
  readonly rule: string
  readonly message: Text
}

/** What a save did to the competence configuration (`program-publish.ts`). */
export interface Published {
  /** The active competence config version after the save. */
  readonly version: number
  /** True when the save stored a new version (the engine then rebuilds the reports). */
  readonly published: boolean
}
