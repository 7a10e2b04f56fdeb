import { normaliseRoles } from '@tln/lti-v1p3'
import { describe, expect, it } from 'vitest'
import { tlnRoleOf } from './roles.ts'

describe('tlnRoleOf (LTI Core 1.3 §A.2 roles → TLN roles)', () => {
  it.each([
    [['Learner'], 'teacher'],
    [['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], 'teacher'],
    [['Instructor'], 'facilitator'],
    [['Instructor#TeachingAssistant'], 'facilitator'],
    [['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator'], 'admin'],
    [['http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator', 'Learner'], 'admin'],
    [['Learner', 'Instructor'], 'facilitator'],
    [['http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper'], 'guest'],
    [[], 'guest'],
  ])('%j → %s', (roles, expected) => {
    expect(tlnRoleOf(normaliseRoles(roles))).toBe(expected)
  })
})
