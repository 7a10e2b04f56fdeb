import type { LtiLaunch } from '@tln/lti-v1p3'
import type { Statement } from '@tln/xapi'
import type { Passback } from '../../lti-tool/src/ags/passback-store.ts'
import { gradeStatements, submitStatement, taskStatementId, type TaskStatementSubject } from '../../lti-tool/src/tasks/task-statements.ts'
import { launchStatement } from '../../lti-tool/src/xapi/launch-statement.ts'
import { scoreStatement } from '../../lti-tool/src/xapi/score-statement.ts'
import { answerStatement, mentoredStatement, verificationStatement } from '../../lti-tool/src/mentoring/mentoring-statements.ts'
import type { MentoringSession, Relation } from '../../lti-tool/src/mentoring/types.ts'
import { meetingAndEvaluationSamples } from '../../lti-tool/test/meetings/profile-samples.ts'

/**
 * One statement of every kind the tool's own builders produce (launch, submission, passing and
 * failing grade with feedback, AGS score), built from realistic inputs, for the profile test.
 */
export function toolStatementSamples(): Statement[] {
  const launch = {
    messageType: 'LtiResourceLinkRequest', deploymentId: 'd-1', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], custom: {}, claims: {},
    platform: { issuer: 'https://moodle.example.org', clientId: 'c', authorizationEndpoint: 'x', tokenEndpoint: 'x', jwksUri: 'x' },
    user: { sub: 'u-17', name: 'Siti' },
    context: { id: 'course-1', title: 'Diklat PAUD', type: [] },
    resourceLink: { id: 'rl-1', title: 'RPPH' },
  } satisfies LtiLaunch
  const subject: TaskStatementSubject = {
    publicUrl: 'https://tln.example', tenant: 'default', platformId: 'p1', issuer: 'https://moodle.example.org',
    teacher: { sub: 'u-17', name: 'Siti' }, contextId: 'course-1', task: { key: 'task-rpph', title: { id: 'RPPH', en: 'Daily lesson plan' } },
  }
  const facilitator = { issuer: 'https://moodle.example.org', sub: 'u-19', name: 'Dewi' }
  const grade = (gradeId: string, passed: boolean) => gradeStatements(subject, {
    gradeId, submitStatementId: taskStatementId('submit', 'sub-1'), facilitator,
    score: { raw: passed ? 80 : 40, scaled: passed ? 0.8 : 0.4, passed } as never,
    levels: { 'rpph-tujuan': passed ? 4 : 2 }, feedback: passed ? 'Bagus' : 'Perbaiki tujuan', timestamp: new Date('2026-03-02T02:00:00Z'),
  })
  const job: Passback = {
    id: 7, tenant: 'default', tenantId: 't', platformId: 'p1', issuer: 'https://moodle.example.org', clientId: 'c',
    target: { lineItemsUrl: 'https://moodle.example.org/mod/lti/services.php/2/lineitems?type_id=1', label: 'RPPH', resourceLinkId: 'rl-1' },
    userSub: 'u-17', scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
    timestamp: new Date('2026-03-02T02:00:01Z'), instructor: { sub: 'u-19', name: 'Dewi' }, contextId: 'course-1',
    status: 'pending', attempts: 1, nextAttemptAt: new Date(0), createdAt: new Date(0),
  }
  const relation: Relation = {
    id: '0b5f6a1e-4c1d-4c55-9a55-7f0e8d6c4b10', tenantId: 't1', tenant: 'default', windowStart: '2026-03-01', windowDays: 15, createdAt: new Date('2026-03-01T00:00:00Z'),
    mentor: { id: 'p-mentor', name: 'Siti Rahayu', lti: { issuer: 'https://moodle.example.org', sub: 'u-17' } },
    mentee: { id: '7d1c9a20-1111-4aaa-8bbb-123456789abc', name: 'Baiq Nurul' },
    school: { id: 's1', name: 'TK Cahaya Praya', npsn: '50203344', path: '/a/b/c/s1/' },
    kecamatan: { name: 'Praya', districtName: 'Kabupaten Lombok Tengah' },
  } as Relation
  const session = {
    id: '3f0e7a55-2222-4ccc-9ddd-abcdefabcdef', relationId: relation.id, date: '2026-03-10', durationMinutes: 45, topicTask: 'RPPH', topicText: '', notes: 'n',
    afterWindow: false, status: 'waiting', menteeNote: '', verificationNote: '', createdAt: new Date('2026-03-10T05:00:00Z'),
  } as MentoringSession
  const verifier = { objectType: 'Agent' as const, name: 'Dewi', account: { homePage: 'https://moodle.example.org', name: 'u-19' } }
  return [
    mentoredStatement('https://tln.example', relation, session),
    mentoredStatement('https://tln.example', relation, { ...session, id: '3f0e7a55-2222-4ccc-9ddd-abcdefabcde0', afterWindow: true, topicTask: undefined, topicText: 'Media' } as MentoringSession),
    answerStatement('https://tln.example', relation, session, { confirmed: true, note: '', at: new Date('2026-03-11T01:00:00Z') }),
    answerStatement('https://tln.example', relation, session, { confirmed: false, note: 'Tidak ada sesi hari itu', at: new Date('2026-03-11T01:00:00Z') }),
    verificationStatement('https://tln.example', relation, session, { verifier, approved: true, note: '', at: new Date('2026-03-12T01:00:00Z') }),
    verificationStatement('https://tln.example', relation, session, { verifier, approved: false, note: 'Foto tidak jelas', at: new Date('2026-03-12T01:00:00Z') }),
    launchStatement(launch, { publicUrl: 'https://tln.example', platformId: 'p1', timestamp: new Date('2026-03-01T01:00:00Z'), id: '8f0e7a5e-1111-4a4a-8888-000000000001' }),
    submitStatement(subject, { submissionId: 'sub-1', version: 1, timestamp: new Date('2026-03-01T12:00:00Z') }),
    ...grade('g-1', false),
    ...grade('g-2', true),
    scoreStatement(job, { publicUrl: 'https://tln.example', lineItemUrl: 'https://moodle.example.org/mod/lti/services.php/2/lineitems/5/lineitem?type_id=1' })!,
    ...meetingAndEvaluationSamples(),
  ]
}
