import { validateStatement } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import type { LtiLaunch } from '@tln/lti-v1p3'
import { launchRegistration, launchStatement } from './launch-statement.ts'

const launch = {
  messageType: 'LtiResourceLinkRequest', deploymentId: 'd-1', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], custom: {}, claims: {},
  platform: { issuer: 'https://moodle.example.org', clientId: 'c', authorizationEndpoint: 'x', tokenEndpoint: 'x', jwksUri: 'x' },
  user: { sub: 'u 1', name: 'Siti' },
  context: { id: 'course/1', title: 'Pelatihan PAUD', type: [] },
  resourceLink: { id: 'rl-1', title: 'Modul 1' },
} satisfies LtiLaunch

describe('launchStatement (DOMAIN.md: every launch is a launched statement)', () => {
  it('is a valid xAPI 1.0.3 statement with the platform account as actor and the resource link as object', () => {
    const statement = launchStatement(launch, { publicUrl: 'https://tln.example', platformId: 'p1', timestamp: new Date(0), id: '8f0e7a5e-1111-4a4a-8888-000000000001' })
    expect(() => validateStatement(statement, { version: '1.0.3' })).not.toThrow()
    expect(statement).toMatchObject({
      actor: { account: { homePage: 'https://moodle.example.org', name: 'u 1' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/launched' },
      object: { id: 'https://tln.example/lti/platforms/p1/resource-links/rl-1' },
      context: { contextActivities: { grouping: [{ id: 'https://tln.example/lti/platforms/p1/contexts/course%2F1' }] } },
    })
  })

  it('derives the registration from (platform, context, user) alone', () => {
    const r = launchRegistration('p1', 'course/1', 'u 1')
    expect(r).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(launchRegistration('p1', 'course/1', 'u 1')).toBe(r)
    expect(launchRegistration('p1', 'course/2', 'u 1')).not.toBe(r)
    expect(launchRegistration('p2', 'course/1', 'u 1')).not.toBe(r)
  })
})
