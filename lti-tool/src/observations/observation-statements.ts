import { nameUuid, type Statement } from '@tln/xapi'
import { kecamatanIri, noonWita, tlnGroupIri, TLN_BASE, TLN_EXTENSIONS, type AccountAgent, type GroupRef } from '../meetings/tln-group.ts'
import { REGISTRATION_NAMESPACE } from '../xapi/launch-statement.ts'
import { profileCategory } from '../xapi/tln-profile.ts'
import { recordScore } from './record-form.ts'
import type { EvaluationRecord, Instrument } from './types.ts'

/** The activity type of an observation or interview instrument (defined in the TLN profile). */
export const INSTRUMENT_TYPE = `${TLN_BASE}/activitytypes/observation-instrument`
/** `{ "<indicator code>": { "rating": n, "competence": "<competence indicator code>" } }` (defined in the TLN profile). */
export const INDICATOR_RATINGS_EXTENSION = `${TLN_BASE}/extensions/indicator-ratings`

export const EVALUATION_VERBS = {
  scored: { id: 'http://adlnet.gov/expapi/verbs/scored', display: { 'en-US': 'scored', id: 'dinilai' } },
  interviewed: { id: 'http://id.tincanapi.com/verb/interviewed', display: { 'en-US': 'interviewed', id: 'mewawancarai' } },
} as const

/** The record's statement id (and its void's): v5 UUIDs of the record, so recording again stores nothing new. */
export const evaluationStatementId = (recordId: string) => nameUuid(REGISTRATION_NAMESPACE, JSON.stringify(['evaluation', recordId]))
export const evaluationVoidId = (recordId: string) => nameUuid(REGISTRATION_NAMESPACE, JSON.stringify(['evaluation-void', recordId]))

/** The instrument as an Activity: `<publicUrl>/lti/observations/instruments/<id>`. */
export function instrumentActivity(publicUrl: string, i: Instrument) {
  return {
    objectType: 'Activity' as const, id: `${publicUrl}/lti/observations/instruments/${i.id}`,
    definition: {
      type: INSTRUMENT_TYPE, name: { id: i.name, 'en-US': i.name },
      description: i.kind === 'observation' ? { id: 'Instrumen observasi', 'en-US': 'Observation instrument' } : { id: 'Instrumen wawancara', 'en-US': 'Interview instrument' },
    },
  }
}

export interface EvaluationSubject {
  readonly teacher: AccountAgent
  readonly group?: GroupRef
  readonly npsn?: string
}

/**
 * DOMAIN.md "observation / interview → scored / interviewed, object instrument / Agent".
 * - observation: actor the teacher, verb `scored`, object the instrument, `context.instructor` the monitor;
 * - interview: actor the monitor, verb `interviewed` (TinCan registry: "the actor interviewed the
 *   object"), object the teacher Agent, the instrument in `contextActivities.other`.
 * Both: `result.score` (scaled = mean rating ÷ top of the scale, raw = the sum), the ratings per
 * indicator with their competence codes in `indicator-ratings`, the kecamatan, NPSN and TLN group
 * extensions, `timestamp` noon WITA on the day observed. Notes stay in the tool (personal remarks
 * are not spread with the statement stream). Pure.
 */
export function evaluationStatement(publicUrl: string, i: Instrument, r: Pick<EvaluationRecord, 'id' | 'ratings' | 'observedOn' | 'monitor'>, s: EvaluationSubject): Statement {
  const ratings = Object.fromEntries(i.indicators.map((x) => [x.code, { rating: r.ratings[x.code], competence: x.competence }]))
  const result = { score: recordScore(i, r.ratings), completion: true, extensions: { [INDICATOR_RATINGS_EXTENSION]: ratings } }
  const extensions = {
    ...(s.group !== undefined && { [TLN_EXTENSIONS.kecamatan]: kecamatanIri(s.group), [TLN_EXTENSIONS.tlnGroup]: tlnGroupIri(s.group) }),
    ...(s.npsn !== undefined && { [TLN_EXTENSIONS.npsn]: s.npsn }),
  }
  const common = { id: evaluationStatementId(r.id), result, timestamp: noonWita(r.observedOn) }
  if (i.kind === 'observation') {
    return {
      ...common, actor: s.teacher, verb: EVALUATION_VERBS.scored, object: instrumentActivity(publicUrl, i),
      context: { instructor: r.monitor, contextActivities: { category: profileCategory() }, language: 'id-ID', extensions },
    } as unknown as Statement
  }
  return {
    ...common, actor: r.monitor, verb: EVALUATION_VERBS.interviewed, object: s.teacher,
    // xAPI 1.0.3 Data 2.4.6: `platform`/`revision` only with an Activity object; contextActivities are fine.
    context: { contextActivities: { other: [instrumentActivity(publicUrl, i)], category: profileCategory() }, language: 'id-ID', extensions },
  } as unknown as Statement
}
