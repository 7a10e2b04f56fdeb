import { alignRules, DEFAULT_PROGRAM_VOCABULARY as V, DEFAULT_RATING, PAUD_EDUCATOR_COMPETENCES, TLN_TEMPLATES, type CompetenceConfig } from '@tln/competence'
import { ifiKey, nameUuid } from '@tln/xapi'

/**
 * A small statement set for the report route tests, shaped like TLN's (DOMAIN.md, "xAPI
 * statements the tool emits"): program and tier in `grouping`, the school NPSN as a context
 * extension (how the reports place a learner at a school).
 */
const NS = '6f1d2c3b-4a59-4e8f-9b0a-1c2d3e4f5a6b'
export const HOME = 'https://etraining.example'
const BASE = 'https://tln.example/xapi/activities'
export const PROGRAM = { objectType: 'Activity', id: `${BASE}/program/tln-2026`, definition: { type: V.programType } }
export const TIER = { objectType: 'Activity', id: `${BASE}/tier/dasar`, definition: { type: V.tierType } }
export const TASK = { objectType: 'Activity', id: `${BASE}/task/rpph`, definition: { type: V.taskType, name: { 'id-ID': 'RPPH', 'en-US': 'Daily plan' } } }
export const POST_TEST = { objectType: 'Activity', id: `${BASE}/tier/dasar/post-test`, definition: { type: 'http://adlnet.gov/expapi/activities/assessment', name: { 'id-ID': 'Post-test Dasar' } } }

/** Task scores → PED.C.2, post-tests → PED.A.1. */
export const REPORT_CONFIG: CompetenceConfig = {
  framework: PAUD_EDUCATOR_COMPETENCES,
  rules: [
    ...alignRules(TLN_TEMPLATES.filter((t) => t.id === 'tln-task-scored'), [{ activity: TASK.id, indicators: ['PED.C.2'] }]),
    ...alignRules(TLN_TEMPLATES.filter((t) => t.id === 'tln-post-test-passed'), [{ activity: POST_TEST.id, indicators: ['PED.A.1'] }]),
  ],
  rating: DEFAULT_RATING,
  program: V,
}

export const agent = (account: string, name: string) => ({ objectType: 'Agent', name, account: { homePage: HOME, name: account } })
export const keyOf = (account: string): string => ifiKey({ account: { homePage: HOME, name: account } })!
export const statementId = (key: string): string => nameUuid(NS, key)

function statement(key: string, who: { account: string; name: string; npsn: string }, verb: string, object: unknown, timestamp: string, result: unknown) {
  return {
    id: statementId(key), actor: agent(who.account, who.name), verb: { id: verb }, object, timestamp, result,
    context: { contextActivities: { grouping: [PROGRAM, TIER] }, extensions: { [V.npsnExtension]: who.npsn } },
  }
}

export const scored = (key: string, who: { account: string; name: string; npsn: string }, scaled: number, timestamp: string) =>
  statement(key, who, 'http://adlnet.gov/expapi/verbs/scored', TASK, timestamp, { score: { scaled }, success: scaled >= 0.75 })

export const passed = (key: string, who: { account: string; name: string; npsn: string }, scaled: number, timestamp: string) =>
  statement(key, who, 'http://adlnet.gov/expapi/verbs/passed', POST_TEST, timestamp, { score: { scaled }, success: true })

/** A peer-mentoring session (TinCan `mentored`, the mentee as object), as the tool's mentoring log records it. */
export const mentored = (key: string, who: { account: string; name: string; npsn: string }, mentee: { account: string; name: string }, timestamp: string) =>
  statement(key, who, 'http://id.tincanapi.com/verb/mentored', agent(mentee.account, mentee.name), timestamp, { completion: true })
