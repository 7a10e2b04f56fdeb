import { describe, expect, it } from 'vitest'
import { normaliseRole, normaliseRoles, ROLE } from './roles.ts'

describe('normaliseRole (LTI Core 1.3 §A.2; NRPS 2.0 §2.2)', () => {
  it.each([
    ['Learner', ROLE.learner],
    ['Instructor', ROLE.instructor],
    ['Instructor#TeachingAssistant', ROLE.teachingAssistant],
    [ROLE.learner, ROLE.learner],
    [ROLE.institutionAdministrator, ROLE.institutionAdministrator],
    ['urn:lti:role:ims/lis/Learner', ROLE.learner],
    ['urn:lti:role:ims/lis/Instructor/TeachingAssistant', ROLE.teachingAssistant],
    ['urn:lti:instrole:ims/lis/Administrator', ROLE.institutionAdministrator],
    ['urn:lti:sysrole:ims/lis/Administrator', ROLE.systemAdministrator],
    ['http://example.org/custom#Role', 'http://example.org/custom#Role'],
  ])('maps %s to %s', (input, expected) => expect(normaliseRole(input)).toBe(expected))

  it('drops duplicates, non-strings and empty values', () =>
    expect(normaliseRoles(['Learner', ROLE.learner, 7, '', null])).toEqual([ROLE.learner]))
})
