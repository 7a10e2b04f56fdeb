/**
 * Statements for the competence benchmarks: the demo program's realistic mix (apps/server seed:
 * workshops, lesson-plan tasks submitted and scored, mentoring, the Diklat Dasar modules, phases
 * and post-test, routine meetings; about 57 statements per teacher) repeated for more teachers.
 * Statement `i` of the stream is statement `i mod D` of the demo (D = 3,425) in copy `c = i div D`;
 * copy `c` is teacher cohort `c mod cohorts` (the demo's 60 teachers renamed, same schools) in
 * program cycle `c div cohorts` (timestamps 182 days later per cycle). So 1,000,000 statements
 * over 167 cohorts are 10,020 teachers who each went through the program once or twice.
 */
import { nameUuid } from '@tln/xapi'
import { alignRules, DEFAULT_PROGRAM_VOCABULARY, DEFAULT_RATING, PAUD_EDUCATOR_COMPETENCES, TLN_TEMPLATES, type CompetenceConfig } from '@tln/competence'
import { demoStatements } from '../../apps/server/src/seed/demo-statements.ts'
import { PHASES, POST_TEST, PROGRAM, TASKS } from '../../apps/server/src/seed/demo-program.ts'
import { KECAMATAN } from '../../apps/server/src/seed/lombok-tengah.ts'

const NS = '3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c'
const CYCLE_MS = 182 * 86_400_000
/** The demo's people: teachers (`ptk-…`) and the colleagues they mentor (`<npsn>-rekan-…`). */
const PEOPLE = /"name":"(ptk-\d+|\d+-rekan-[^"]+)"/g

let demo: string[] | undefined
function demoJson(): string[] {
  demo ??= demoStatements().map((s) => JSON.stringify(s))
  return demo
}

/** How many demo statements one copy has. */
export function demoSize(): number {
  return demoJson().length
}

/** Cohorts (of the demo's 60 teachers) needed for about `teachers` teachers. */
export function cohortsFor(teachers: number): number {
  return Math.max(1, Math.ceil(teachers / 60))
}

/** Statement `i` of the benchmark stream (see the file comment). */
export function benchCompetenceStatement(i: number, cohorts: number): Record<string, unknown> {
  const base = demoJson()
  const copy = Math.floor(i / base.length)
  const cohort = copy % cohorts
  const cycle = Math.floor(copy / cohorts)
  const json = cohort === 0 ? base[i % base.length]! : base[i % base.length]!.replace(PEOPLE, (_m, name: string) => `"name":"${name}~${cohort}"`)
  const statement = JSON.parse(json) as Record<string, unknown> & { id: string; timestamp: string }
  if (copy > 0) statement.id = nameUuid(NS, `${copy}/${statement.id}`)
  if (cycle > 0) statement.timestamp = new Date(Date.parse(statement.timestamp) + cycle * CYCLE_MS).toISOString()
  return statement
}

/** Distinct teachers among the first `n` statements of the stream. */
export function teachersIn(n: number, cohorts: number): number {
  return Math.min(cohorts, Math.ceil(n / demoSize())) * 60
}

/**
 * The demo program's competence configuration: the PAUD framework, TLN's rule templates aligned
 * to the demo's tasks (PED.C.2), post-test (PED.A.1) and program (mentoring: SOS indicators), the
 * default rating, the Diklat Dasar phases and a quota of 15 participants per kecamatan.
 */
export function benchCompetenceConfig(): CompetenceConfig {
  return {
    framework: PAUD_EDUCATOR_COMPETENCES,
    rules: alignRules(TLN_TEMPLATES, [
      ...Object.values(TASKS).map((t) => ({ activity: t.id, indicators: ['PED.C.2'] })),
      { activity: POST_TEST.id, indicators: ['PED.A.1'] },
      { activity: PROGRAM.id, indicators: ['SOS.B.2'] },
    ]),
    rating: DEFAULT_RATING,
    program: {
      ...DEFAULT_PROGRAM_VOCABULARY,
      phases: PHASES.map((p) => ({ id: p.id, name: { id: p.name['id-ID']!, en: p.name['en-US']! } })),
      quotas: Object.fromEntries(KECAMATAN.map((k) => [k.code, 15])),
    },
  }
}
