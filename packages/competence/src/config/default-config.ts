/**
 * The configuration a tenant has before an administrator stores one (version 0): the PAUD
 * educator framework, no aligned rules (no statement is evidence until activities are aligned to
 * indicators), decaying-average ratings, and the vocabulary of TLN's own statements.
 */
import { PAUD_EDUCATOR_COMPETENCES } from '../seed/paud-competences.ts'
import type { RatingConfig } from '../rating/rating-config.ts'
import type { CompetenceConfig, ProgramVocabulary } from './types.ts'

const TLN_XAPI = 'https://tln.example/xapi'

/**
 * The IRIs TLN's statements use. Copied as data from `apps/server/src/seed/demo-program.ts`
 * (`ACTIVITY_TYPES`, `EXTENSIONS`), which this package must not import (apps depend on packages,
 * never the reverse); keep the two in step. Moodle logstore_xapi's module and quiz types and the
 * ADL/JISC assessment types are included so the e-training app's statements classify too.
 */
export const DEFAULT_PROGRAM_VOCABULARY: ProgramVocabulary = {
  programType: 'http://adlnet.gov/expapi/activities/course',
  tierType: `${TLN_XAPI}/activitytypes/tier`,
  phaseType: `${TLN_XAPI}/activitytypes/phase`,
  moduleTypes: ['http://adlnet.gov/expapi/activities/module', 'http://id.tincanapi.com/activitytype/lms/module'],
  assessmentTypes: ['http://adlnet.gov/expapi/activities/assessment', 'http://xapi.jisc.ac.uk/activities/quiz'],
  taskType: 'http://id.tincanapi.com/activitytype/school-assignment',
  meetingType: 'http://adlnet.gov/expapi/activities/meeting',
  npsnExtension: `${TLN_XAPI}/extensions/npsn`,
  kecamatanExtension: `${TLN_XAPI}/extensions/kecamatan`,
}

/** DOMAIN.md's example: decaying average (w = 0.65), proficient at ≥ 0.75, parents when all children are. */
export const DEFAULT_RATING: RatingConfig = {
  method: { method: 'decayingAverage', weight: 0.65, threshold: 0.75 },
  rollUp: { rule: 'allChildrenProficient' },
}

export const DEFAULT_COMPETENCE_CONFIG: CompetenceConfig = {
  framework: PAUD_EDUCATOR_COMPETENCES,
  rules: [],
  rating: DEFAULT_RATING,
  program: DEFAULT_PROGRAM_VOCABULARY,
}
