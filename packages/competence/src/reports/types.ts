/**
 * What the competence reports return (issue 6, "Reports"): plain data, the same for the pages, the
 * JSON API, CSV and PDF. Every number carries what it was computed from, so a page can link it to
 * its evidence (a teacher's report lists the statement ids behind each rating).
 *
 * Ratings are 0..1 (`Rating.rating`); shares are 0..1; dates are ISO 8601 (`YYYY-MM-DD` for
 * days, `YYYY-MM` for months, full instants for times).
 */
import type { BilingualText } from '../framework/types.ts'

/** What a report covers. The caller has already checked the viewer's grant on the scope. */
export interface ReportFilter {
  readonly tenantId: string
  /** Only learners placed under this org node path prefix (`org_node.path`, e.g. `/p/d/`): the viewer's grant. */
  readonly scopePath?: string
  /** Program activity id (`learning_fact.program_id`). */
  readonly program?: string
  /** Tier activity id (`learning_fact.tier_id`). */
  readonly tier?: string
  /** Inclusive day `YYYY-MM-DD`, on statement `timestamp` (activity figures; ratings are current). */
  readonly from?: string
  /** Inclusive day `YYYY-MM-DD`. */
  readonly to?: string
  readonly kecamatanId?: string
  readonly schoolId?: string
}

/** How current the projections are (shown on every report page). */
export interface EngineStatus {
  readonly state: 'catching-up' | 'rebuilding' | 'current' | 'not-started'
  /** Statements applied since the projections were (re)built. */
  readonly processed: number
  /** During a rebuild: statements applied of `rebuildTotal`. */
  readonly rebuildDone?: number
  readonly rebuildTotal?: number
  /** `stored` of the last statement applied. */
  readonly lastStored?: string
  readonly configVersion?: number
  /**
   * The IANA zone the projections count local days and months in (`TLN_TIME_ZONE`, e.g.
   * `Asia/Makassar`); report periods (`from`, `to`) and month rows are local to it.
   */
  readonly timeZone?: string
  /**
   * Statements stored in the LRS that the engine could not project and skipped, so the reports
   * leave them out (`competence_skipped_statement`; `tln competence skipped` lists them,
   * `tln competence retry-skipped` tries them again).
   */
  readonly skipped?: number
}

export interface ReportHeader {
  readonly generatedAt: string
  /** How current the projections are, always with the zone the report's days and months are in. */
  readonly engine: EngineStatus & { readonly timeZone: string }
  readonly filter: Omit<ReportFilter, 'tenantId' | 'scopePath'>
  /** The framework's competences (for column headings and radar axes). */
  readonly competences: readonly FrameworkHeading[]
}

export interface FrameworkHeading {
  readonly code: string
  readonly title: BilingualText
  /** Indicator codes below it, in framework order. */
  readonly indicators: readonly { readonly code: string; readonly title: BilingualText }[]
  /** Its sub-competences (`PED.A`), in framework order: a teacher's ratings have rows for them too. */
  readonly subCompetences: readonly { readonly code: string; readonly title: BilingualText }[]
}

/** One cell of a heatmap: the average rating of `teachers` learners, how many are proficient. */
export interface HeatCell {
  readonly code: string
  /** Mean rating over learners with any evidence for `code`; null when none has. */
  readonly rating: number | null
  readonly proficient: number
  readonly withEvidence: number
}

export interface DistrictReport extends ReportHeader {
  readonly district: { readonly id: string; readonly name: string } | null
  /** Kecamatan (TLN group) × competence. Learners without a placement form a row with id null. */
  readonly heatmap: readonly {
    readonly kecamatanId: string | null
    readonly kecamatanName: string
    readonly teachers: number
    readonly cells: readonly HeatCell[]
  }[]
  /** Enrolled → each phase completed → post-test passed → tier completed; distinct learners per stage. */
  readonly funnel: readonly { readonly stage: string; readonly label: BilingualText; readonly teachers: number }[]
  /** Month by month: active learners, statements, and the share proficient in each competence at month end. */
  readonly trend: readonly { readonly month: string; readonly activeTeachers: number; readonly statements: number }[]
  /** Participants (learners placed in the kecamatan with any statement in the period) against the configured quota. */
  readonly quota: readonly { readonly kecamatanId: string | null; readonly kecamatanName: string; readonly participants: number; readonly quota: number | null }[]
  /** Mentoring reach and chain depth; the who-mentored-whom graph is `MentoringNetworkReport`. */
  readonly mentoring: MentoringReach
  readonly success: SuccessIndicators
}

/** Mentoring reach per kecamatan of the mentor (DOMAIN.md, peer mentoring: chains are kept so reach can be shown). */
export interface MentoringReachRow {
  /** null: mentors not placed in a kecamatan. */
  readonly kecamatanId: string | null
  readonly kecamatanName: string
  /** Distinct mentors placed here who logged a session. */
  readonly mentors: number
  /** Distinct people those mentors mentored. */
  readonly mentees: number
  readonly sessions: number
  /** Longest mentor → mentee chain starting with a mentor placed here, in edges (0 without sessions). */
  readonly maxDepth: number
}

