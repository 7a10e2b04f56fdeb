/**
 * The data set of the report tests (see report-fixture.ts for the people and places). Numbers
 * the tests expect are worked out in the comments here.
 */
import type { Knex } from '@tln/db'
import {
  DASAR, KEYS, LANJUT, MEET1, MEET2, PH1, PH2, TASK1, TASK2, fact, learner, month, orgTree, rating, sid, type Tenant,
} from './report-fixture.ts'

export interface DataSet {
  a: Tenant
  b: Tenant
  ids: { e1: string; e2: string; e3: string; task1: string[]; task2: string; post: string }
}

/** Tenant A (the one reported on) and tenant B (same learner key and NPSN, must never show). */
export async function seedReports(knex: Knex): Promise<DataSet> {
  const a = await orgTree(knex, 'default', 'Kabupaten Lombok Tengah', { '52.02.06': 'Praya', '52.02.07': 'Jonggat' }, { 111: '52.02.06', 112: '52.02.06', 211: '52.02.07' })
  const b = await orgTree(knex, 'tenant-b', 'Kabupaten Lombok Timur', { '52.03.01': 'Selong' }, { 111: '52.03.01' })
  const A = a.id
  await knex('competence_learner').insert([
    learner(A, KEYS.t1, 'Ani', '111'), learner(A, KEYS.t2, 'Budi', '112'), learner(A, KEYS.t3, 'Citra', '211'),
    learner(A, KEYS.t4, 'Dewi', null), learner(A, KEYS.t5, 'eka-lrs', null),
  ])
  const [eka] = (await knex('person').insert({ tenant_id: A, name: 'Eka Person', school_id: a.schools['111'] }).returning('id')) as Array<{ id: string }>
  await knex('person_identity').insert({ tenant_id: A, ifi_key: KEYS.t5, person_id: eka!.id })
  // x is a colleague whom Citra mentors: a person in TLN (the mentoring form made them) who has sent no statement.
  const [xena] = (await knex('person').insert({ tenant_id: A, name: 'Xena Rekan' }).returning('id')) as Array<{ id: string }>
  await knex('person_identity').insert({ tenant_id: A, ifi_key: KEYS.x, person_id: xena!.id })

  const e1 = sid(), e2 = sid(), e3 = sid()
  await knex('competence_evidence').insert([
    { tenant_id: A, statement_id: e1, indicator: 'PED.C.2', learner_key: KEYS.t1, source: 'facilitator-rubric', score: 0.75, at: '2026-02-05T08:00:00Z', weight: 1, rule: 'tln-rubric@1' },
    { tenant_id: A, statement_id: e2, indicator: 'PED.C.2', learner_key: KEYS.t1, source: 'self-report', score: 0.25, at: '2026-02-06T08:00:00Z', weight: 0.5, rule: 'tln-self@1', voided: true },
    { tenant_id: A, statement_id: e3, indicator: 'PED.C.2', learner_key: KEYS.t2, source: 'facilitator-rubric', score: 0.25, at: '2026-02-04T08:00:00Z', weight: 1, rule: 'tln-rubric@1' },
  ])
  // Competence level: Praya PED mean (0.75 + 0.25) / 2 = 0.5, 1 proficient; t5's row has no evidence.
  await knex('competence_rating').insert([
    rating(A, KEYS.t1, 'PED', 'competence', 0.75, true, [e1, e2]),
    rating(A, KEYS.t1, 'SOS', 'competence', 0.5, false, [e1]),
    rating(A, KEYS.t1, 'PED.C.2', 'indicator', 0.75, true, [e1, e2]),
    rating(A, KEYS.t2, 'PED', 'competence', 0.25, false, [e3]),
    rating(A, KEYS.t2, 'PED.C.2', 'indicator', 0.25, false, [e3]),
    rating(A, KEYS.t3, 'PED', 'competence', 1, true, [sid()]),
    rating(A, KEYS.t4, 'PED', 'competence', 0.5, false, [sid()]),
    rating(A, KEYS.t5, 'PED', 'competence', 0.5, false, []),
  ])

  const task1 = [sid(), sid(), sid()]
  const task2 = sid()
  const post = sid()
  await knex('learning_fact').insert([
    // t1: the whole tier; task1 passed 4 days after submitting; mentors t2 twice.
    fact(A, { key: KEYS.t1, kind: 'launched', object: 'https://tln.example/modules/1', name: 'Modul 1', at: '2026-02-01T07:00:00Z' }),
    fact(A, { key: KEYS.t1, kind: 'phase-completed', object: PH1, at: '2026-02-10T00:00:00Z' }),
    fact(A, { key: KEYS.t1, kind: 'phase-completed', object: PH2, at: '2026-03-10T00:00:00Z' }),
    fact(A, { key: KEYS.t1, kind: 'assessment', object: 'https://tln.example/post-test', at: '2026-03-15T00:00:00Z', score: 0.8, success: true, id: post }),
    fact(A, { key: KEYS.t1, kind: 'tier-completed', object: DASAR, tier: null, at: '2026-03-20T00:00:00Z' }),
    fact(A, { key: KEYS.t1, kind: 'task-submitted', object: TASK1, name: 'RPPH', at: '2026-02-01T08:00:00Z', id: task1[0] }),
    fact(A, { key: KEYS.t1, kind: 'task-scored', object: TASK1, name: 'RPPH', at: '2026-02-03T08:00:00Z', score: 0.4, success: false, id: task1[1] }),
    fact(A, { key: KEYS.t1, kind: 'task-scored', object: TASK1, name: 'RPPH', at: '2026-02-05T08:00:00Z', score: 0.9, success: true, id: task1[2] }),
    fact(A, { key: KEYS.t1, kind: 'task-submitted', object: TASK2, name: 'Prota', at: '2026-02-06T08:00:00Z', id: task2 }),
    fact(A, { key: KEYS.t1, kind: 'attended', object: MEET1, name: 'Pertemuan 1', at: '2026-02-15T01:00:00Z', related: KEYS.fac }),
    fact(A, { key: KEYS.t1, kind: 'mentored', object: KEYS.t2, at: '2026-02-20T00:00:00Z', related: KEYS.t2 }),
    fact(A, { key: KEYS.t1, kind: 'mentored', object: KEYS.t2, at: '2026-02-21T00:00:00Z', related: KEYS.t2 }),
    fact(A, { key: KEYS.t1, kind: 'mentored', object: KEYS.t4, at: '2026-02-22T00:00:00Z', related: KEYS.t4, voided: true }),
    // t2: phase 1, failed post-test, task1 passed 2 days after submitting; phase 2 voided.
    fact(A, { key: KEYS.t2, kind: 'launched', object: 'https://tln.example/modules/1', at: '2026-02-02T07:00:00Z' }),
    fact(A, { key: KEYS.t2, kind: 'phase-completed', object: PH1, at: '2026-02-11T00:00:00Z' }),
    fact(A, { key: KEYS.t2, kind: 'phase-completed', object: PH2, at: '2026-03-11T00:00:00Z', voided: true }),
    fact(A, { key: KEYS.t2, kind: 'assessment', object: 'https://tln.example/post-test', at: '2026-03-16T00:00:00Z', score: 0.3, success: false }),
    fact(A, { key: KEYS.t2, kind: 'task-submitted', object: TASK1, name: 'RPPH', at: '2026-02-02T08:00:00Z' }),
    fact(A, { key: KEYS.t2, kind: 'task-scored', object: TASK1, name: 'RPPH', at: '2026-02-04T08:00:00Z', score: 0.8, success: true }),
    fact(A, { key: KEYS.t2, kind: 'attended', object: MEET1, name: 'Pertemuan 1', at: '2026-02-15T01:00:00Z' }),
    fact(A, { key: KEYS.t2, kind: 'mentored', object: KEYS.t3, at: '2026-03-01T00:00:00Z', related: KEYS.t3 }),
    // t3 (Jonggat, tier Lanjut): mentors t1 (a cycle) and X (outside the program): chain t1→t2→t3→X.
    fact(A, { key: KEYS.t3, kind: 'launched', object: 'https://tln.example/modules/9', at: '2026-04-01T00:00:00Z', tier: LANJUT }),
    fact(A, { key: KEYS.t3, kind: 'attended', object: MEET2, name: 'Pertemuan 2', at: '2026-04-05T01:00:00Z', related: KEYS.fac, tier: LANJUT }),
    fact(A, { key: KEYS.t3, kind: 'mentored', object: KEYS.t1, at: '2026-05-01T00:00:00Z', related: KEYS.t1, tier: LANJUT }),
    fact(A, { key: KEYS.t3, kind: 'mentored', object: KEYS.x, at: '2026-05-02T00:00:00Z', related: KEYS.x, tier: LANJUT }),
    // t4 (no school): launched in Dasar.
    fact(A, { key: KEYS.t4, kind: 'launched', object: 'https://tln.example/modules/1', at: '2026-02-03T00:00:00Z' }),
  ])
  await knex('learner_month').insert([
    month(A, KEYS.t1, '2026-02', 8), month(A, KEYS.t1, '2026-03', 4), month(A, KEYS.t2, '2026-02', 5), month(A, KEYS.t2, '2026-03', 2),
    month(A, KEYS.t3, '2026-04', 2), month(A, KEYS.t3, '2026-05', 2), month(A, KEYS.t4, '2026-02', 1), month(A, KEYS.t5, '2026-02', 1),
  ])

  // Tenant B: t1's key again, school NPSN 111 again; everything would change A's numbers if it leaked.
  const B = b.id
  const eb = sid()
  await knex('competence_learner').insert(learner(B, KEYS.t1, 'Zed', '111'))
  await knex('competence_evidence').insert({ tenant_id: B, statement_id: eb, indicator: 'PED.C.2', learner_key: KEYS.t1, source: 'observation', score: 0, at: '2026-02-05T08:00:00Z', weight: 1, rule: 'b@1' })
  await knex('competence_rating').insert([rating(B, KEYS.t1, 'PED', 'competence', 0, false, [eb]), rating(B, KEYS.t1, 'PED.C.2', 'indicator', 0, false, [eb])])
  await knex('learning_fact').insert([
    fact(B, { key: KEYS.t1, kind: 'phase-completed', object: PH2, at: '2026-02-10T00:00:00Z' }),
    fact(B, { key: KEYS.t1, kind: 'assessment', object: 'https://tln.example/post-test', at: '2026-03-15T00:00:00Z', score: 1, success: true }),
    fact(B, { key: KEYS.t1, kind: 'task-scored', object: TASK2, at: '2026-02-05T08:00:00Z', score: 1, success: true }),
    fact(B, { key: KEYS.t1, kind: 'attended', object: 'https://b.example/meeting', at: '2026-02-15T01:00:00Z', related: KEYS.fac }),
    fact(B, { key: KEYS.t1, kind: 'mentored', object: KEYS.t5, at: '2026-02-20T00:00:00Z', related: KEYS.t5 }),
    fact(B, { key: KEYS.t5, kind: 'mentored', object: KEYS.t1, at: '2026-02-20T00:00:00Z', related: KEYS.t1 }),
  ])
  await knex('learner_month').insert(month(B, KEYS.t1, '2026-02', 100))
  return { a, b, ids: { e1, e2, e3, task1, task2, post } }
}
