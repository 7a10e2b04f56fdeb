/**
 * Statements for the engine tests, shaped like TLN's and the demo's (DOMAIN.md, "xAPI statements
 * the tool emits"): the program and tier in `grouping`, NPSN and kecamatan as context extensions.
 */
import { nameUuid } from '@tln/xapi'
import { DEFAULT_PROGRAM_VOCABULARY as V, DEFAULT_RATING } from '../../src/config/default-config.ts'
import type { CompetenceConfig } from '../../src/config/types.ts'
import { alignRules } from '../../src/rules/align-rules.ts'
import { TLN_TEMPLATES } from '../../src/rules/default-rules.ts'
import { PAUD_EDUCATOR_COMPETENCES } from '../../src/seed/paud-competences.ts'

export type Raw = Record<string, unknown> & { id: string; timestamp: string }

const NS = '2b0c7e1a-6f0d-4f55-9a3b-7d1e0c9b8a11'
const BASE = 'https://tln.example/xapi/activities'
export const HOME = 'https://elearning.bppaudntb.example'
export const PROGRAM = { objectType: 'Activity', id: `${BASE}/program/test`, definition: { type: V.programType } }
export const TIER = { objectType: 'Activity', id: `${BASE}/tier/dasar`, definition: { type: V.tierType } }
export const TASK = { objectType: 'Activity', id: `${BASE}/task/rpph`, definition: { type: V.taskType, name: { 'id-ID': 'RPPH', 'en-US': 'Daily plan' } } }
export const POST_TEST = { objectType: 'Activity', id: `${BASE}/tier/dasar/post-test`, definition: { type: 'http://adlnet.gov/expapi/activities/assessment' } }
export const MEETING = { objectType: 'Activity', id: `${BASE}/meeting/tln-praya/2026-02-14`, definition: { type: V.meetingType } }
export const KECAMATAN_IRI = 'https://tln.example/id/lombok-tengah/kecamatan/praya'

function template(...ids: string[]) {
  return TLN_TEMPLATES.filter((t) => ids.includes(t.id))
}

/** Evidence: task scored → PED.C.2, post-test → PED.A.1, mentoring → SOS.B.2. */
export const TEST_CONFIG: CompetenceConfig = {
  framework: PAUD_EDUCATOR_COMPETENCES,
  rules: [
    ...alignRules(template('tln-task-scored'), [{ activity: TASK.id, indicators: ['PED.C.2'] }]),
    ...alignRules(template('tln-post-test-passed', 'tln-post-test-failed'), [{ activity: POST_TEST.id, indicators: ['PED.A.1'] }]),
    ...alignRules(template('tln-mentored'), [{ activity: PROGRAM.id, indicators: ['SOS.B.2'] }]),
  ],
  rating: DEFAULT_RATING,
  program: V,
}

export function teacher(n: number): Record<string, unknown> {
  return { objectType: 'Agent', name: `Guru ${n}`, account: { homePage: HOME, name: `guru-${String(n).padStart(3, '0')}` } }
}

export function teacherKey(n: number): string {
  return `account:${JSON.stringify([HOME, `guru-${String(n).padStart(3, '0')}`])}`
}

function base(key: string, n: number, verb: string, object: unknown, timestamp: string, extra: Record<string, unknown> = {}): Raw {
  return {
    id: nameUuid(NS, key), actor: teacher(n), verb: { id: verb }, object, timestamp,
    context: {
      contextActivities: { grouping: [PROGRAM, TIER] },
      extensions: { [V.npsnExtension]: `9990${n % 10}`, [V.kecamatanExtension]: KECAMATAN_IRI },
      ...(extra['context'] as object | undefined),
    },
    ...(extra['result'] !== undefined && { result: extra['result'] }),
  }
}

export function scored(key: string, n: number, scaled: number, timestamp: string): Raw {
  return base(key, n, 'http://adlnet.gov/expapi/verbs/scored', TASK, timestamp, { result: { score: { scaled }, success: scaled >= 0.625 } })
}

export function postTest(key: string, n: number, scaled: number, timestamp: string): Raw {
  const passed = scaled >= 0.7
  return base(key, n, `http://adlnet.gov/expapi/verbs/${passed ? 'passed' : 'failed'}`, POST_TEST, timestamp, { result: { score: { scaled }, success: passed } })
}

export function attended(key: string, n: number, timestamp: string): Raw {
  return base(key, n, 'http://adlnet.gov/expapi/verbs/attended', MEETING, timestamp, { context: { instructor: { objectType: 'Agent', name: 'Fasilitator', account: { homePage: HOME, name: 'fas-01' } } } })
}

export function mentored(key: string, n: number, mentee: number, timestamp: string): Raw {
  return base(key, n, 'http://id.tincanapi.com/verb/mentored', teacher(mentee), timestamp, { result: { completion: true, duration: 'PT45M' } })
}

export function tierCompleted(key: string, n: number, timestamp: string): Raw {
  return base(key, n, 'http://adlnet.gov/expapi/verbs/completed', TIER, timestamp, { result: { completion: true } })
}

export function voiding(key: string, n: number, target: string, timestamp: string): Raw {
  return { id: nameUuid(NS, key), actor: teacher(n), verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: target }, timestamp }
}

/** A deterministic mix of `count` statements over `teachers` teachers and six months. */
export function workload(count: number, teachers = 50, prefix = 'w'): Raw[] {
  const out: Raw[] = []
  for (let i = 0; i < count; i++) {
    const n = (i * 7) % teachers
    const day = new Date(Date.UTC(2026, 1, 1) + ((i * 37) % 180) * 86_400_000 + (i % 86_400) * 1000).toISOString()
    const key = `${prefix}/${i}`
    const kind = i % 5
    out.push(kind === 0 ? scored(key, n, ((i * 13) % 100) / 100, day)
      : kind === 1 ? postTest(key, n, ((i * 29) % 100) / 100, day)
        : kind === 2 ? attended(key, n, day)
          : kind === 3 ? mentored(key, n, (n + 1) % teachers, day)
            : tierCompleted(key, n, day))
  }
  return out
}