/** The district dashboard's mentoring figures: totals count each person once, whatever their kecamatan. */
export interface MentoringReach {
  readonly mentors: number
  readonly mentees: number
  readonly sessions: number
  /** Longest mentor → mentee chain, in edges. */
  readonly maxDepth: number
  /** One row per kecamatan of the heatmap, plus unplaced mentors. */
  readonly kecamatan: readonly MentoringReachRow[]
}

/** The mentoring network page (issue 6, "mentoring network graph (who mentored whom, depth)"). */
export interface MentoringNetworkReport extends ReportHeader {
  readonly district: { readonly id: string; readonly name: string } | null
  readonly network: MentoringNetwork
}

/** Who mentored whom (DOMAIN.md, peer mentoring: chains are kept so reach can be shown). */
export interface MentoringNetwork {
  readonly nodes: readonly { readonly key: string; readonly name: string; readonly kecamatanId: string | null; readonly participant: boolean }[]
  readonly edges: readonly { readonly mentor: string; readonly mentee: string; readonly sessions: number }[]
  /** Distinct mentees. */
  readonly reach: number
  /** Longest mentor → mentee chain, in edges. */
  readonly maxDepth: number
}

/** The program's own success indicators (the paper's evaluation). */
export interface SuccessIndicators {
  /** Distinct meeting / workshop activities with at least one attendance. */
  readonly activitiesHeld: number
  readonly participants: number
  readonly quota: number | null
  /** Share of attendances with a facilitator (`context.instructor`) recorded. */
  readonly facilitatorsPresent: number | null
  /** Share of participants with at least one passing task score. */
  readonly masteryShown: number | null
}

/**
 * A teacher's rating of one indicator in the kecamatan report: the teacher's `HeatCell` (always
 * with evidence: `withEvidence` 1, `proficient` 0 or 1) and how many statements the rating rests
 * on. The statements themselves are read on demand, per teacher × indicator
 * (`CompetenceReports.evidence`; `/api/reports/teacher/:learnerKey/evidence/:code`), as a
 * gradebook opens a grade's history: listed here they made the report grow with every statement.
 */
export interface KecamatanCell extends HeatCell {
  readonly rating: number
  /**
   * Statements the rating rests on (`competence_rating.evidence`), voided evidence left out. The
   * drill-down lists all of the indicator's evidence: the same set unless the rating method rates a
   * part of it (n-mastery, once proficient, rests on the mastered statements).
   */
  readonly evidenceCount: number
}

export interface KecamatanReport extends ReportHeader {
  readonly kecamatan: { readonly id: string; readonly name: string }
  /**
   * Teachers × indicators: per teacher, a cell for each indicator the teacher has a rating of, in
   * framework order (`competences`); an indicator without a cell has no evidence yet ("–").
   */
  readonly teachers: readonly {
    readonly learnerKey: string
    readonly name: string
    readonly schoolId: string | null
    readonly schoolName: string | null
    readonly cells: readonly KecamatanCell[]
  }[]
  /** Per task activity: how many submitted, how many passed, median days from first submission to passing score. */
  readonly tasks: readonly {
    readonly taskId: string
    readonly name: string
    readonly submitted: number
    readonly passed: number
    readonly completionRate: number
    readonly medianDaysToComplete: number | null
  }[]
  readonly meetings: readonly { readonly meetingId: string; readonly name: string; readonly day: string; readonly attended: number }[]
  /** Attendances ÷ (meetings × teachers). */
  readonly attendanceRate: number | null
  readonly mentoring: { readonly mentors: number; readonly mentees: number; readonly sessions: number }
}

export interface TeacherReport extends ReportHeader {
  readonly teacher: {
    readonly learnerKey: string
    readonly name: string
    readonly schoolName: string | null
    readonly kecamatanName: string | null
  }
  /** Every framework node with a rating: code, level, rating, proficient, method, config version, evidence ids. */
  readonly ratings: readonly {
    readonly code: string
    readonly level: 'indicator' | 'sub-competence' | 'competence'
    readonly rating: number
    readonly proficient: boolean
    readonly method: string
    readonly configVersion: number
    readonly evidence: readonly string[]
  }[]
  readonly tier: {
    readonly phases: readonly { readonly id: string; readonly name: string; readonly completedAt: string | null }[]
    readonly postTests: readonly { readonly at: string; readonly score: number | null; readonly success: boolean | null; readonly statementId: string }[]
    readonly completedAt: string | null
  }
  readonly tasks: readonly {
    readonly taskId: string
    readonly name: string
    readonly submissions: number
    readonly latestScore: number | null
    readonly passed: boolean
    readonly firstSubmittedAt: string | null
    readonly passedAt: string | null
    readonly statementIds: readonly string[]
  }[]
  readonly mentoringGiven: readonly { readonly mentee: string; readonly name: string; readonly sessions: number; readonly lastAt: string }[]
  readonly mentoringReceived: readonly { readonly mentor: string; readonly name: string; readonly sessions: number; readonly lastAt: string }[]
  /** Latest classified facts, newest first. */
  readonly timeline: readonly { readonly at: string; readonly kind: string; readonly verb: string; readonly objectId: string; readonly name: string; readonly score: number | null; readonly statementId: string }[]
}
