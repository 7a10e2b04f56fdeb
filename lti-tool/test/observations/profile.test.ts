import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkStatementAgainstProfile, type Profile } from '@tln/xapi'
import { meetingAndEvaluationSamples } from '../meetings/profile-samples.ts'

const profile = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../docs/xapi-profile/tln-profile.jsonld'), 'utf8')) as Profile
const T = 'https://tln.example/xapi/profile/templates/'

/**
 * The meeting and evaluation statements against the TLN profile's templates (xAPI Profiles 1.0
 * Part Two, "Statement Templates": a statement matching a template's determining properties MUST
 * follow its rules). The whole-profile test is test/profile/tln-profile.test.ts.
 */
describe('meeting and evaluation templates of the TLN profile', () => {
  const [attended, voiding, observation, interview] = meetingAndEvaluationSamples() as unknown as Array<Record<string, any>>

  it('each statement matches the template written for it, and follows its rules', () => {
    const matched = [attended, voiding, observation, interview].map((s) => checkStatementAgainstProfile(profile, s!))
    expect(matched.map((m) => m.templates)).toEqual([[`${T}meeting-attended`], [`${T}statement-voided`], [`${T}observation-scored`], [`${T}interview-recorded`]])
    for (const m of matched) expect(m.issues).toEqual([])
  })

  it('catches an observation without its indicator ratings or instructor', () => {
    const { instructor: _i, ...context } = observation!.context
    const broken = { ...observation, context, result: { ...observation!.result, extensions: {} } }
    const locations = checkStatementAgainstProfile(profile, broken).issues.map((i) => i.location)
    expect(locations).toEqual(expect.arrayContaining(['$.context.instructor', "$.result.extensions['https://tln.example/xapi/extensions/indicator-ratings']"]))
  })

  it('catches an interview whose object is not the teacher Agent', () => {
    const broken = { ...interview, object: { objectType: 'Activity', id: 'https://tln.example/x' } }
    expect(checkStatementAgainstProfile(profile, broken).issues.map((i) => i.location)).toContain('$.object.objectType')
  })
})
