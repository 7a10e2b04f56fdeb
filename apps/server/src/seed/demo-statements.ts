import { nameUuid } from '@tln/xapi'
import { createHash } from 'node:crypto'
import {
  EXTENSIONS, ETRAINING_HOME_PAGE, LESSON_PLAN_TASKS, LESSON_PLAN_WORKSHOP, MEDIA_WORKSHOP, MEETINGS, MODULES, ORG_BASE, PHASES,
  POST_TEST, PROFILE, PROGRAM, RUBRIC, RUBRIC_PASS_RAW, TASKS, TIER, TLN_BASE, TLN_SITE, VERBS, WRITING_WORKSHOP,
  ACTIVITY_TYPES, type ActivityDef, type TaskDef, type VerbDef,
} from './demo-program.ts'
import { demoColleague, FACILITATORS, KECAMATAN, MAX_DEMO_MENTEES, MEDIA_WORKSHOP_SITES, SCHOOLS, TEACHERS, type Facilitator, type Kecamatan, type Teacher } from './lombok-tengah.ts'
import { createPrng, type Prng } from './prng.ts'
import { addDays, wita } from './wita-time.ts'

/** A statement as a client would send it (validated by the caller before storing). */
export type RawStatement = Record<string, unknown> & { id: string; timestamp: string }

/** Namespace of the demo's name-based UUIDs; changing it would re-key every demo statement. */
export const DEMO_NAMESPACE = '6f1d3a52-0c1e-4b7a-9a55-2f0e8d6c4b10'

type Json = Record<string, unknown>

/** What every statement about one teacher shares. */
interface Participant {
  teacher: Teacher
  kecamatan: Kecamatan
  facilitator: Facilitator
  registration: string
  actor: Json
  prng: Prng
}

/**
 * The demo statement stream: about 60 statements per teacher over February–July 2026, sorted by
 * timestamp. Pure and deterministic: each teacher's choices come from a PRNG seeded by their id
 * (so editing one teacher in the data file leaves the others' statements as they were), and
 * every id is a name-based UUID of what the statement records.
 */
export function demoStatements(): RawStatement[] {
  const out: RawStatement[] = []
  const seen = new Set<string>()
  const emit = (key: string, statement: Omit<RawStatement, 'id'>): void => {
    if (seen.has(key)) throw new TypeError(`demo statement key ${key} is used twice`)
    seen.add(key)
    out.push({ id: nameUuid(DEMO_NAMESPACE, key), ...statement } as RawStatement)
  }
  for (const teacher of TEACHERS) teacherStory(participantOf(teacher), emit)
  return out.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || a.id.localeCompare(b.id))
}

type Emit = (key: string, statement: Omit<RawStatement, 'id'>) => void

function participantOf(teacher: Teacher): Participant {
  const school = SCHOOLS.find((s) => s.npsn === teacher.npsn)
  const kecamatan = KECAMATAN.find((k) => k.slug === school?.kecamatan)
  const facilitator = FACILITATORS.find((f) => kecamatan !== undefined && f.kecamatan.includes(kecamatan.slug))
  if (school === undefined || kecamatan === undefined || facilitator === undefined) {
    throw new TypeError(`demo data: teacher ${teacher.id} has no school, kecamatan or facilitator`)
  }
  const seed = createHash('sha256').update(teacher.id).digest().readUInt32BE(0)
  return {
    teacher,
    kecamatan,
    facilitator,
    registration: nameUuid(DEMO_NAMESPACE, `registration/${teacher.id}`),
    actor: person(teacher),
    prng: createPrng(seed),
  }
}

/** One teacher's six months, in the order of the paper's five activities. */
function teacherStory(p: Participant, emit: Emit): void {
  lessonPlanWorkshop(p, emit)
  const setDone = lessonPlanTasks(p, emit)
  if (setDone !== undefined) fifteenDayChallenge(p, setDone, emit)
  diklatDasar(p, emit)
  mediaWorkshop(p, emit)
  writingWorkshop(p, emit)
  routineMeetings(p, emit)
}

function lessonPlanWorkshop(p: Participant, emit: Emit): void {
  const classIndex = KECAMATAN.indexOf(p.kecamatan) < KECAMATAN.length / 2 ? 0 : 1
  const klass = LESSON_PLAN_WORKSHOP.classes[classIndex]!
  klass.days.forEach((day, i) => {
    if (!p.prng.chance(0.95)) return
    const meeting = activity(`${TLN_BASE}/activities/meeting/${LESSON_PLAN_WORKSHOP.slug}/${klass.slug}/hari-${i + 1}`, ACTIVITY_TYPES.meeting, {
      'id-ID': `${LESSON_PLAN_WORKSHOP.name['id-ID']}, ${klass.slug.replace('-', ' ')}, hari ${i + 1}`,
      'en-US': `${LESSON_PLAN_WORKSHOP.name['en-US']}, class ${klass.slug.slice(-1).toUpperCase()}, day ${i + 1}`,
    })
    emit(`${p.teacher.id}/workshop/${klass.slug}/${i + 1}`, statement(p, VERBS.attended, meeting, wita(day, 7 * 60 + 30 + p.prng.int(0, 40)), { instructor: true }))
  })
}

