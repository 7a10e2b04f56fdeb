/**
 * The demo's competence configuration (issue 6): which of the demo program's activities evidence
 * which PAUD indicators (Permendikbud 137/2014; codes in packages/competence/src/seed/
 * paud-competences.ts), the program vocabulary with its phases, and the quotas (the paper: 60
 * participants, five per kecamatan). The alignment is MADE UP for the demo *(verify with BPPAUD)*;
 * lesson plans on PED.C.2 follow DOMAIN.md.
 */
import {
  alignRules, CompetenceConfigStore, DEFAULT_PROGRAM_VOCABULARY, DEFAULT_RATING, PAUD_EDUCATOR_COMPETENCES, rubricRules,
  sameCompetenceConfig, TLN_TEMPLATES, validateFramework, type ActivityAlignment, type CompetenceConfig, type EvidenceRuleTemplate, type Framework,
} from '@tln/competence'
import type { Knex } from '@tln/db'
import { ACTIVITY_TYPES, LESSON_PLAN_TASKS, MODULES, PHASES, POST_TEST, PROGRAM, RUBRIC, TASKS, VERBS } from './demo-program.ts'
import { KECAMATAN } from './lombok-tengah.ts'

/** Participants planned per kecamatan (the paper: 60 teachers from 12 kecamatan). */
export const QUOTA_PER_KECAMATAN = 5

/** The facilitators' lesson-plan rubric: each criterion evidences one indicator. */
const CRITERION_INDICATORS: Readonly<Record<(typeof RUBRIC)[number], string>> = {
  'kesesuaian-kurikulum': 'PED.C.1',
  'kelengkapan-komponen': 'PED.C.3',
  'kegiatan-bermain': 'PED.B.2',
  penilaian: 'PED.E.1',
}

const LEVELS = [
  { quality: 'Perlu bimbingan', score: 1 }, { quality: 'Cukup', score: 2 }, { quality: 'Baik', score: 3 }, { quality: 'Sangat baik', score: 4 },
]

export const DEMO_FRAMEWORK: Framework = {
  ...PAUD_EDUCATOR_COMPETENCES,
  rubrics: [{
    id: 'rubrik-perangkat-pembelajaran',
    title: { id: 'Rubrik penilaian perangkat pembelajaran', en: 'Lesson-plan rubric' },
    criteria: RUBRIC.map((id) => ({ id, indicator: CRITERION_INDICATORS[id], description: id.replace(/-/g, ' '), levels: LEVELS })),
  }],
}

/** TLN's own module and meeting statements, which the shipped templates do not cover. */
const DEMO_TEMPLATES: Readonly<Record<'module' | 'meeting', EvidenceRuleTemplate>> = {
  module: { id: 'tln-module-completed', version: '1.0.0', match: { verb: VERBS.completed.id, activityType: ACTIVITY_TYPES.module }, source: 'e-training-completion', weight: 0.25 },
  meeting: { id: 'tln-meeting-attended', version: '1.0.0', match: { verb: VERBS.attended.id, activityType: ACTIVITY_TYPES.meeting }, source: 'observation', weight: 0.5 },
}

const MODULE_INDICATORS: readonly (readonly string[])[] = [['PRO.A.1'], ['PED.A.1'], ['PED.C.1'], ['PED.B.2', 'PED.D.1'], ['PED.E.2'], ['SOS.B.1']]

function templates(...ids: string[]): EvidenceRuleTemplate[] {
  return TLN_TEMPLATES.filter((t) => ids.includes(t.id))
}

function taskAlignments(): ActivityAlignment[] {
  return [
    ...LESSON_PLAN_TASKS.map((kind) => ({ activity: TASKS[kind].id, indicators: ['PED.C.2'] })),
    { activity: TASKS.MEDIA.id, indicators: ['PRO.B.2', 'PED.D.2'] },
    { activity: TASKS.ARTICLE.id, indicators: ['PRO.C.3'] },
    { activity: TASKS.BLOG.id, indicators: ['PRO.C.2', 'PRO.C.3'] },
  ]
}

/** The demo configuration: data only, the same on every run. */
export function demoCompetenceConfig(): CompetenceConfig {
  const framework = validateFramework(DEMO_FRAMEWORK)
  return {
    framework,
    rules: [
      // First matching rule per indicator wins: the task's overall score before the rubric criteria.
      ...alignRules(templates('tln-task-scored'), taskAlignments()),
      ...rubricRules(framework),
      ...alignRules(templates('tln-post-test-passed', 'tln-post-test-failed'), [{ activity: POST_TEST.id, indicators: ['PED.A.1', 'PRO.A.1'] }]),
      ...alignRules([DEMO_TEMPLATES.module], MODULES.map((m, i) => ({ activity: m.id, indicators: MODULE_INDICATORS[i] ?? [] }))),
      ...alignRules(templates('tln-mentored'), [{ activity: PROGRAM.id, indicators: ['SOS.B.2', 'PRO.C.1'] }]),
      ...alignRules([DEMO_TEMPLATES.meeting], [{ activity: PROGRAM.id, indicators: ['KEP.C.1', 'SOS.A.1'] }]),
    ],
    rating: DEFAULT_RATING,
    program: {
      ...DEFAULT_PROGRAM_VOCABULARY,
      phases: PHASES.map((p) => ({ id: p.id, name: { id: p.name['id-ID']!, en: p.name['en-US']! } })),
      quotas: Object.fromEntries(KECAMATAN.map((k) => [k.code, QUOTA_PER_KECAMATAN])),
    },
  }
}

/**
 * Stores the demo configuration for the tenant unless the active one says the same already
 * (idempotent: a second run stores no new version, so the engine does not rebuild).
 * @returns the active version and whether this run stored it
 */
export async function seedDemoCompetence(knex: Knex, tenantId: string): Promise<{ version: number; stored: boolean }> {
  const store = new CompetenceConfigStore(knex)
  const wanted = demoCompetenceConfig()
  const active = await store.active(tenantId)
  if (active.version > 0 && sameCompetenceConfig(active, wanted)) return { version: active.version, stored: false }
  return { version: (await store.put(tenantId, wanted, 'tln seed demo')).version, stored: true }
}
