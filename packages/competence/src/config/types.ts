/**
 * A tenant's competence configuration, as stored in `competence_config` (one row per version; the
 * highest is active). Issue 6: "Rebuild from scratch on a rule change" — a new version makes the
 * engine rebuild every projection.
 */
import type { BilingualText, Framework } from '../framework/types.ts'
import type { RatingConfig } from '../rating/rating-config.ts'
import type { EvidenceRule } from '../rules/types.ts'

/**
 * How the engine recognises the program's activities in statements (DOMAIN.md, "xAPI statements
 * the tool emits"), so that tier progress, tasks, meetings and mentoring can be reported. Data,
 * not code: another program (or the e-training app's own IRIs) is a new config version.
 */
export interface ProgramVocabulary {
  /** `definition.type` of a tier (Diklat Berjenjang Dasar / Lanjut / Mahir). */
  readonly tierType: string
  /** `definition.type` of a tier's phase. */
  readonly phaseType: string
  /** `definition.type`s of a module (TLN, ADL, Moodle logstore `…/lms/module`). */
  readonly moduleTypes: readonly string[]
  /** `definition.type`s of a post-test or quiz. */
  readonly assessmentTypes: readonly string[]
  /** `definition.type` of a performance task. */
  readonly taskType: string
  /** `definition.type` of a meeting or workshop day. */
  readonly meetingType: string
  /** `definition.type` of a program (the grouping activity that names the program). */
  readonly programType: string
  /** Context extension IRI holding the school NPSN. */
  readonly npsnExtension: string
  /** Context extension IRI holding the kecamatan IRI. */
  readonly kecamatanExtension: string
  /** The tier's phases in order (the funnel's stages), with their activity ids. */
  readonly phases?: readonly { readonly id: string; readonly name: BilingualText }[]
  /** Participants planned per kecamatan, by kecamatan code (`org_node.code`). */
  readonly quotas?: Readonly<Record<string, number>>
}

export interface CompetenceConfig {
  readonly framework: Framework
  readonly rules: readonly EvidenceRule[]
  readonly rating: RatingConfig
  readonly program: ProgramVocabulary
}

/** The active configuration with its version (`competence_config.version`). */
export interface VersionedCompetenceConfig extends CompetenceConfig {
  readonly version: number
}

/**
 * What the engine classifies a statement as (`learning_fact.kind`); statements of no kind still
 * count in `learner_month` and may still be evidence.
 * - `tier-completed`, `phase-completed`, `module-completed`: verb completed on a tier / phase / module;
 * - `assessment`: passed / failed / completed with a score on an assessment (`score`, `success`);
 * - `task-submitted`: verb submit on a task; `task-scored`: verb scored on a task (`score` scaled, `success`);
 * - `attended`: verb attended on a meeting (`related_key` = the instructor's IFI key, if any);
 * - `mentored`: verb mentored (`related_key` = the mentee's IFI key; `parent_id` = the mentoring relation);
 * - `launched`: verb launched (module sessions).
 */
export type FactKind =
  | 'tier-completed'
  | 'phase-completed'
  | 'module-completed'
  | 'assessment'
  | 'task-submitted'
  | 'task-scored'
  | 'attended'
  | 'mentored'
  | 'launched'