/**
 * Prota, Promes, RPPM and RPPH, finished at school after the workshop: 85% of teachers within
 * 10–15 days (the paper), the rest later, a few never finishing RPPH.
 * @returns the day the complete set had passed, if it did
 */
function lessonPlanTasks(p: Participant, emit: Emit): string | undefined {
  const classIndex = KECAMATAN.indexOf(p.kecamatan) < KECAMATAN.length / 2 ? 0 : 1
  const workshopEnd = LESSON_PLAN_WORKSHOP.classes[classIndex]!.days[2]!
  const quick = p.prng.chance(LESSON_PLAN_WORKSHOP.quickShare)
  const offsets = sortedInts(p.prng, LESSON_PLAN_TASKS.length, quick ? 2 : 10, quick ? 15 : 30)
  const gaveUp = !quick && p.prng.chance(0.3)
  const kinds = gaveUp ? LESSON_PLAN_TASKS.filter((kind) => kind !== 'RPPH') : LESSON_PLAN_TASKS
  const passedOn = kinds.map((kind, i) => performanceTask(p, TASKS[kind], addDays(workshopEnd, offsets[i]!), quick ? 0.75 : 0.55, 3, emit))
  if (gaveUp || passedOn.some((day) => day === undefined)) return undefined
  return (passedOn as string[]).reduce((latest, day) => (day > latest ? day : latest))
}

/**
 * A performance task: submitted, scored by the facilitator against the rubric, resubmitted
 * after a failing score (up to `maxVersions`).
 * @param skill the chance of each rubric criterion reaching level 3 or 4
 * @returns the day of the passing score, if any
 */
function performanceTask(p: Participant, task: TaskDef, firstDay: string, skill: number, maxVersions: number, emit: Emit): string | undefined {
  let day = firstDay
  for (let version = 1; version <= maxVersions; version++) {
    const submitted = wita(day, 19 * 60 + p.prng.int(0, 180))
    emit(`${p.teacher.id}/task/${task.kind}/v${version}/submit`, statement(p, VERBS.submitted, activity(task.id, task.type, task.name), submitted, {
      result: {
        completion: true,
        extensions: { [EXTENSIONS.artefact]: `${TLN_SITE}/artefacts/${p.teacher.id}/${task.kind.toLowerCase()}-v${version}`, [EXTENSIONS.submissionVersion]: version },
      },
    }))
    const scoreDay = addDays(day, p.prng.int(2, 5))
    const levels = Object.fromEntries(RUBRIC.map((criterion) => [criterion, p.prng.chance(Math.min(0.95, skill + 0.15 * (version - 1))) ? p.prng.int(3, 4) : p.prng.int(1, 2)]))
    const raw = Object.values(levels).reduce((a, b) => a + b, 0)
    const success = raw >= RUBRIC_PASS_RAW
    const max = RUBRIC.length * 4
    emit(`${p.teacher.id}/task/${task.kind}/v${version}/scored`, statement(p, VERBS.scored, activity(task.id, task.type, task.name), wita(scoreDay, 9 * 60 + p.prng.int(0, 480)), {
      instructor: true,
      result: {
        score: { raw, min: RUBRIC.length, max, scaled: round2(raw / max) },
        success,
        extensions: { [EXTENSIONS.rubricLevels]: levels, [EXTENSIONS.submissionVersion]: version },
      },
    }))
    if (success) return scoreDay
    day = addDays(scoreDay, p.prng.int(3, 7))
  }
  return undefined
}

/** The 15-day challenge: mentoring colleagues at one's own school to make the same plans. */
function fifteenDayChallenge(p: Participant, start: string, emit: Emit): void {
  const mentees = p.prng.int(1, MAX_DEMO_MENTEES)
  for (let m = 1; m <= mentees; m++) {
    const mentee = { objectType: 'Agent', account: { homePage: TLN_SITE, name: demoColleague(p.teacher, m).accountName } }
    const relation = activity(`${TLN_BASE}/activities/mentoring/${p.teacher.id}/rekan-${m}/tantangan-15-hari`, ACTIVITY_TYPES.mentoring, {
      'id-ID': 'Tantangan 15 hari: pendampingan sejawat menyusun perangkat pembelajaran',
      'en-US': '15-day challenge: mentoring a colleague on lesson plans',
    })
    const days = sortedInts(p.prng, p.prng.int(1, 3), 1, LESSON_PLAN_WORKSHOP.challengeDays)
    days.forEach((offset, s) => {
      const topic = TASKS[LESSON_PLAN_TASKS[Math.min(s + m - 1, LESSON_PLAN_TASKS.length - 1)]!]
      emit(`${p.teacher.id}/mentoring/${m}/${s + 1}`, statement(p, VERBS.mentored, mentee, wita(addDays(start, offset), 13 * 60 + p.prng.int(0, 150)), {
        parent: [relation],
        other: [activity(topic.id, topic.type)],
        result: { completion: true, duration: `PT${p.prng.int(30, 120)}M` },
      }))
    })
  }
}

