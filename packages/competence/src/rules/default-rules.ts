/**
 * Default rule templates for what the e-training LMS and TLN really send, so the evidence from the
 * e-training app counts as soon as its courses are aligned to indicators (`alignRules`). Each
 * template is versioned; change the version whenever its meaning changes.
 *
 * Sources:
 * - Moodle logstore_xapi (xAPI-vle/moodle-logstore_xapi, src/transformer/events/…):
 *   `core/course_completed` → verb `completed`, object type `…/activitytype/lms/course`;
 *   `core/course_module_completion_updated` → `completed`, `…/activitytype/lms/module`, the course
 *   in `grouping`; `mod_quiz/attempt_submitted` → `completed`, object type
 *   `http://adlnet.gov/expapi/activities/assessment` (JISC mode: `http://xapi.jisc.ac.uk/activities/quiz`),
 *   `result.score.{raw,min,max,scaled}`, `success`, `completion`, the course in `grouping`.
 * - cmi5 (the cmi5 specification, §9.3 verbs and §9.6 context: registration, cmi5 category): `passed` / `failed` / `completed` by an AU, always
 *   with `context.registration` and the category `https://w3id.org/xapi/cmi5/context/categories/cmi5`.
 * - TLN's own statements (DOMAIN.md, "xAPI statements the tool emits"): post-test passed/failed on
 *   an assessment, facilitator `scored` on a task (`…/activitytype/school-assignment`), mentoring
 *   (`http://id.tincanapi.com/verb/mentored`). Per-criterion rubric rules come from the framework's
 *   rubrics (`rubricRules`).
 */
import type { EvidenceRuleTemplate } from './types.ts'

export const VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  mentored: 'http://id.tincanapi.com/verb/mentored',
} as const

export const ACTIVITY_TYPES = {
  moodleCourse: 'http://id.tincanapi.com/activitytype/lms/course',
  moodleModule: 'http://id.tincanapi.com/activitytype/lms/module',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  jiscQuiz: 'http://xapi.jisc.ac.uk/activities/quiz',
  task: 'http://id.tincanapi.com/activitytype/school-assignment',
} as const

/** cmi5 §9.6 (context): the category activity every cmi5-defined statement carries. */
export const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5'

/**
 * The result extension in which the TLN tool sends rubric levels (`{ "<criterion>": <level> }`),
 * as the demo seed (apps/server/src/seed/demo-program.ts) emits it. To be fixed by the TLN xAPI
 * profile; rules carry the IRI, so a change is a new rule version, not new code.
 */
export const TLN_RUBRIC_LEVELS_EXTENSION = 'https://tln.example/xapi/extensions/rubric-levels'

/** Moodle logstore_xapi: course and module completion, quiz attempts with their score. */
export const MOODLE_LOGSTORE_TEMPLATES: readonly EvidenceRuleTemplate[] = [
  { id: 'moodle-quiz-attempt', version: '1.0.0', match: { verb: VERBS.completed, activityType: ACTIVITY_TYPES.assessment }, source: 'e-training-test', weight: 1 },
  { id: 'moodle-quiz-attempt-jisc', version: '1.0.0', match: { verb: VERBS.completed, activityType: ACTIVITY_TYPES.jiscQuiz }, source: 'e-training-test', weight: 1 },
  { id: 'moodle-course-completed', version: '1.0.0', match: { verb: VERBS.completed, activityType: ACTIVITY_TYPES.moodleCourse }, source: 'e-training-completion', weight: 0.5 },
  { id: 'moodle-module-completed', version: '1.0.0', match: { verb: VERBS.completed, activityType: ACTIVITY_TYPES.moodleModule }, source: 'e-training-completion', weight: 0.25 },
]

/** cmi5 content in the e-training app: passed / failed (scored if the AU sends a score), completed. */
export const CMI5_TEMPLATES: readonly EvidenceRuleTemplate[] = [
  { id: 'cmi5-passed', version: '1.0.0', match: { verb: VERBS.passed, category: CMI5_CATEGORY, registration: true }, source: 'e-training-test', weight: 1 },
  { id: 'cmi5-failed', version: '1.0.0', match: { verb: VERBS.failed, category: CMI5_CATEGORY, registration: true }, source: 'e-training-test', weight: 1 },
  { id: 'cmi5-completed', version: '1.0.0', match: { verb: VERBS.completed, category: CMI5_CATEGORY, registration: true }, source: 'e-training-completion', weight: 0.5 },
]

/** TLN's own statements, beyond the per-criterion rubric rules. */
export const TLN_TEMPLATES: readonly EvidenceRuleTemplate[] = [
  { id: 'tln-post-test-passed', version: '1.0.0', match: { verb: VERBS.passed, activityType: ACTIVITY_TYPES.assessment }, source: 'e-training-test', weight: 1 },
  { id: 'tln-post-test-failed', version: '1.0.0', match: { verb: VERBS.failed, activityType: ACTIVITY_TYPES.assessment }, source: 'e-training-test', weight: 1 },
  { id: 'tln-task-scored', version: '1.0.0', match: { verb: VERBS.scored, activityType: ACTIVITY_TYPES.task }, source: 'facilitator-rubric', weight: 1 },
  { id: 'tln-mentored', version: '1.0.0', match: { verb: VERBS.mentored }, source: 'mentoring', weight: 0.5 },
]

/** All default templates, most specific first (the first matching rule per indicator wins). */
export const DEFAULT_RULE_TEMPLATES: readonly EvidenceRuleTemplate[] = [...CMI5_TEMPLATES, ...TLN_TEMPLATES, ...MOODLE_LOGSTORE_TEMPLATES]
