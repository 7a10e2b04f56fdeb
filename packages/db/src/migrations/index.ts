import type { Knex } from 'knex'
import * as tenantsAndCredentials from './20261129000100-tenants-and-credentials.ts'
import * as statements from './20261129000200-statements.ts'
import * as documents from './20261129000300-documents.ts'
import * as attachments from './20261129000400-attachments.ts'
import * as lti from './20261129000500-lti.ts'
import * as exchange from './20261129000600-exchange.ts'
import * as ltiServices from './20261129000700-lti-services.ts'
import * as orgAccounts from './20261129000800-org-accounts.ts'
import * as tasks from './20261129000900-tasks.ts'
import * as competence from './20261129001000-competence.ts'
import * as competenceReportIndexes from './20261129001050-competence-report-indexes.ts'
import * as competenceRollups from './20261129001060-competence-rollups.ts'
import * as openBadges from './20261129001100-open-badges.ts'
import * as mentoring from './20261129001200-mentoring.ts'
import * as securityAudit from './20261129001300-security-audit.ts'
import * as courseClasses from './20261129001400-course-classes.ts'
import * as meetingsObservations from './20261129001500-meetings-observations.ts'
import * as mentoringRollupTimeZone from './20261129001610-mentoring-rollup-time-zone.ts'
import * as badgeKeyRetirement from './20261129001620-badge-key-retirement.ts'
import * as programs from './20261129001630-programs.ts'
import * as taskAdmin from './20261129001640-task-admin.ts'
import * as toolStatementOutbox from './20261129001650-tool-statement-outbox.ts'
import * as privacyErasure from './20261129001660-privacy-erasure.ts'
import * as learnerSchool from './20261130000100-learner-school.ts'
import * as badgePending from './20261130000200-badge-pending.ts'
import * as agentVerbPostings from './20261130000300-agent-verb-postings.ts'
import * as evidenceVoidedIndex from './20261130000400-evidence-voided-index.ts'
import * as ltiLoginBinding from './20261130001500-lti-login-binding.ts'
import * as passbackGrants from './20261130002000-passback-grants.ts'
import * as learnerActivity from './20261130002100-learner-activity.ts'
import * as statementStatisticsSample from './20261130002310-statement-statistics-sample.ts'
import * as ltiSessionHandoff from './20261130002400-lti-session-handoff.ts'
import * as databaseJitOff from './20261130002500-database-jit-off.ts'
import * as competenceSkippedStatements from './20261130002600-competence-skipped-statements.ts'
import * as demoLmsKey from './20261130003000-demo-lms-key.ts'
import * as demoLmsCourse from './20261130003100-demo-lms-course.ts'
import * as ltiPlatformJwks from './20261130003200-lti-platform-jwks.ts'
import * as competenceEvidenceCovering from './20261130003300-competence-evidence-covering.ts'
import * as competenceRatingDouble from './20261130003400-competence-rating-double.ts'

interface Migration {
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

/**
 * Every migration, in order. Listed here rather than found on disk so that the same list runs
 * under tsx, vitest and any bundler. Never edit a merged migration: add a new file.
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261129000100-tenants-and-credentials', tenantsAndCredentials],
  ['20261129000200-statements', statements],
  ['20261129000300-documents', documents],
  ['20261129000400-attachments', attachments],
  ['20261129000500-lti', lti],
  ['20261129000600-exchange', exchange],
  ['20261129000700-lti-services', ltiServices],
  ['20261129000800-org-accounts', orgAccounts],
  ['20261129000900-tasks', tasks],
  ['20261129001000-competence', competence],
  ['20261129001050-competence-report-indexes', competenceReportIndexes],
  ['20261129001060-competence-rollups', competenceRollups],
  ['20261129001100-open-badges', openBadges],
  ['20261129001200-mentoring', mentoring],
  ['20261129001300-security-audit', securityAudit],
  ['20261129001400-course-classes', courseClasses],
  ['20261129001500-meetings-observations', meetingsObservations],
  ['20261129001610-mentoring-rollup-time-zone', mentoringRollupTimeZone],
  ['20261129001620-badge-key-retirement', badgeKeyRetirement],
  ['20261129001630-programs', programs],
  ['20261129001640-task-admin', taskAdmin],
  ['20261129001650-tool-statement-outbox', toolStatementOutbox],
  ['20261129001660-privacy-erasure', privacyErasure],
  ['20261130000100-learner-school', learnerSchool],
  ['20261130000200-badge-pending', badgePending],
  ['20261130000300-agent-verb-postings', agentVerbPostings],
  ['20261130000400-evidence-voided-index', evidenceVoidedIndex],
  ['20261130001500-lti-login-binding', ltiLoginBinding],
  ['20261130002000-passback-grants', passbackGrants],
  ['20261130002100-learner-activity', learnerActivity],
  ['20261130002310-statement-statistics-sample', statementStatisticsSample],
  ['20261130002400-lti-session-handoff', ltiSessionHandoff],
  ['20261130002500-database-jit-off', databaseJitOff],
  ['20261130002600-competence-skipped-statements', competenceSkippedStatements],
  ['20261130003000-demo-lms-key', demoLmsKey],
  ['20261130003100-demo-lms-course', demoLmsCourse],
  ['20261130003200-lti-platform-jwks', ltiPlatformJwks],
  ['20261130003300-competence-evidence-covering', competenceEvidenceCovering],
  ['20261130003400-competence-rating-double', competenceRatingDouble],
]