/**
 * Diklat Berjenjang Tingkat Dasar on the e-training app: modules per phase (launched, then
 * completed), each phase completed, the post-test (passed, or failed and retaken), the tier
 * completed. About one in twelve stops after on-the-job learning.
 */
function diklatDasar(p: Participant, emit: Emit): void {
  const stops = p.prng.chance(0.08)
  for (const phase of PHASES) {
    if (stops && phase.slug === 'in-service-2') return
    const span = Math.max(1, Math.round((Date.parse(phase.end) - Date.parse(phase.start)) / 86_400_000))
    let last = phase.start
    phase.modules.forEach((index, order) => {
      const module = MODULES[index]!
      const windowStart = Math.floor((span * order) / phase.modules.length)
      const windowEnd = Math.max(windowStart, Math.floor((span * (order + 1)) / phase.modules.length) - 1)
      const days = sortedInts(p.prng, p.prng.int(1, 3), windowStart, windowEnd)
      days.forEach((offset, s) => {
        emit(`${p.teacher.id}/diklat/${index}/launch/${s + 1}`, statement(p, VERBS.launched, activity(module.id, module.type, module.name), wita(addDays(phase.start, offset), 8 * 60 + s * 15 + p.prng.int(0, 10))))
      })
      last = addDays(phase.start, days[days.length - 1]!)
      emit(`${p.teacher.id}/diklat/${index}/completed`, statement(p, VERBS.completed, activity(module.id, module.type, module.name), wita(last, 12 * 60 + p.prng.int(0, 240)), {
        result: { completion: true, duration: `PT${p.prng.int(60, 300)}M` },
      }))
    })
    emit(`${p.teacher.id}/diklat/phase/${phase.slug}`, statement(p, VERBS.completed, activity(phase.id, phase.type, phase.name), wita(last > phase.end ? last : phase.end, 17 * 60 + p.prng.int(0, 60)), {
      result: { completion: true },
      extensions: { [EXTENSIONS.phase]: phase.slug },
    }))
  }
  let ability = 0.5 + p.prng.next() * 0.48
  let day = PHASES[PHASES.length - 1]!.end
  for (let attempt = 1; attempt <= 3; attempt++) {
    const scaled = round2(Math.min(1, ability))
    const success = scaled >= POST_TEST.passScaled
    emit(`${p.teacher.id}/diklat/post-test/${attempt}`, statement(p, success ? VERBS.passed : VERBS.failed, activity(POST_TEST.id, POST_TEST.type, POST_TEST.name), wita(day, 10 * 60 + p.prng.int(0, 90)), {
      result: { score: { scaled, raw: Math.round(scaled * 100), min: 0, max: 100 }, success, completion: true, duration: `PT${p.prng.int(25, 60)}M` },
    }))
    if (success) {
      emit(`${p.teacher.id}/diklat/tier`, statement(p, VERBS.completed, activity(TIER.id, TIER.type, TIER.name), wita(day, 15 * 60), { result: { completion: true, success: true } }))
      return
    }
    ability += 0.1 + p.prng.next() * 0.1
    day = addDays(day, POST_TEST.retakeAfterDays)
  }
}

/** The learning-media workshop at the nearest of three sites, then the MEDIA task. */
function mediaWorkshop(p: Participant, emit: Emit): void {
  const site = Object.keys(MEDIA_WORKSHOP_SITES).find((s) => MEDIA_WORKSHOP_SITES[s]!.includes(p.kecamatan.slug))!
  const day = MEDIA_WORKSHOP.days[site]!
  const attended = p.prng.chance(0.92)
  if (attended) {
    const meeting = activity(`${TLN_BASE}/activities/meeting/${MEDIA_WORKSHOP.slug}/${site}`, ACTIVITY_TYPES.meeting, {
      'id-ID': `${MEDIA_WORKSHOP.name['id-ID']}, ${titleOf(site)}`,
      'en-US': `${MEDIA_WORKSHOP.name['en-US']}, ${titleOf(site)}`,
    })
    emit(`${p.teacher.id}/media-workshop`, statement(p, VERBS.attended, meeting, wita(day, 8 * 60 + p.prng.int(0, 45)), { instructor: true }))
  }
  performanceTask(p, TASKS.MEDIA, addDays(day, p.prng.int(3, 14)), attended ? 0.8 : 0.5, 2, emit)
}

