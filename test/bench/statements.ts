import { randomUUID } from 'node:crypto'

/** Deterministic pseudo-random numbers (mulberry32), so every run stores the same shape of data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const TEACHERS = 1000
export const VERBS = [
  'http://adlnet.gov/expapi/verbs/launched',
  'http://adlnet.gov/expapi/verbs/initialized',
  'http://adlnet.gov/expapi/verbs/completed',
  'http://adlnet.gov/expapi/verbs/passed',
  'http://adlnet.gov/expapi/verbs/failed',
  'http://adlnet.gov/expapi/verbs/scored',
  'http://adlnet.gov/expapi/verbs/attended',
  'http://adlnet.gov/expapi/verbs/commented',
  'http://activitystrea.ms/schema/1.0/submit',
  'http://id.tincanapi.com/verb/mentored',
]

export function teacher(n: number) {
  return { objectType: 'Agent', name: `Guru ${n}`, account: { homePage: 'https://elearning.bppaudntb.example', name: `guru-${n}` } }
}

/** Teacher `n`'s registration: every bench statement of a teacher carries it. */
export function registration(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
}

/** A statement shaped like the ones TLN stores: a teacher, a verb, a task, program context. */
export function benchStatement(random: () => number): Record<string, unknown> {
  const t = Math.floor(random() * TEACHERS)
  const verb = VERBS[Math.floor(random() * VERBS.length)]!
  const task = Math.floor(random() * 500)
  return {
    id: randomUUID(),
    actor: teacher(t),
    verb: { id: verb, display: { 'en-US': verb.split('/').pop() } },
    object: {
      objectType: 'Activity',
      id: `https://tln.example/activities/task/${task}`,
      definition: { type: 'http://id.tincanapi.com/activitytype/school-assignment', name: { id: `Tugas ${task}`, en: `Task ${task}` } },
    },
    result: { score: { scaled: Math.round(random() * 100) / 100 }, completion: true },
    context: {
      registration: registration(t),
      contextActivities: {
        grouping: [{ id: 'https://tln.example/programs/diklat-berjenjang' }, { id: 'https://tln.example/programs/diklat-berjenjang/dasar' }],
      },
      extensions: { 'https://tln.example/xapi/extensions/kecamatan': `kecamatan-${t % 12}` },
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 180 * 86400_000)).toISOString(),
  }
}
