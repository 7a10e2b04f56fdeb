import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkStatementAgainstProfile, usesProfile, validateProfile, validateStatement, type Profile } from '@tln/xapi'
import { demoStatements } from '../../apps/server/src/seed/demo-statements.ts'
import { toolStatementSamples } from './tool-statement-samples.ts'

/**
 * The TLN xAPI Profile (issue 5: "a test validates every emitted statement against its
 * template"). Every statement TLN emits — the demo program's and the tool's own builders' — must
 * name the profile version in `category`, match at least one Statement Template by its
 * determining properties and follow that template's rules (xAPI Profiles 1.0 Part Two,
 * "Using Profiles in Statements": statements naming a profile version "MUST conform to any
 * matching templates").
 */
const profile = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../docs/xapi-profile/tln-profile.jsonld'), 'utf8')) as Profile

function expectFollowsProfile(statement: Record<string, unknown>): void {
  validateStatement(statement, { version: '1.0.3' })
  expect(usesProfile(profile, statement), `${JSON.stringify(statement.verb)} names the profile version in category`).toBe(true)
  const check = checkStatementAgainstProfile(profile, statement)
  expect(check.templates.length, `${JSON.stringify(statement.verb)} on ${JSON.stringify((statement.object as { definition?: unknown }).definition)} matches a template`).toBeGreaterThan(0)
  expect(check.issues).toEqual([])
}

describe('TLN xAPI Profile (docs/xapi-profile/tln-profile.jsonld)', () => {
  it('is a well-formed xAPI Profile 1.0 document (Part Two)', () => {
    expect(validateProfile(profile)).toEqual([])
  })

  it('every demo statement matches a template and follows its rules', () => {
    const statements = demoStatements()
    expect(statements.length).toBeGreaterThan(3000)
    for (const statement of statements) expectFollowsProfile(statement)
  }, 60_000)

  it('every statement the tool builds (launch, submission, grade, feedback, AGS score, mentoring) matches a template and follows its rules', () => {
    const samples = toolStatementSamples()
    expect(samples.map((s) => s.verb.id)).toEqual(expect.arrayContaining([
      'http://adlnet.gov/expapi/verbs/launched', 'http://activitystrea.ms/schema/1.0/submit', 'http://adlnet.gov/expapi/verbs/scored',
      'http://adlnet.gov/expapi/verbs/passed', 'http://adlnet.gov/expapi/verbs/failed', 'http://adlnet.gov/expapi/verbs/commented',
    ]))
    for (const statement of samples) expectFollowsProfile(statement as unknown as Record<string, unknown>)
  })

  it('a statement that breaks a template rule is caught (a scored task without the instructor)', () => {
    const scored = toolStatementSamples().find((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/scored' && (s.object as { definition?: { type?: string } }).definition?.type === 'http://id.tincanapi.com/activitytype/school-assignment')!
    const { instructor: _dropped, ...context } = scored.context as Record<string, unknown>
    const issues = checkStatementAgainstProfile(profile, { ...scored, context } as unknown as Record<string, unknown>).issues
    expect(issues.map((i) => i.location)).toContain('$.context.instructor')
  })
})