/** Writing and school-blog workshop, then an atmaGo article and a school blog (78% mastered). */
function writingWorkshop(p: Participant, emit: Emit): void {
  if (p.prng.chance(0.9)) {
    const meeting = activity(`${TLN_BASE}/activities/meeting/${WRITING_WORKSHOP.slug}`, ACTIVITY_TYPES.meeting, WRITING_WORKSHOP.name)
    emit(`${p.teacher.id}/writing-workshop`, statement(p, VERBS.attended, meeting, wita(WRITING_WORKSHOP.day, 8 * 60 + p.prng.int(0, 45)), { instructor: true }))
  }
  const skill = p.prng.chance(WRITING_WORKSHOP.masteryShare) ? 0.85 : 0.3
  performanceTask(p, TASKS.ARTICLE, addDays(WRITING_WORKSHOP.day, p.prng.int(3, 10)), skill, 2, emit)
  performanceTask(p, TASKS.BLOG, addDays(WRITING_WORKSHOP.day, p.prng.int(7, 21)), skill, 2, emit)
}

/** Routine meetings every two weeks at the TLN group's gathering point. */
function routineMeetings(p: Participant, emit: Emit): void {
  for (let m = 0; m < MEETINGS.count; m++) {
    const day = addDays(MEETINGS.first, m * MEETINGS.everyDays)
    if (!p.prng.chance(MEETINGS.attendance)) continue
    const meeting = activity(`${TLN_BASE}/activities/meeting/tln-${p.kecamatan.slug}/${day}`, ACTIVITY_TYPES.meeting, {
      'id-ID': `Pertemuan rutin TLN ${p.kecamatan.name}, ${day}`,
      'en-US': `TLN ${p.kecamatan.name} routine meeting, ${day}`,
    })
    emit(`${p.teacher.id}/meeting/${day}`, statement(p, VERBS.attended, meeting, wita(day, 9 * 60 + p.prng.int(0, 25)), { instructor: true, team: true }))
  }
}

interface StatementOptions {
  result?: Json
  instructor?: boolean
  team?: boolean
  parent?: Json[]
  other?: Json[]
  extensions?: Json
}

/**
 * A statement about participant `p`, with the context every TLN statement carries (DOMAIN.md):
 * the enrollment as `registration`, program and tier as `grouping`, the profile as `category`,
 * and the kecamatan, school NPSN and TLN group as extensions.
 */
function statement(p: Participant, verb: VerbDef, object: Json, timestamp: string, options: StatementOptions = {}): Omit<RawStatement, 'id'> {
  const contextActivities: Json = {
    grouping: [activity(PROGRAM.id, PROGRAM.type), activity(TIER.id, TIER.type)],
    category: [activity(PROFILE.id, PROFILE.type)],
  }
  if (options.parent !== undefined) contextActivities.parent = options.parent
  if (options.other !== undefined) contextActivities.other = options.other
  return {
    actor: p.actor,
    verb: { id: verb.id, display: verb.display },
    object,
    ...(options.result !== undefined ? { result: options.result } : {}),
    context: {
      registration: p.registration,
      ...(options.instructor === true ? { instructor: person(p.facilitator) } : {}),
      ...(options.team === true ? { team: tlnGroup(p.kecamatan) } : {}),
      contextActivities,
      language: 'id-ID',
      extensions: {
        [EXTENSIONS.kecamatan]: `${ORG_BASE}/kecamatan/${p.kecamatan.slug}`,
        [EXTENSIONS.npsn]: p.teacher.npsn,
        [EXTENSIONS.tlnGroup]: `${ORG_BASE}/tln-group/${p.kecamatan.slug}`,
        ...options.extensions,
      },
    },
    timestamp,
  }
}

function person(who: { id: string; name: string }): Json {
  return { objectType: 'Agent', name: who.name, account: { homePage: ETRAINING_HOME_PAGE, name: who.id } }
}

/** The TLN group of a kecamatan, as an identified Group (xAPI 1.0.3 Data 2.4.2.2). */
function tlnGroup(kecamatan: Kecamatan): Json {
  return { objectType: 'Group', name: `TLN ${kecamatan.name}`, account: { homePage: TLN_SITE, name: `tln-group-${kecamatan.slug}` } }
}

function activity(id: string, type: string, name?: ActivityDef['name']): Json {
  return { objectType: 'Activity', id, definition: name === undefined ? { type } : { type, name } }
}

function sortedInts(prng: Prng, count: number, min: number, max: number): number[] {
  return Array.from({ length: count }, () => prng.int(min, max)).sort((a, b) => a - b)
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

function titleOf(slug: string): string {
  return slug.replace(/(^|-)(\w)/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`)
}
